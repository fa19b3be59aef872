package org.pvsim.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * What an output path may be: a new path or an existing regular file. A device node, FIFO, socket or
 * symbolic link is refused even with --overwrite, since writing the output next to it and renaming it into
 * place would replace the node (as root, /dev/full) with a regular file; an output that is one of the
 * command's inputs is refused, since it would be truncated while being read.
 */
public final class OutputTarget {
    private OutputTarget() {
    }

    /** Whether {@code target} exists (a regular file); throws for anything it may not be. */
    public static boolean check(Path target, Path... inputs) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            a = null; // not there (or its directory is not one): writing it reports why
        }
        if (a != null) {
            if (a.isDirectory()) {
                throw new IllegalArgumentException(target + ": is a directory");
            }
            if (a.isSymbolicLink()) {
                throw new IllegalArgumentException(target + ": is a symbolic link; give the file it points to"
                        + " (pvsim replaces only regular files)");
            }
            if (!a.isRegularFile()) {
                throw new IllegalArgumentException(target + ": is not a regular file (a device, FIFO or socket);"
                        + " pvsim replaces only regular files, even with --overwrite");
            }
        }
        for (Path in : inputs) {
            if (in != null && same(target, in)) {
                throw new IllegalArgumentException(target + ": is also an input of this command; write the output"
                        + " to another file");
            }
        }
        return a != null;
    }

    private static boolean same(Path target, Path input) {
        try {
            if (Files.exists(target) && Files.exists(input)) {
                return Files.isSameFile(target, input);
            }
        } catch (IOException e) {
            // fall back to the names
        }
        return Objects.equals(target.toAbsolutePath().normalize(), input.toAbsolutePath().normalize());
    }
}
