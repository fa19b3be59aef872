package org.pvsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pvsim.image.SpecialFiles;
import org.pvsim.image.TestImages;

/** -o and the other outputs: only new paths or regular files, never an input, images 0600, no parts left. */
class OutputSafetyTest {
    @TempDir
    static Path shared;
    @TempDir
    Path dir;

    static Path hkd;
    static Path kernel;

    @BeforeAll
    static void keys() throws Exception {
        hkd = HostKeyFixtures.certificate(shared, "host", HostKeyFixtures.ec("secp521r1"));
        kernel = TestImages.kernel(shared, 0x12345, 1);
    }

    ImageCommandTest.Run create(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("image", "create", "-i", kernel.toString(), "-o", out.toString(),
                "-k", hkd.toString(), "--no-verify"));
        a.addAll(List.of(extra));
        return ImageCommandTest.run(a.toArray(String[]::new));
    }

    static void fails(ImageCommandTest.Run r, String fragment) {
        assertThat(r.rc()).as(r.err()).isEqualTo(1);
        List<String> lines = r.err().lines().filter(l -> !l.equals(ImageCommand.NO_VERIFY_WARNING)).toList();
        assertThat(lines).as(r.err()).hasSize(1);
        assertThat(lines.get(0)).startsWith("pvsim: ").contains(fragment);
    }

    @Test
    void aFifoOrSymlinkIsNotReplacedEvenWithOverwrite() throws Exception {
        Path fifo = SpecialFiles.fifo(dir, "fifo", new byte[0]);
        fails(create(fifo, "--overwrite"), fifo + ": is not a regular file (a device, FIFO or socket)");
        assertThat(Files.isRegularFile(fifo, LinkOption.NOFOLLOW_LINKS)).isFalse();
        Path real = Files.write(dir.resolve("real"), new byte[] {1});
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        fails(create(link, "--overwrite"), link + ": is a symbolic link");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        fails(create(Path.of("/dev/null"), "--overwrite"), "/dev/null: is not a regular file");
        fails(ImageCommandTest.run("hostkey", "create", "--key-out", link.toString(), "--cert-out",
                dir.resolve("c.pem").toString(), "--overwrite"), link + ": is a symbolic link");
        assertThat(Files.readAllBytes(real)).containsExactly(1);
        Open.drain(fifo);
    }

    @Test
    void runsTraceIsNoDeviceAndNotTheImage() throws Exception {
        Path img = Files.write(dir.resolve("img"), new byte[16]);
        fails(ImageCommandTest.run("run", "-kernel", img.toString(), "--trace", "/dev/null"),
                "/dev/null: is not a regular file");
        fails(ImageCommandTest.run("run", "-kernel", img.toString(), "--trace", img.toString()),
                img + ": is also an input of this command");
    }

    @Test
    void theOutputMayNotBeAnInput() throws Exception {
        Path k = Files.copy(kernel, dir.resolve("k"));
        byte[] before = Files.readAllBytes(k);
        fails(ImageCommandTest.run("image", "create", "-i", k.toString(), "-o", k.toString(),
                "-k", hkd.toString(), "--no-verify", "--overwrite"), k + ": is also an input of this command");
        fails(ImageCommandTest.run("image", "create", "-i", k.toString(), "-o", dir.resolve("./k").toString(),
                "-k", hkd.toString(), "--no-verify", "--overwrite"), "is also an input");
        Path p = Files.writeString(dir.resolve("parm"), "root=/dev/vda");
        fails(create(p, "-p", p.toString(), "--overwrite"), "is also an input");
        fails(create(dir.resolve("r"), "-r", dir.resolve("r").toString()), "is also an input");
        assertThat(Files.readAllBytes(k)).isEqualTo(before);
    }

    /** The host-key documents and keys are inputs too: -o naming one would destroy it. */
    @Test
    void noOutputMayReplaceAKeyOrDocument() throws Exception {
        Path doc = Files.copy(hkd, dir.resolve("doc.crt"));
        Path cck = Files.write(dir.resolve("cck"), new byte[32]);
        byte[] docBefore = Files.readAllBytes(doc);
        fails(ImageCommandTest.run("image", "create", "-i", kernel.toString(), "-o", doc.toString(), "-k", doc.toString(),
                "--no-verify", "--overwrite"), doc + ": is also an input of this command");
        fails(create(cck, "--cck", cck.toString(), "--overwrite"), cck + ": is also an input of this command");
        fails(ImageCommandTest.run("attest", "create", "-k", doc.toString(), "--no-verify", "-o", doc.toString(),
                "--arpk", dir.resolve("arpk").toString(), "--overwrite"), doc + ": is also an input");
        assertThat(Files.readAllBytes(doc)).isEqualTo(docBefore);
        assertThat(Files.readAllBytes(cck)).isEqualTo(new byte[32]);
    }

    /** pvsim secret create's --output-secret: not an input, not the request. */
    @Test
    void theSecretOutputIsNoInputAndNotTheRequest() throws Exception {
        Path img = dir.resolve("se.img");
        assertThat(create(img).rc()).isZero();
        Path doc = Files.copy(hkd, dir.resolve("doc.crt"));
        byte[] docBefore = Files.readAllBytes(doc);
        Path in = Files.write(dir.resolve("in.secret"), new byte[32]);
        Path req = dir.resolve("r.req");
        List<String> base = List.of("secret", "create", "-k", doc.toString(), "--no-verify", "--hdr", img.toString(),
                "-o", req.toString(), "--overwrite", "association", "name");
        for (Path bad : List.of(doc, img, in, req)) {
            List<String> a = new ArrayList<>(base);
            a.addAll(List.of("--input-secret", in.toString(), "--output-secret", bad.toString()));
            ImageCommandTest.Run r = ImageCommandTest.run(a.toArray(String[]::new));
            assertThat(r.rc()).as(r.err()).isEqualTo(1);
            assertThat(r.err().lines().toList()).as(r.err()).hasSize(1);
            assertThat(r.err()).startsWith("pvsim: " + bad + ": ").containsAnyOf("is also an input", "given for two outputs");
        }
        assertThat(Files.exists(req)).isFalse();
        assertThat(Files.readAllBytes(doc)).isEqualTo(docBefore);
        assertThat(Files.readAllBytes(in)).isEqualTo(new byte[32]);
        List<String> ok = new ArrayList<>(base);
        ok.addAll(List.of("--output-secret", dir.resolve("out.secret").toString()));
        ImageCommandTest.Run r = ImageCommandTest.run(ok.toArray(String[]::new));
        assertThat(r.rc()).as(r.err()).isZero();
    }

    @Test
    void imagesAreOwnerOnly() throws Exception {
        Path out = dir.resolve("se.img");
        assertThat(create(out).rc()).isZero();
        assertThat(Files.getPosixFilePermissions(out)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void unwritableDirectoriesAreNamedAsSuch() {
        fails(create(Path.of("/proc/x")), "cannot write /proc/x: cannot create a file in /proc");
        fails(ImageCommandTest.run("hostkey", "create", "--key-out", "/proc/x.key", "--cert-out",
                dir.resolve("c.pem").toString()), "cannot write /proc/x.key: cannot create a file in /proc");
        fails(create(dir.resolve("nodir/x.img")), "no such directory " + dir.resolve("nodir"));
    }

    @Test
    void staleUnlockedPartsOfTheSameOutputAreRemovedLiveOnesKept() throws Exception {
        Path stale = Files.write(dir.resolve(".se.img.123456789.part"), new byte[4096]);
        Path live = Files.write(dir.resolve(".se.img.987654321.part"), new byte[4096]);
        Path other = Files.write(dir.resolve(".other.img.5.part"), new byte[1]);
        try (FileChannel ch = FileChannel.open(live, StandardOpenOption.WRITE); FileLock l = ch.lock()) {
            assertThat(create(dir.resolve("se.img")).rc()).isZero();
        }
        assertThat(stale).doesNotExist();
        assertThat(live).exists();
        assertThat(other).exists();
    }

    @Test
    void sigtermDuringCreateRemovesThePart() throws Exception {
        Path big = SpecialFiles.sparse(dir, "big-kernel", 8L << 30);
        Path out = dir.resolve("big.img");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), "-cp", cp,
                "org.pvsim.cli.Main", "image", "create", "-i", big.toString(), "-o", out.toString(),
                "-k", hkd.toString(), "--no-verify", "--no-component-check")
                .redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (parts().isEmpty() && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(parts()).as(Files.readString(dir.resolve("log"))).hasSize(1);
            Thread.sleep(300);
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        assertThat(parts()).isEmpty();
        assertThat(out).doesNotExist();
    }

    private List<String> parts() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(x -> x.getFileName().toString()).filter(n -> n.endsWith(".part")).toList();
        }
    }

    /** Opens a FIFO for reading, so the helper writing to it can finish. */
    static final class Open {
        static void drain(Path fifo) throws Exception {
            try (var in = Files.newInputStream(fifo)) {
                in.readAllBytes();
            }
        }
    }

}
