package org.pvsim.vmm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.pvsim.image.SeImage;
import org.pvsim.image.SeImageReader;
import org.pvsim.image.TestImages;

/**
 * The real boot flow: the SE image starts as a normal guest, stage3a asks for PV with diag 308 subcodes 8
 * and 10, the VMM unpacks and verifies it through KVM, and the demo kernel prints through SCLP over the SIDA.
 * Images the UV must refuse never reach the kernel: the guest sees the failure in R1+1 and stage3a says so.
 */
@Timeout(120)
class ProtectedBootTest {
    @TempDir
    Path dir;

    @Test
    void theDemoGuestBootsProtectedPrintsItsCommandLineAndShutsDownCleanly() throws Exception {
        try (VmmFixture.Guest g = new VmmFixture.Guest(VmmFixture.demoImage(dir, "vmm-test", TestImages.HOST), true, Trace.OFF)) {
            Outcome o = g.vmm.run();
            assertThat(o).isInstanceOf(Outcome.Shutdown.class);
            assertThat(o.exitCode()).isZero();
            assertThat(g.console()).contains("Hello from a protected guest! Command line: vmm-test");
            assertThat(g.vmm.isProtected()).isTrue();
        }
    }

    @Test
    void theStorageOfAProtectedGuestComesBackWhenItsVmCloses() throws Exception {
        VmmFixture.Guest g = new VmmFixture.Guest(VmmFixture.demoImage(dir, "x", TestImages.HOST), true, Trace.OFF);
        g.vmm.run();
        g.close();
        assertThat(g.kvm.stats().totalLeaked()).isZero();
        assertThat(g.kvm.stats().outstandingDonation()).isZero();
    }

    @Test
    void anImageForAnotherHostIsRefusedAtSetSecParmsWithEinvalAndRc0x108() throws Exception {
        try (VmmFixture.Guest g = new VmmFixture.Guest(VmmFixture.demoImage(dir, "x", TestImages.OTHER_HOST), true, Trace.OFF)) {
            Outcome o = g.vmm.run();
            assertThat(o).isInstanceOf(Outcome.Crashed.class);
            assertThat(o.exitCode()).isEqualTo(1);
            assertThat(o.message()).startsWith("Protected boot has failed")
                    .contains("KVM_PV_SET_SEC_PARMS", "header rc 108", "IOCTL rc: -22 (EINVAL)",
                            "Please check whether the image is correctly encrypted for this host")
                    .doesNotContain("\n");
            // QEMU's Diag308Response in R1+1: pv_cmd 2, rrc, rc 0x0108, 0x0a02; stage3a prints it
            assertThat(g.console()).containsPattern("subcode 10 \\(unpack PV\\) failed, rc 0x0002[0-9a-f]{4}01080a02");
            assertThat(g.console()).doesNotContain("Hello");
            assertThat(g.vmm.isProtected()).as("made unprotected again").isFalse();
        }
    }

    @Test
    void aTamperedImageNeverStarts() throws Exception {
        byte[] image = VmmFixture.demoImage(dir, "x", TestImages.HOST);
        SeImage parsed = SeImageReader.read(image);
        image[(int) parsed.components().get(0).address() + 0x200] ^= 0x01;
        try (VmmFixture.Guest g = new VmmFixture.Guest(image, true, Trace.OFF)) {
            Outcome o = g.vmm.run();
            assertThat(o).isInstanceOf(Outcome.Crashed.class);
            assertThat(o.message()).contains("Protected boot has failed").containsPattern("KVM_PV_(UNPACK|VERIFY)")
                    .contains("IOCTL rc: -22");
            assertThat(g.console()).contains("diag 308 subcode 10 (unpack PV) failed").doesNotContain("Hello");
        }
    }

    @Test
    void aTruncatedImageNeverStarts() throws Exception {
        byte[] image = VmmFixture.demoImage(dir, "x", TestImages.HOST);
        byte[] cut = java.util.Arrays.copyOf(image, 0x15000); // the SE header, no components, no IPIB
        try (VmmFixture.Guest g = new VmmFixture.Guest(cut, true, Trace.OFF)) {
            Outcome o = g.vmm.run();
            assertThat(o).isInstanceOf(Outcome.Crashed.class);
            assertThat(o.exitCode()).isEqualTo(1);
            assertThat(g.console()).contains("diag 308 subcode 8 (set PV IPL parameters) failed, rc 0x0000000000000402");
            assertThat(g.vmm.isProtected()).isFalse();
        }
    }

    @Test
    void withoutConfidentialGuestSupportDiag308Subcode8IsASpecificationException() throws Exception {
        try (VmmFixture.Guest g = new VmmFixture.Guest(VmmFixture.demoImage(dir, "x", TestImages.HOST), false, Trace.OFF)) {
            Outcome o = g.vmm.run();
            assertThat(o.exitCode()).isEqualTo(1);
            assertThat(g.console()).contains("program interruption (code, address): 0x00000006");
        }
    }

    @Test
    void aNormalGuestRunsItsFlatBinaryAndCommandLine() throws Exception {
        try (VmmFixture.Guest g = new VmmFixture.Guest(VmmFixture.demoKernel(), false, Trace.OFF)) {
            assertThat(g.vmm.run().exitCode()).isZero();
            assertThat(g.console()).contains("Command line: ");
        }
    }
}
