package org.pvsim.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** The kernel command line component: the parmfile's bytes with a terminating NUL unless it already has one. */
final class Cmdline {
    /** No command line is near this; it only bounds what is read into memory. */
    static final long MAX_FILE_SIZE = 1 << 20;

    private Cmdline() {
    }

    static byte[] read(Path parmfile) throws IOException {
        if (Files.isDirectory(parmfile)) {
            throw new IllegalArgumentException("parmfile " + parmfile + " is a directory");
        }
        long size = Files.size(parmfile);
        if (size > MAX_FILE_SIZE) {
            throw new IllegalArgumentException("parmfile " + parmfile + " is " + size + " bytes, too large for a kernel command line");
        }
        byte[] b = Files.readAllBytes(parmfile);
        if (b.length > 0 && b[b.length - 1] == 0) {
            return b;
        }
        return Arrays.copyOf(b, b.length + 1);
    }
}
