package org.pvsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MachineCommandTest {
    @TempDir
    Path dir;

    record Outcome(int rc, String out, String err) {
    }

    Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Outcome(rc, out.toString(), err.toString());
    }

    Path guest(String name) throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/guests/tests/" + name)) {
            Path p = dir.resolve(name);
            Files.write(p, in.readAllBytes());
            return p;
        }
    }

    @Test
    void helloRunsToTheSuccessWait() throws Exception {
        Outcome o = run("machine", "run", "--deterministic", guest("hello-O2.elf").toString());
        assertThat(o.rc()).isZero();
        assertThat(o.out()).startsWith("hello from pvsim\n");
        assertThat(o.err()).contains("disabled wait, PSW 0002000180000000 0000000000000fff");
    }

    @Test
    void aRunawayGuestIsStoppedByTheInstructionLimit() throws Exception {
        Outcome o = run("machine", "run", "--max-insns", "1000", guest("crc32-O2.bin").toString());
        assertThat(o.rc()).isEqualTo(1);
        assertThat(o.err()).contains("instruction limit of 1000 reached");
    }

    @Test
    void aFailureWaitPswExitsWithOne() throws Exception {
        // a flat image whose IPL PSW is itself a disabled wait at 0xbad
        byte[] img = new byte[16];
        byte[] psw = {0x00, 0x0a, 0x00, 0x01, (byte) 0x80, 0x00, 0x0b, (byte) 0xad};
        System.arraycopy(psw, 0, img, 0, 8);
        Path p = dir.resolve("wait.bin");
        Files.write(p, img);
        Outcome o = run("machine", "run", p.toString());
        assertThat(o.rc()).isEqualTo(1);
        assertThat(o.err()).contains("disabled wait, PSW 0002000180000000 0000000000000bad"); // bit 12 is the short format's
    }

    @Test
    void truncatedElfGetsOneClearLine() throws Exception {
        byte[] elf = Files.readAllBytes(guest("hello-O2.elf"));
        Path p = dir.resolve("cut.elf");
        Files.write(p, Arrays.copyOf(elf, 100));
        Outcome o = run("machine", "run", p.toString());
        assertThat(o.rc()).isEqualTo(1);
        assertThat(o.err().strip()).startsWith("pvsim: " + p + ": truncated").doesNotContain("\n");
    }

    @Test
    void imageLargerThanMemoryIsRejected() throws Exception {
        byte[] big = Arrays.copyOf(Files.readAllBytes(guest("hello-O2.bin")), 128 * 1024);
        Path p = dir.resolve("big.bin");
        Files.write(p, big);
        Outcome o = run("machine", "run", "--memory", "64K", p.toString());
        assertThat(o.rc()).isEqualTo(1);
        assertThat(o.err()).contains("131072 bytes do not fit in 65536 bytes of memory");
    }

    @Test
    void notAnImageIsRejected() throws Exception {
        Path p = dir.resolve("text.bin");
        Files.writeString(p, "hello world, not a program");
        Outcome o = run("machine", "run", p.toString());
        assertThat(o.rc()).isEqualTo(1);
        assertThat(o.err()).contains("bytes 0-7 are not a valid IPL PSW");
    }

    @Test
    void twoCpusRunTheSmpGuest() throws Exception {
        Outcome o = run("machine", "run", "--cpus", "2", "--deterministic", guest("smp-Os.bin").toString());
        assertThat(o.rc()).isZero();
        assertThat(o.out()).contains("hello from cpu 1\n");
    }

    @Test
    void traceShowsInstructions() throws Exception {
        Outcome o = run("machine", "run", "--trace-insn", "3", guest("hello-O2.bin").toString());
        assertThat(o.err()).contains("larl").contains("lctlg");
    }

    @Test
    void anEnabledWaitNothingCanWakeEndsWithOne() throws Exception {
        // IPL PSW 64-bit at 0x2000: lghi r2,0x3000; lgfi r1,WRITE EVENT MASK; servc r1,r2; lpswe 0xf00
        // (an enabled wait), CR0 at its reset value: the service signal can never be taken
        byte[] img = new byte[0x3000 + 32];
        byte[] psw = {0x00, 0x08, 0x00, 0x01, (byte) 0x80, 0x00, 0x20, 0x00};
        System.arraycopy(psw, 0, img, 0, 8);
        byte[] code = {(byte) 0xa7, 0x29, 0x30, 0x00, (byte) 0xc0, 0x11, 0x00, 0x78, 0x00, 0x05,
            (byte) 0xb2, 0x20, 0x00, 0x12, (byte) 0xb2, (byte) 0xb2, 0x0f, 0x00};
        System.arraycopy(code, 0, img, 0x2000, code.length);
        byte[] wait = {0x01, 0x02, 0x00, 0x01, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x21, 0x00};
        System.arraycopy(wait, 0, img, 0xf00, wait.length);
        img[0x3001] = 32;
        img[0x300b] = 4;
        Path p = dir.resolve("enabled-wait.bin");
        Files.write(p, img);
        Outcome o = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
                () -> run("machine", "run", p.toString()));
        assertThat(o.rc()).isEqualTo(1);
        assertThat(o.err()).contains("waits enabled and nothing can wake it").contains("CR0 bit 54")
                .contains("wait PSW 0102000180000000 0000000000002100");
    }

    @Test
    void aBadMaxSecondsIsRefused() throws Exception {
        Outcome o = run("machine", "run", "--max-seconds", "-1", guest("hello-O2.elf").toString());
        assertThat(o.rc()).isEqualTo(1);
        assertThat(o.err()).contains("--max-seconds");
    }

    @Test
    void interpretOnlyGivesTheSameRun() throws Exception {
        Outcome a = run("machine", "run", "--deterministic", guest("crc32-O2.bin").toString());
        Outcome b = run("machine", "run", "--deterministic", "--interpret-only", guest("crc32-O2.bin").toString());
        assertThat(a.rc()).isZero();
        assertThat(b).isEqualTo(a);
    }
    Outcome runWithStdin(byte[] stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cl = new picocli.CommandLine(new MachineCommand.Run(new java.io.ByteArrayInputStream(stdin)));
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute(args);
        return new Outcome(rc, out.toString(), err.toString());
    }

    @Test
    void stdinIsTheConsoleInput() throws Exception {
        Outcome o = runWithStdin("typed at the console\n".getBytes(), "--deterministic", guest("console-O2.bin").toString());
        assertThat(o.rc()).isZero();
        assertThat(o.out()).contains("read 21 bytes: typed at the console\n");
    }

    @Test
    void aProgramWaitingForInputAfterTheEndOfStdinStopsWithOneLine() throws Exception {
        Outcome o = runWithStdin(new byte[0], guest("console-O2.bin").toString());
        assertThat(o.rc()).isEqualTo(1);
        assertThat(o.err()).contains("every CPU waits enabled and nothing can wake it (console input has ended)");
    }

    @Test
    void ultravisorConnectsUvc() throws Exception {
        Outcome o = run("machine", "run", "--deterministic", "--ultravisor", "--memory", "4G", guest("uvc-O2.bin").toString());
        assertThat(o.rc()).isZero();
        assertThat(o.out()).contains("qui: cc 0 rc 0x1, base storage 98 MiB, init installed 1\n")
                .contains("init at 2 GiB: cc 0 rc 0x1 rrc 0x0\n");
    }

    /** A flat program that ends in a disabled wait whose address is STSI's current configuration level. */
    Path levelProgram() throws Exception {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(0x2020);
        b.putLong(0, 0x0008000180002000L).putLong(0xe00, 0x0002000180000000L);
        // lghi 0,0; stsi 0 (function code 0); srlg 1,0,28; stg 1,0xe08; lpswe 0xe00
        b.put(0x2000, java.util.HexFormat.of().parseHex("a7090000b27d0000eb10001c000ce3100e080024b2b20e00"));
        Path p = dir.resolve("level.bin");
        Files.write(p, b.array());
        return p;
    }

    @Test
    void theMachineIsAnLparUnlessItPresentsItselfAsAGuest() throws Exception {
        Path p = levelProgram();
        assertThat(run("machine", "run", p.toString()).err()).contains("PSW 0002000180000000 0000000000000002");
        assertThat(run("machine", "run", "--guest", "KVMguest", p.toString()).err())
                .contains("PSW 0002000180000000 0000000000000003");
        Outcome bad = run("machine", "run", "--guest", "NINECHARS", p.toString());
        assertThat(bad.rc()).isEqualTo(1);
        assertThat(bad.err()).contains("virtual-machine name must be 1..8 characters");
    }
}
