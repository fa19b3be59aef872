package org.pvsim.vmm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.pvsim.image.BootLoaderBlobs;
import org.pvsim.image.ImageRandomness;
import org.pvsim.image.SeImageBuilder;
import org.pvsim.image.TestImages;
import org.pvsim.kvm.Kvm;
import org.pvsim.kvm.KvmStats;

/**
 * 100 reboots of a protected guest without a leak: the reboot kernel asks for diag 308 subcode 3 on every
 * boot (its memory is reloaded, so every boot is its first); QEMU's answer is a re-IPL: the VM leaves
 * protected mode (KVM_PV_DISABLE: every secure page, CPU and the configuration destroyed, the donated
 * storage given back), the image is IPLed as a normal guest and its boot loader enters protected mode
 * again (ENABLE, SET_SEC_PARMS, UNPACK, VERIFY). After the 100th the next request shuts the guest down.
 */
class HundredRebootsTest {
    @TempDir
    Path dir;

    private byte[] rebootImage() throws Exception {
        byte[] kernel;
        try (InputStream in = getClass().getResourceAsStream("/guests/demo/reboot.bin")) {
            kernel = in.readAllBytes();
        }
        Path k = TestImages.file(dir, "kernel", kernel);
        Path p = TestImages.file(dir, "parm", "3".getBytes(StandardCharsets.US_ASCII));
        Path img = dir.resolve("reboot.img");
        new SeImageBuilder(BootLoaderBlobs.standard(), ImageRandomness.secure(), null)
                .create(TestImages.spec(k, null, p, List.of(TestImages.HOST)), img, false);
        return Files.readAllBytes(img);
    }

    @Test
    @Timeout(300)
    void aHundredProtectedRebootsGiveBackEveryDonatedByte() throws Exception {
        Kvm kvm = Vmm.bootKvm(Vmm.hostMachine(VmmFixture.MEMORY, List.of(VmmFixture.hostKey())));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        VmConfig config = VmConfig.of(VmmFixture.MEMORY, 2, true, null).withMaxReboots(100);
        Trace trace = Trace.recording();
        try (Vmm vmm = Vmm.create(kvm, config, rebootImage(), new PrintStream(console, true), null, trace)) {
            Outcome o = vmm.run();
            assertThat(o).isInstanceOf(Outcome.Shutdown.class);
            assertThat(o.message()).isNull();
            assertThat(vmm.reboots()).isEqualTo(100);
            assertThat(vmm.isProtected()).isTrue();
            KvmStats during = kvm.stats();
            assertThat(during.totalLeaked()).as("leaked while running").isZero();
        }
        String text = console.toString(StandardCharsets.US_ASCII);
        assertThat(text.split("reboot kernel: boot 0\n", -1).length - 1).isEqualTo(101);
        KvmStats s = kvm.stats();
        assertThat(s.donatedBytes()).isPositive().isEqualTo(s.reclaimedBytes());
        assertThat(s.outstandingDonation()).isZero();
        assertThat(s.totalLeaked()).isZero();
        assertThat(trace.events().stream().filter(e -> e.name().equals("KVM_PV_DISABLE"))).hasSize(100);
        assertThat(trace.events().stream().filter(e -> e.name().equals("KVM_PV_VERIFY"))).hasSize(101);
    }

    /** Above 2 GiB QEMU tears down asynchronously: ASYNC_CLEANUP_PREPARE, then PERFORM on a thread of its own. */
    @Test
    @Timeout(300)
    void largeGuestsRebootThroughTheAsynchronousTeardownWithoutLeaks() throws Exception {
        long memory = 3L << 30;
        Kvm kvm = Vmm.bootKvm(Vmm.hostMachine(memory, List.of(VmmFixture.hostKey())));
        VmConfig config = VmConfig.of(memory, 2, true, null).withMaxReboots(5);
        Trace trace = Trace.recording();
        try (Vmm vmm = Vmm.create(kvm, config, rebootImage(), new PrintStream(new ByteArrayOutputStream(), true), null, trace)) {
            assertThat(vmm.run()).isInstanceOf(Outcome.Shutdown.class);
            assertThat(vmm.reboots()).isEqualTo(5);
        }
        assertThat(trace.events().stream().filter(e -> e.name().equals("KVM_PV_ASYNC_CLEANUP_PERFORM"))).hasSize(5);
        KvmStats s = kvm.stats();
        assertThat(s.donatedBytes()).isPositive().isEqualTo(s.reclaimedBytes());
        assertThat(s.totalLeaked()).isZero();
    }
}
