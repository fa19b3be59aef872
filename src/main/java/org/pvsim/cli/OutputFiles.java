package org.pvsim.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pvsim.image.OutputTarget;
import org.pvsim.image.TemporaryFiles;

/**
 * Writes a set of output files all or nothing: every file goes to a temporary file next to its target
 * first, and only when all are written are they renamed into place. Secrets get mode 0600.
 * Existing files are refused unless overwriting was asked for.
 */
final class OutputFiles {
    private record Output(Path target, byte[] content, boolean secret) {
    }

    private final Map<Path, Output> outputs = new LinkedHashMap<>();
    private final boolean overwrite;

    OutputFiles(boolean overwrite) {
        this.overwrite = overwrite;
    }

    /** A file anyone may read (certificates, CRLs): mode 0644. */
    OutputFiles add(Path target, byte[] content) {
        return put(target, content, false);
    }

    /** A private key: mode 0600. */
    OutputFiles addSecret(Path target, byte[] content) {
        return put(target, content, true);
    }

    private OutputFiles put(Path target, byte[] content, boolean secret) {
        Path key = target.toAbsolutePath().normalize();
        if (outputs.containsKey(key)) {
            throw new IllegalArgumentException(target + ": given for two outputs");
        }
        outputs.put(key, new Output(target, content, secret));
        return this;
    }

    /** Refuses if any target exists (without overwrite) or is a directory; nothing is written then. */
    void checkTargets() {
        checkTargets(outputs.values().stream().map(Output::target).toList(), overwrite);
    }

    /** The same check before the outputs exist, so that slow work is not done in vain. */
    static void checkTargets(List<Path> targets, boolean overwrite, Path... inputs) {
        Set<Path> seen = new HashSet<>();
        for (Path target : targets) {
            if (!seen.add(target.toAbsolutePath().normalize())) {
                throw new IllegalArgumentException(target + ": given for two outputs");
            }
            if (OutputTarget.check(target, inputs) && !overwrite) {
                throw new IllegalArgumentException(target + ": file exists (use --overwrite to replace it)");
            }
        }
    }

    /** Writes all files, or (on any failure) none: temporary files and already placed new files are removed. */
    List<Path> write() {
        checkTargets();
        Map<Output, Path> temps = new LinkedHashMap<>();
        Set<Path> placed = new HashSet<>();
        try {
            for (Output o : outputs.values()) {
                Path temp = createTemp(o.target());
                TemporaryFiles.register(temp);
                temps.put(o, temp);
                try {
                    Files.write(temp, o.content());
                    setMode(temp, o.secret() ? "rw-------" : "rw-r--r--");
                } catch (IOException e) {
                    throw withTarget(e, o.target());
                }
            }
            for (Map.Entry<Output, Path> e : temps.entrySet()) {
                Path target = e.getKey().target();
                boolean existed = Files.exists(target);
                place(e.getValue(), target);
                TemporaryFiles.forget(e.getValue());
                if (!existed) {
                    placed.add(target);
                }
            }
            return outputs.values().stream().map(Output::target).toList();
        } catch (IOException | RuntimeException e) {
            for (Path t : temps.values()) {
                TemporaryFiles.delete(t);
            }
            for (Path p : placed) {
                deleteQuietly(p);
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException(describe(io), io);
            }
            throw (RuntimeException) e;
        }
    }

    /** Created with mode 0600 (the JDK's default for temporary files), so a key is never readable by others. */
    private static Path createTemp(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        try {
            return Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        } catch (IOException e) {
            throw withTarget(e, target);
        }
    }

    private void place(Path temp, Path target) throws IOException {
        try {
            if (overwrite) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.move(temp, target); // fails if the target appeared meanwhile
            }
        } catch (IOException e) {
            throw withTarget(e, target);
        }
    }

    private static void setMode(Path p, String mode) throws IOException {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the platform's defaults apply
        }
    }

    /** Reports the file the user named, not our temporary file. */
    private static IOException withTarget(IOException e, Path target) {
        if (e instanceof FileAlreadyExistsException) {
            return new IOException(target + ": file exists (use --overwrite to replace it)", e);
        }
        if (e instanceof AccessDeniedException) {
            return new IOException("cannot write " + target + ": permission denied", e);
        }
        if (e instanceof NoSuchFileException) {
            Path dir = target.toAbsolutePath().getParent();
            return new IOException("cannot write " + target + (Files.isDirectory(dir)
                    ? ": cannot create a file in " + dir : ": no such directory " + dir), e);
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return new IOException("cannot write " + target + ": " + fse.getReason(), e);
        }
        return new IOException("cannot write " + target + ": " + e.getMessage(), e);
    }

    private static String describe(IOException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: the error being reported matters more
        }
    }
}
