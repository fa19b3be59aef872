package org.pvsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pvsim.image.SeImage;
import org.pvsim.image.SeImageReader;
import org.pvsim.image.SpecialFiles;
import org.pvsim.image.TestImages;

/**
 * Every file input read through the bounded reader: /dev/zero, a pipe, a huge sparse file or a directory
 * gets one line naming the file (and the limit), never an OutOfMemoryError, an empty result or success.
 */
class InputSafetyTest {
    @TempDir
    static Path shared;
    @TempDir
    Path dir;

    static Path hkd;
    static Path hostKey;
    static Path kernel;

    @BeforeAll
    static void keys() throws Exception {
        var host = HostKeyFixtures.ec("secp521r1");
        hkd = HostKeyFixtures.certificate(shared, "host", host);
        hostKey = HostKeyFixtures.privateKey(shared, "host", host);
        kernel = TestImages.kernel(shared, 0x12345, 1);
    }

    ImageCommandTest.Run create(String... extra) {
        List<String> a = new ArrayList<>(List.of("image", "create", "-i", kernel.toString(), "-o",
                dir.resolve("out.img").toString(), "-k", hkd.toString(), "--no-verify"));
        a.addAll(List.of(extra));
        return ImageCommandTest.run(a.toArray(String[]::new));
    }

    static void failsNaming(ImageCommandTest.Run r, String file, String fragment) {
        assertThat(r.rc()).as(r.err()).isEqualTo(1);
        List<String> lines = r.err().lines().filter(l -> !l.equals(ImageCommand.NO_VERIFY_WARNING)).toList();
        assertThat(lines).as(r.err()).hasSize(1);
        assertThat(lines.get(0)).startsWith("pvsim: ").contains(file).contains(fragment);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-p", "--hdr-key", "--cck", "--image-key"})
    void devZeroForASmallCreateInputIsRefusedAtItsLimit(String option) {
        failsNaming(create(option, "/dev/zero"), "/dev/zero", "limit for a");
    }

    @Test
    void devZeroAsHostKeyDocumentCertificateOrCrl() {
        failsNaming(ImageCommandTest.run("image", "create", "-i", kernel.toString(), "-o", dir.resolve("o").toString(),
                "-k", "/dev/zero", "--no-verify"), "/dev/zero", "1 MiB (1048576 bytes) limit for a host-key document");
        failsNaming(ImageCommandTest.run("image", "create", "-i", kernel.toString(), "-o", dir.resolve("o").toString(),
                "-k", hkd.toString(), "-C", "/dev/zero"), "/dev/zero", "limit for a certificate");
        failsNaming(ImageCommandTest.run("image", "create", "-i", kernel.toString(), "-o", dir.resolve("o").toString(),
                "-k", hkd.toString(), "-C", hkd.toString(), "--crl", "/dev/zero"), "/dev/zero", "16 MiB (16777216 bytes) limit for a CRL");
        failsNaming(ImageCommandTest.run("hostkey", "verify", "-k", hkd.toString(), "-C", hkd.toString(), "--crl", "/dev/zero"),
                "/dev/zero", "limit for a CRL");
    }

    @Test
    void devZeroAsHostKey() throws Exception {
        Path img = dir.resolve("out.img");
        assertThat(create().rc()).isZero();
        failsNaming(ImageCommandTest.run("image", "verify", "--host-key", "/dev/zero", img.toString()), "/dev/zero",
                "64 KiB (65536 bytes) limit for a host key");
        failsNaming(ImageCommandTest.run("image", "info", "--host-key", "/dev/zero", img.toString()), "/dev/zero",
                "limit for a host key");
    }

    /** A device as kernel, ramdisk or image is refused by name at once, not copied up to the 1 GiB pipe limit. */
    @Test
    void aDeviceAsKernelRamdiskOrImageIsRefusedAtOnce() {
        long t = System.nanoTime();
        failsNaming(ImageCommandTest.run("image", "create", "-i", "/dev/zero", "-o", dir.resolve("o").toString(),
                "-k", hkd.toString(), "--no-verify"), "/dev/zero", "is a character device (give the kernel as a"
                + " regular file or a pipe)");
        failsNaming(create("-r", "/dev/zero"), "/dev/zero", "is a character device (give the ramdisk as");
        failsNaming(create("-r", "/dev/urandom"), "/dev/urandom", "is a character device");
        failsNaming(ImageCommandTest.run("image", "info", "/dev/zero"), "/dev/zero", "is a character device");
        assertThat(System.nanoTime() - t).as("refused before reading").isLessThan(5_000_000_000L);
        assertThat(dir.resolve("o")).doesNotExist();
    }

    @Test
    void aRamdiskFromAPipeIsReadNotTakenAsEmpty() throws Exception {
        byte[] initrd = new byte[0x5123];
        new java.util.Random(3).nextBytes(initrd);
        Path pipe = SpecialFiles.fifo(dir, "initrd.pipe", initrd);
        ImageCommandTest.Run r = create("-r", pipe.toString());
        assertThat(r.rc()).as(r.err()).isZero();
        SeImage img = SeImageReader.read(dir.resolve("out.img"));
        assertThat(img.components()).hasSize(3); // kernel, ramdisk, stage3b
        assertThat(img.components().get(1).length()).isEqualTo(0x6000);
    }

    @Test
    void aKernelAndAnImageFromAPipe() throws Exception {
        Path pipe = SpecialFiles.fifo(dir, "kernel.pipe", Files.readAllBytes(kernel));
        ImageCommandTest.Run r = ImageCommandTest.run("image", "create", "-i", pipe.toString(), "-o",
                dir.resolve("out.img").toString(), "-k", hkd.toString(), "--no-verify");
        assertThat(r.rc()).as(r.err()).isZero();
        Path imgPipe = SpecialFiles.fifo(dir, "img.pipe", Files.readAllBytes(dir.resolve("out.img")));
        ImageCommandTest.Run info = ImageCommandTest.run("image", "info", "--format", "text:full", imgPipe.toString());
        assertThat(info.rc()).as(info.err()).isZero();
        assertThat(info.out()).contains("SE image " + imgPipe);
        Path imgPipe2 = SpecialFiles.fifo(dir, "img2.pipe", Files.readAllBytes(dir.resolve("out.img")));
        ImageCommandTest.Run v = ImageCommandTest.run("image", "verify", "--host-key", hostKey.toString(), imgPipe2.toString());
        assertThat(v.rc()).as(v.err()).isZero();
    }

    @Test
    void machineRunBoundsItsProgramByTheMemory() throws Exception {
        failsNaming(ImageCommandTest.run("machine", "run", "/dev/zero"), "/dev/zero",
                "more than 67108864 bytes read, which do not fit in 67108864 bytes of memory");
        Path big = SpecialFiles.sparse(dir, "big.elf", 3L << 30);
        long t = System.nanoTime();
        failsNaming(ImageCommandTest.run("machine", "run", "--memory", "1G", big.toString()), big.toString(),
                "3221225472 bytes do not fit in 1073741824 bytes of memory");
        assertThat(System.nanoTime() - t).as("refused by its size, not read").isLessThan(2_000_000_000L);
        failsNaming(ImageCommandTest.run("machine", "run", dir.toString()), dir.toString(), "is a directory");
    }

    @Test
    void runBoundsItsKernelByTheGuestMemory() {
        failsNaming(ImageCommandTest.run("run", "-kernel", "/dev/zero", "-m", "16"), "/dev/zero",
                "not fit in 16777216 bytes of memory");
    }
}
