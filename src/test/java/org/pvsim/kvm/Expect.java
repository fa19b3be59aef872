package org.pvsim.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Asserting that an ioctl fails with a given errno (and, where a UV call decided it, rc/rrc). */
final class Expect {
    private Expect() {
    }

    interface Ioctl {
        void run();
    }

    static KvmException errno(Errno errno, Ioctl ioctl) {
        try {
            ioctl.run();
        } catch (KvmException e) {
            assertThat(e.errno()).as("errno of: %s", e.getMessage()).isEqualTo(errno);
            assertThat(e.getMessage()).startsWith(e.command() + ": " + errno);
            return e;
        }
        return fail("expected " + errno + " but the ioctl succeeded");
    }

    static KvmException errno(Errno errno, int rc, int rrc, Ioctl ioctl) {
        KvmException e = errno(errno, ioctl);
        assertThat(e.rc()).as("rc of: %s", e.getMessage()).isEqualTo(rc);
        assertThat(e.rrc()).as("rrc of: %s", e.getMessage()).isEqualTo(rrc);
        return e;
    }
}
