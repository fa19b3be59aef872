package org.pvsim.image;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/** Files that are not plain small files: named pipes and sparse giants. */
public final class SpecialFiles {
    private SpecialFiles() {
    }

    /** A named pipe whose writer sends {@code data} once a reader opens it. */
    public static Path fifo(Path dir, String name, byte[] data) throws IOException, InterruptedException {
        Path p = dir.resolve(name);
        Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
        if (mk.waitFor() != 0) {
            throw new IOException("mkfifo " + p + " failed");
        }
        CompletableFuture.runAsync(() -> {
            try {
                Files.write(p, data);
            } catch (IOException e) {
                // the reader stopped early: fine
            }
        });
        return p;
    }

    /** A file of {@code size} bytes that takes no disk space. */
    public static Path sparse(Path dir, String name, long size) throws IOException {
        Path p = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(size);
        }
        return p;
    }
}
