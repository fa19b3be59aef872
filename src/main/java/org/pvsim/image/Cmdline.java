package org.pvsim.image;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/** The kernel command line component: the parmfile's bytes with a terminating NUL unless it already has one. */
final class Cmdline {
    /** No command line is near this; it only bounds what is read into memory. */
    static final long MAX_FILE_SIZE = 1 << 20;

    private Cmdline() {
    }

    static byte[] read(Path parmfile) throws IOException {
        return of(BoundedInput.readAll(parmfile, BoundedInput.Limit.of("parmfile", MAX_FILE_SIZE)));
    }

    /** The component for a parmfile's bytes. */
    static byte[] of(byte[] b) {
        if (b.length > 0 && b[b.length - 1] == 0) {
            return b;
        }
        return Arrays.copyOf(b, b.length + 1);
    }
}
