package org.pvsim.vmm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * -smp 2: guests/tests/smp.c starts its second CPU with SIGP SET PREFIX and RESTART (orders KVM leaves to
 * user space), each vCPU on a thread of its own; the emergency signal between them KVM handles itself.
 */
@Timeout(120)
class SmpTest {
    @TempDir
    Path dir;

    @Test
    void theSmpGuestRunsBothCpusAsANormalGuest() throws Exception {
        try (VmmFixture.Guest g = new VmmFixture.Guest(TestGuests.flat("smp-O2"), false, Trace.OFF, 2)) {
            Outcome o = g.vmm.run();
            assertThat(g.console()).isEqualTo(TestGuests.expected("smp"));
            assertThat(o.exitCode()).isZero();
        }
    }

    @Test
    void theSmpGuestRunsBothCpusProtected() throws Exception {
        try (VmmFixture.Guest g = new VmmFixture.Guest(TestGuests.seImage(dir, "smp-O2"), true, Trace.OFF, 2)) {
            Outcome o = g.vmm.run();
            assertThat(g.console()).isEqualTo(TestGuests.expected("smp"));
            assertThat(o.exitCode()).isZero();
            assertThat(g.vmm.isProtected()).isTrue();
        }
    }
}
