package org.pvsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.pvsim.image.TestImages;
import org.pvsim.se.Pem;
import org.pvsim.vmm.TestGuests;

/**
 * {@code pvsim run} as a user runs it: the C test guests protected and with two vCPUs, console input from
 * stdin, the guest's exit status (EXIT: STATUS=N, disabled waits) as the command's, and the one-line
 * errors of images that must not start.
 */
@Timeout(120)
class RunCommandTest {
    @TempDir
    Path dir;
    private final InputStream stdin = System.in;

    record Result(int rc, String out, String err) {
    }

    @BeforeEach
    void noConsoleInput() {
        System.setIn(new ByteArrayInputStream(new byte[0]));
    }

    @AfterEach
    void restoreStdin() {
        System.setIn(stdin);
    }

    private Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(rc, out.toString(), err.toString());
    }

    private Path hostKey() throws Exception {
        Path p = dir.resolve("host.key");
        Files.write(p, Pem.writePrivateKey(TestImages.HOST.getPrivate()));
        return p;
    }

    private Path image(String guest) throws Exception {
        Path p = dir.resolve(guest + ".img");
        Files.write(p, TestGuests.seImage(dir, guest));
        return p;
    }

    @Test
    void theSmpGuestBootsProtectedWithTwoCpus() throws Exception {
        Result r = run("run", "--protected", "--host-key", hostKey().toString(), "-smp", "2",
                "-kernel", image("smp-O2").toString());
        assertThat(r.out()).isEqualTo(TestGuests.expected("smp"));
        assertThat(r.rc()).isZero();
        assertThat(r.err()).isEmpty();
    }

    @Test
    void stdinIsConsoleInputAndExitStatusNIsTheExitCode() throws Exception {
        System.setIn(new ByteArrayInputStream("hi there\nexit 3\n".getBytes(StandardCharsets.US_ASCII)));
        Result r = run("run", "-object", "s390-pv-guest,id=pv0", "-machine", "confidential-guest-support=pv0",
                "--host-key", hostKey().toString(), "-kernel", image("echo-O2").toString());
        assertThat(r.out()).isEqualTo("echo: ready\necho: hi there\nEXIT: STATUS=3\n");
        assertThat(r.rc()).isEqualTo(3);
        assertThat(r.err()).isEqualTo("pvsim: disabled wait, PSW 0002000180000000 0000000000000fff, EXIT: STATUS=3"
                + System.lineSeparator());
    }

    @Test
    void exitStatusOneMeansSuccessAsInTheTestSuite() throws Exception {
        System.setIn(new ByteArrayInputStream("exit 1\n".getBytes(StandardCharsets.US_ASCII)));
        Path guest = dir.resolve("echo.bin");
        Files.write(guest, TestGuests.flat("echo-O2"));
        Result r = run("run", "-kernel", guest.toString());
        assertThat(r.rc()).isZero();
        assertThat(r.err()).isEmpty();
    }

    @Test
    void aGuestThatCrashesInADisabledWaitExitsWithOne() throws Exception {
        Path guest = dir.resolve("pgm.bin");
        byte[] wait = new byte[16];
        ByteArrayInputStream psw = new ByteArrayInputStream(new byte[] {0x00, 0x0a, 0x00, 0x01, (byte) 0x80, 0x00, 0x0b, (byte) 0xad});
        psw.read(wait, 0, 8); // an IPL PSW that is itself a disabled wait at 0xbad
        Files.write(guest, wait);
        Result r = run("run", "-kernel", guest.toString());
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.err()).startsWith("pvsim: guest crashed: disabled wait").contains("0000000000000bad");
    }

    @Test
    void aSigpStopOfTheLastRunningCpuIsACleanShutdown() throws Exception {
        byte[] img = new byte[0x208];
        byte[] psw = {0x00, 0x08, 0x00, 0x01, (byte) 0x80, 0x00, 0x02, 0x00}; // 64-bit, enter 0x200
        byte[] code = {(byte) 0xae, 0x13, 0x00, 0x05, (byte) 0xa7, (byte) 0xf4, 0x00, 0x00}; // sigp r1,r3,5 (stop CPU 0); j .
        System.arraycopy(psw, 0, img, 0, 8);
        System.arraycopy(code, 0, img, 0x200, 8);
        Path guest = dir.resolve("stop.bin");
        Files.write(guest, img);
        Result r = run("run", "-smp", "2", "-kernel", guest.toString());
        assertThat(r.rc()).isZero();
        assertThat(r.err()).isEmpty();
    }

    @Test
    @Timeout(60) // without the option the guest would reboot until the VMM's exit guard
    void noRebootShutsDownWhereTheGuestAsksForAReboot() throws Exception {
        Path kernel = dir.resolve("reboot.bin");
        try (InputStream in = getClass().getResourceAsStream("/guests/demo/reboot.bin")) {
            Files.write(kernel, in.readAllBytes());
        }
        Result r = run("run", "-no-reboot", "-kernel", kernel.toString(), "-append", "3");
        assertThat(r.out()).isEqualTo("reboot kernel: boot 0\n");
        assertThat(r.rc()).isZero();
        assertThat(r.err()).as("a clean shutdown, as QEMU's").isEmpty();
    }

    @Test
    void anImageForAnotherHostIsRefusedWithTheKernelsErrnoAndRcRrcInOneLine() throws Exception {
        Path other = dir.resolve("other.key");
        Files.write(other, Pem.writePrivateKey(TestImages.OTHER_HOST.getPrivate()));
        Result r = run("run", "--protected", "--host-key", other.toString(), "-kernel", image("hello-O2").toString());
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.err().lines()).hasSize(1).first().asString()
                .startsWith("pvsim: Protected boot has failed")
                .contains("KVM_PV_SET_SEC_PARMS", "header rc 108", "IOCTL rc: -22 (EINVAL)");
        assertThat(r.out()).doesNotContain("hello from pvsim");
    }

    @Test
    void aTruncatedImageNeverStartsOneLineExitOne() throws Exception {
        byte[] img = Files.readAllBytes(image("hello-O2"));
        Path cut = dir.resolve("cut.img");
        Files.write(cut, Arrays.copyOf(img, 0x15000)); // the SE header, no components
        Result r = run("run", "--protected", "--host-key", hostKey().toString(), "-kernel", cut.toString());
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.err().lines()).hasSize(1).first().asString()
                .startsWith("pvsim: Protected boot has failed: the guest's PV IPL block (diag 308 subcode 8) is invalid");
        assertThat(r.out()).doesNotContain("hello from pvsim");
    }

    @Test
    void theTraceOfAnSmpRunHasEveryVcpuAndTheUltravisor() throws Exception {
        Path trace = dir.resolve("trace.json");
        Result r = run("run", "--protected", "--host-key", hostKey().toString(), "-smp", "2",
                "-kernel", image("smp-O2").toString(), "--trace", trace.toString());
        assertThat(r.rc()).isZero();
        JsonNode events = new ObjectMapper().readTree(trace.toFile()).get("traceEvents");
        boolean vcpu1 = false;
        boolean uv = false;
        for (JsonNode e : events) {
            vcpu1 |= "M".equals(e.path("ph").asText()) && "vCPU 1".equals(e.path("args").path("name").asText());
            uv |= "uv".equals(e.path("cat").asText());
        }
        assertThat(vcpu1).isTrue();
        assertThat(uv).isTrue();
    }
}
