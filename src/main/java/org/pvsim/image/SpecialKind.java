package org.pvsim.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a non-regular file is, from the file type bits of its POSIX mode (st_mode & S_IFMT). */
final class SpecialKind {
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFCHR = 0020000;

    private SpecialKind() {
    }

    /**
     * "character device", "block device" or "socket"; null for a FIFO, any other file, or when the file system
     * does not say (then the caller's bounded streaming still applies).
     */
    static String of(Path p) {
        int mode;
        try {
            mode = (Integer) Files.getAttribute(p, "unix:mode");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return null;
        }
        return switch (mode & S_IFMT) {
            case S_IFCHR -> "character device";
            case S_IFBLK -> "block device";
            case S_IFSOCK -> "socket";
            default -> null;
        };
    }
}
