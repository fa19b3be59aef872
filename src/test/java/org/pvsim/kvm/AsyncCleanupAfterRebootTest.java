package org.pvsim.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pvsim.kvm.KvmUapi.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pvsim.machine.ProgramInterruption;
import org.pvsim.machine.storage.HostStorage;
import org.pvsim.se.Ipib;

/**
 * A reboot with the asynchronous teardown where the next protected boot is quicker than
 * ASYNC_CLEANUP_PERFORM (QEMU does not wait for its thread): PERFORM walks the whole address space, and
 * so meets the pages the new configuration has just unpacked. They must survive it, or the new guest
 * starts on zeroed lowcore and code (the flaky "program interruption loop" of large protected guests
 * rebooting with 2 vCPUs). The interleaving is fixed here, no threads needed.
 */
class AsyncCleanupAfterRebootTest {
    @Test
    void performAfterTheNextProtectedBootLeavesTheNewGuestsPagesIntact() {
        KvmFixture f = new KvmFixture();
        KvmFixture.Guest g = f.guest(2, 2);
        g.boot();
        g.pv(KVM_PV_ASYNC_CLEANUP_PREPARE);
        g.boot(); // the re-IPLed guest is protected again before the old configuration is cleaned up
        List<Long> frames = new ArrayList<>();
        for (Ipib.Component c : TestImage.IMAGE.ipib().components()) {
            for (long a = c.address(); a < c.address() + c.length(); a += HostStorage.PAGE_SIZE) {
                frames.add(g.vm().gmap.translate(a));
            }
        }
        HostStorage host = f.machine.hostStorage();
        assertThat(frames).allMatch(frame -> !readable(host, frame)); // unpacked: secure

        g.pv(KVM_PV_ASYNC_CLEANUP_PERFORM);

        for (long frame : frames) {
            // still secure, or exported (ciphertext the next import checks); never cleared by a destroy
            if (readable(host, frame)) {
                assertThat(host.read(frame, HostStorage.PAGE_SIZE)).as("frame 0x%x", frame).isNotEqualTo(new byte[HostStorage.PAGE_SIZE]);
            }
        }
        assertThat(f.calls(org.pvsim.machine.uv.cb.UvCommand.DESTR_SEC_STOR)).isNotEmpty();
        for (Ipib.Component c : TestImage.IMAGE.ipib().components()) {
            g.vm().handleNonSecureAccess(c.address()); // the integrity check of the exported pages passes
        }
        g.pv(KVM_PV_DISABLE);
        f.assertDonationBalanced();
    }

    private static boolean readable(HostStorage host, long frame) {
        try {
            host.read(frame, 8);
            return true;
        } catch (ProgramInterruption pi) {
            return false;
        }
    }
}
