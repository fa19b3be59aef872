package org.pvsim.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Function;

/** Reads an input file and parses it, so that every error names the file it is about. */
final class InputFiles {
    /** Key, certificate and CRL files are small; anything larger is not one. */
    private static final long MAX_SIZE = 16L << 20;

    private InputFiles() {
    }

    static <T> T read(Path path, Function<byte[], T> parser) {
        byte[] bytes = readBytes(path);
        try {
            return parser.apply(bytes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
        }
    }

    static byte[] readBytes(Path path) {
        try {
            if (Files.isDirectory(path)) {
                throw new IOException(path + ": is a directory, not a file");
            }
            if (Files.size(path) > MAX_SIZE) {
                throw new IOException(path + ": too large (" + Files.size(path) + " bytes) for a key, certificate or CRL");
            }
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException(path + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new UncheckedIOException(path + ": permission denied", e);
        } catch (FileSystemException e) {
            throw new UncheckedIOException(path + ": cannot read: " + (e.getReason() != null ? e.getReason() : e), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }
}
