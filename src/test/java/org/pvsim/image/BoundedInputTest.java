package org.pvsim.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of file pvsim may be handed: regular, sparse and huge, a pipe, a device, a /proc file. */
class BoundedInputTest {
    @TempDir
    Path dir;

    static final BoundedInput.Limit SMALL = BoundedInput.Limit.of("test input", 4096);
    static final BoundedInput.Limit STREAMED = new BoundedInput.Limit("big input", 1L << 40, 1 << 20);

    static Path fifo(Path dir, String name, byte[] data) throws Exception {
        return SpecialFiles.fifo(dir, name, data);
    }

    static Path sparse(Path dir, String name, long size) throws IOException {
        return SpecialFiles.sparse(dir, name, size);
    }

    @Test
    void devZeroStopsAtTheLimitWithOneLineNamingTheFileAndTheLimit() {
        assertThatThrownBy(() -> BoundedInput.readAll(Path.of("/dev/zero"), SMALL))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("/dev/zero: more than the 4 KiB (4096 bytes) limit for a test input");
    }

    /** A device given as a big input is refused by name before a byte is read (not copied up to the limit). */
    @Test
    void aCharacterDeviceIsRefusedAtOnceAsABigInput() {
        for (String dev : new String[] {"/dev/zero", "/dev/urandom", "/dev/null"}) {
            long before = System.nanoTime();
            assertThatThrownBy(() -> BoundedInput.open(Path.of(dev), BoundedInput.Limit.RAMDISK))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(dev + ": is a character device (give the ramdisk as a regular file or a pipe)");
            assertThat(System.nanoTime() - before).as(dev).isLessThan(500_000_000L);
        }
    }

    /** A pipe to the same endless stream is still read, and stops at its limit. */
    @Test
    void anEndlessPipeStopsAtTheStreamedLimit() throws Exception {
        Path fifo = dir.resolve("endless");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        Process writer = new ProcessBuilder("sh", "-c", "exec cat /dev/zero > '" + fifo + "'").start();
        try {
            assertThatThrownBy(() -> BoundedInput.open(fifo, STREAMED))
                    .hasMessage(fifo + ": more than the 1 MiB (1048576 bytes) limit for a big input read from a"
                            + " pipe or device (give a regular file for more)");
        } finally {
            writer.destroy();
        }
    }

    @Test
    void aHugeSparseFileIsRefusedByItsSizeBeforeAnyRead() throws Exception {
        Path big = sparse(dir, "big", 3L << 30);
        long before = System.nanoTime();
        assertThatThrownBy(() -> BoundedInput.readAll(big, SMALL))
                .hasMessage(big + ": 3221225472 bytes, more than the 4 KiB (4096 bytes) limit for a test input");
        assertThat(System.nanoTime() - before).isLessThan(1_000_000_000L);
    }

    @Test
    void aPipeIsReadWholeNotAsEmpty() throws Exception {
        byte[] data = new byte[3000];
        new java.util.Random(1).nextBytes(data);
        assertThat(BoundedInput.readAll(fifo(dir, "p1", data), SMALL)).isEqualTo(data);
        byte[] large = new byte[300_000];
        new java.util.Random(2).nextBytes(large);
        Path spool;
        try (BoundedInput.Source s = BoundedInput.open(fifo(dir, "p2", large), STREAMED)) {
            assertThat(s.size()).isEqualTo(large.length);
            assertThat(s.name()).isEqualTo(dir.resolve("p2"));
            assertThat(Files.readAllBytes(s.path())).isEqualTo(large);
            spool = s.path();
        }
        assertThat(spool).doesNotExist();
    }

    @Test
    void aProcFileThatSaysSizeZeroIsReadByContent() throws Exception {
        assertThat(Files.size(Path.of("/proc/self/status"))).isZero();
        assertThat(new String(BoundedInput.readAll(Path.of("/proc/self/status"), SMALL))).contains("Name:");
        try (BoundedInput.Source s = BoundedInput.open(Path.of("/proc/self/status"), STREAMED)) {
            assertThat(s.size()).isPositive();
        }
    }

    @Test
    void aRegularFileIsUsedInPlace() throws Exception {
        Path f = Files.write(dir.resolve("f"), new byte[100]);
        try (BoundedInput.Source s = BoundedInput.open(f, STREAMED)) {
            assertThat(s.path()).isEqualTo(f);
            assertThat(s.size()).isEqualTo(100);
        }
        assertThat(f).exists();
    }

    @Test
    void missingFilesAndDirectoriesAreNamed() {
        assertThatThrownBy(() -> BoundedInput.readAll(dir.resolve("nope"), SMALL))
                .isInstanceOf(NoSuchFileException.class).hasMessage(dir.resolve("nope") + " (test input)");
        assertThatThrownBy(() -> BoundedInput.readAll(dir, SMALL)).hasMessage(dir + ": is a directory, not a test input");
    }

    @Test
    void sizesAreDescribedInBinaryUnits() {
        assertThat(Sizes.describe(32)).isEqualTo("32 bytes");
        assertThat(Sizes.describe(1500)).isEqualTo("1500 bytes");
        assertThat(Sizes.describe(16L << 30)).isEqualTo("16 GiB (17179869184 bytes)");
        assertThat(Sizes.hex(-65536)).isEqualTo("0xffffffffffff0000");
    }
}
