package org.pvsim.image;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Pattern;

/**
 * The hidden {@code .NAME.NNN.part} an image is written to before it is renamed into place. It is
 * owner-only (0600, as pvimg writes images), removed if the JVM is stopped meanwhile ({@link TemporaryFiles}),
 * and locked while written: a part of the same output nobody holds a lock on was left by a killed create,
 * and the next create removes it.
 */
final class PartFile implements Closeable {
    private final Path path;
    private final FileChannel channel;
    private boolean placed;

    private PartFile(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    static PartFile create(Path out, Path given) throws IOException {
        Path tmp;
        try {
            tmp = Files.createTempFile(out.getParent(), "." + out.getFileName() + ".", ".part");
        } catch (IOException e) {
            throw new IOException("cannot write " + given + ": cannot create a file in " + out.getParent()
                    + (e instanceof FileSystemException f && f.getReason() != null ? " (" + f.getReason() + ")" : ""), e);
        }
        TemporaryFiles.register(tmp);
        FileChannel ch = null;
        try {
            ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
            ch.lock();
            return new PartFile(tmp, ch);
        } catch (IOException | RuntimeException e) {
            if (ch != null) {
                ch.close();
            }
            TemporaryFiles.delete(tmp);
            throw e;
        }
    }

    Path path() {
        return path;
    }

    FileChannel channel() {
        return channel;
    }

    /** Renamed to the output: nothing to remove any more. */
    void placed() {
        placed = true;
        TemporaryFiles.forget(path);
    }

    @Override
    public void close() throws IOException {
        channel.close();
        if (!placed) {
            TemporaryFiles.delete(path);
        }
    }

    /** Removes the parts of {@code out} that no running create holds (left by a kill -9, a crash, a power cut). */
    static void removeStale(Path out) {
        Pattern mine = Pattern.compile(Pattern.quote("." + out.getFileName() + ".") + "[0-9]+" + Pattern.quote(".part"));
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(out.getParent(),
                p -> mine.matcher(p.getFileName().toString()).matches())) {
            for (Path p : dir) {
                removeIfUnlocked(p);
            }
        } catch (IOException e) {
            // cleaning up is a courtesy: the create itself goes on
        }
    }

    private static void removeIfUnlocked(Path p) {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            FileLock lock = ch.tryLock();
            if (lock != null) {
                Files.deleteIfExists(p);
                lock.release();
            }
        } catch (OverlappingFileLockException | IOException e) {
            // held by this JVM, or gone meanwhile: not stale
        }
    }
}
