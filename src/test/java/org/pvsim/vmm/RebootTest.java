package org.pvsim.vmm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pvsim.kvm.Kvm;

/**
 * Reboots through diag 308 (guests/demo/reboot.S, which reboots on its first boot with the subcode its
 * command line names). Subcode 3 from a normal guest arrives as KVM_EXIT_S390_RESET: the VMM re-IPLs the
 * image, which (its memory reloaded) boots and reboots again, until the VMM's exit budget ends the run.
 */
class RebootTest {
    private static byte[] rebootKernel() throws Exception {
        try (InputStream in = RebootTest.class.getResourceAsStream("/guests/demo/reboot.bin")) {
            return in.readAllBytes();
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"0", "1"})
    @Timeout(60)
    void subcodes0And1OfAProtectedGuestResetItAndItBootsAgainStillProtected(String subcode,
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        byte[] kernel = rebootKernel();
        java.nio.file.Path k = org.pvsim.image.TestImages.file(dir, "kernel", kernel);
        java.nio.file.Path p = org.pvsim.image.TestImages.file(dir, "parm", subcode.getBytes(StandardCharsets.US_ASCII));
        java.nio.file.Path img = dir.resolve("reboot.img");
        new org.pvsim.image.SeImageBuilder(org.pvsim.image.BootLoaderBlobs.standard(),
                org.pvsim.image.ImageRandomness.secure(), null)
                .create(org.pvsim.image.TestImages.spec(k, null, p, List.of(org.pvsim.image.TestImages.HOST)), img, false);
        try (VmmFixture.Guest g = new VmmFixture.Guest(java.nio.file.Files.readAllBytes(img), true, Trace.OFF)) {
            Outcome o = g.vmm.run();
            assertThat(o.exitCode()).isZero();
            assertThat(g.console()).contains("reboot kernel: boot 0\n", "reboot kernel: boot 1\n");
            assertThat(g.vmm.reboots()).isEqualTo(1);
            assertThat(g.vmm.isProtected()).isTrue();
        }
    }

    @Test
    @Timeout(60)
    void subcode3FromANormalGuestReIplsTheImage() throws Exception {
        Kvm kvm = Vmm.bootKvm(Vmm.hostMachine(VmmFixture.MEMORY, List.of(VmmFixture.hostKey())));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        VmConfig config = new VmConfig(VmmFixture.MEMORY, 1, false, "3", 200);
        try (Vmm vmm = Vmm.create(kvm, config, rebootKernel(), new PrintStream(console, true), null, Trace.OFF)) {
            Outcome o = vmm.run();
            assertThat(o).isInstanceOf(Outcome.Crashed.class);
            assertThat(o.message()).contains("still running after 200 exits");
            assertThat(vmm.reboots()).isGreaterThanOrEqualTo(3);
            assertThat(console.toString(StandardCharsets.US_ASCII).split("reboot kernel: boot 0", -1).length - 1)
                    .isEqualTo(vmm.reboots() + 1);
        }
        assertThat(kvm.stats().totalLeaked()).isZero();
    }
}
