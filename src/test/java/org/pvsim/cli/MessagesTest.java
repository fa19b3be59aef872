package org.pvsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pvsim.image.TestImages;

/** The messages issue 14 found misleading, each now saying what is wrong with what. */
class MessagesTest {
    @TempDir
    Path dir;

    static void fails(ImageCommandTest.Run r, String expected) {
        assertThat(r.rc()).as(r.err()).isEqualTo(1);
        List<String> lines = r.err().lines().filter(l -> !l.equals(ImageCommand.NO_VERIFY_WARNING)).toList();
        assertThat(lines).as(r.err()).hasSize(1);
        assertThat(lines.get(0)).isEqualTo("pvsim: " + expected);
    }

    @Test
    void hugeMemorySizesDoNotOverflowAndTerabytesAreSizes() {
        fails(ImageCommandTest.run("machine", "run", "--memory", "99999999999999G", "x"),
                "--memory: 99999999999999G is too large: pvsim's machines have at most 4T of memory");
        fails(ImageCommandTest.run("run", "-m", "99999999999999999", "-kernel", "x"),
                "-m: 99999999999999999 is too large: pvsim's machines have at most 4T of memory");
        assertThat(SizeOption.parse("1T", "--memory", 1)).isEqualTo(1L << 40);
        assertThat(SizeOption.parse("2GiB", "--memory", 1)).isEqualTo(2L << 30);
        assertThat(RunCommand.parseMemory("512")).isEqualTo(512L << 20);
        fails(ImageCommandTest.run("machine", "run", "--memory", "lots", "x"),
                "--memory: not a size: 'lots' (a number with a K, M, G or T suffix)");
    }

    @Test
    void farFutureDaysAreRefusedWithoutAJavaException() {
        fails(ImageCommandTest.run("hostkey", "create", "--key-out", dir.resolve("k").toString(), "--cert-out",
                dir.resolve("c").toString(), "--days", "99999999"),
                "--days 99999999: the document would expire after 9999-12-31, the last date an X.509 certificate can hold");
    }

    @Test
    void elfSizesArePrintedAsUnsignedHex() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(0x200);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 2, 1});
        b.putShort(18, (short) 22).putLong(24, 0x1000).putLong(32, 64).putShort(54, (short) 56).putShort(56, (short) 1);
        b.putInt(64, 1).putLong(72, 0x100).putLong(88, 0x1000).putLong(96, -65536L).putLong(104, -65536L);
        Path elf = Files.write(dir.resolve("bad.elf"), b.array());
        ImageCommandTest.Run r = ImageCommandTest.run("machine", "run", elf.toString());
        assertThat(r.err()).contains("file size 0xffffffffffff0000").doesNotContain("-65536");
    }

    @Test
    void fileTooLargeNamesTheOutput() throws Exception {
        Path kernel = TestImages.kernel(dir, 0x40000, 1);
        Path hkd = HostKeyFixtures.certificate(dir, "host", HostKeyFixtures.ec("secp521r1"));
        Path out = dir.resolve("out.img");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // 100 blocks of 512 bytes: the JVM ignores SIGXFSZ, so the write fails with EFBIG
        Process p = new ProcessBuilder("bash", "-c", "ulimit -f 100; exec \"$@\"", "bash", java,
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), "-cp", cp,
                "org.pvsim.cli.Main", "image", "create", "-i", kernel.toString(), "-o", out.toString(), "-k",
                hkd.toString(), "--no-verify").redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isEqualTo(1);
        assertThat(output).contains("pvsim: cannot write " + out + ": File too large");
        assertThat(out).doesNotExist();
    }
}
