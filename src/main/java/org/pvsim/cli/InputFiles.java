package org.pvsim.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Function;
import org.pvsim.image.BoundedInput;

/** Reads an input file and parses it, so that every error names the file it is about. */
final class InputFiles {
    private InputFiles() {
    }

    static <T> T read(Path path, BoundedInput.Limit limit, Function<byte[], T> parser) {
        byte[] bytes = readBytes(path, limit);
        try {
            return parser.apply(bytes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
        }
    }

    static byte[] readBytes(Path path, BoundedInput.Limit limit) {
        try {
            return BoundedInput.readAll(path, limit);
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
