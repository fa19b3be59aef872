package org.pvsim.machine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.pvsim.machine.sclp.ConsoleInput;

/**
 * The machine services as gcc-built programs see them on the bare machine: console input (READ EVENT
 * DATA with the event-pending service signal), diag 308 and 288, and UVC under the Ultravisor.
 */
class LparServicesTest {
    static byte[] guest(String name) throws Exception {
        try (InputStream in = LparServicesTest.class.getResourceAsStream("/guests/tests/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    record Run(Lpar.Outcome outcome, String console) {
    }

    static Run run(String file, Lpar.Options options, ConsoleInput input, long maxNanos) throws Exception {
        StringBuilder console = new StringBuilder();
        Lpar m = Lpar.ipl(options, guest(file), file, s -> {
            synchronized (console) {
                console.append(s);
            }
        }, input);
        Lpar.Outcome o = m.run(500_000_000L, maxNanos);
        return new Run(o, console.toString());
    }

    static final Lpar.Options SMALL = new Lpar.Options(64L << 20, 1, true, false, true);

    static String expected(String program) throws Exception {
        return Files.readString(Path.of("guests/tests", program + ".expected"));
    }

    @Test
    void typedInputReachesTheProgram() throws Exception {
        ConsoleInput in = ConsoleInput.injected();
        in.inject("hello pvsim\n".getBytes(StandardCharsets.US_ASCII));
        Run r = run("console-O2.bin", SMALL, in, 10_000_000_000L);
        assertThat(r.console()).isEqualTo("sclp sends ascii console data: 1\ntype a line\n"
                + "read 12 bytes: hello pvsim\nevery wake-up had the event-pending bit: 1\n");
        assertThat(r.outcome().success()).isTrue();
    }

    @Test
    void aProgramWaitingForAKeyWaitsEnabledAndWakesOnTheAttention() throws Exception {
        ConsoleInput in = ConsoleInput.injected();
        Thread typist = new Thread(() -> {
            try {
                Thread.sleep(300);
                in.inject("late".getBytes(StandardCharsets.US_ASCII));
                Thread.sleep(100);
                in.inject(" line\n".getBytes(StandardCharsets.US_ASCII));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        typist.start();
        Run r = run("console-O2.bin", SMALL, in, 10_000_000_000L);
        typist.join();
        assertThat(r.console()).endsWith("read 10 bytes: late line\nevery wake-up had the event-pending bit: 1\n");
        assertThat(r.outcome().success()).isTrue();
        // 400 ms of waiting cost no instructions: the program waited, it did not spin
        assertThat(r.outcome().instructions()).isLessThan(200_000);
    }

    @Test
    void theEndOfInputEndsTheWaitCleanly() throws Exception {
        ConsoleInput in = ConsoleInput.injected();
        in.end();
        long t0 = System.nanoTime();
        Run r = run("console-O2.bin", SMALL, in, 10_000_000_000L);
        assertThat(System.nanoTime() - t0).isLessThan(5_000_000_000L);
        assertThat(r.outcome().ending()).isEqualTo(Lpar.Ending.ENABLED_WAIT_FOREVER);
        assertThat(r.outcome().detail()).contains("console input has ended");
        assertThat(r.console()).isEqualTo("sclp sends ascii console data: 1\ntype a line\n");
    }

    @Test
    void diag308And288BehaveAsTheirChecksAndResetsSay() throws Exception {
        Run r = run("diag-O2.bin", new Lpar.Options(64L << 20, 2, true, false, true), null, Long.MAX_VALUE);
        assertThat(r.console()).isEqualTo(expected("diag"));
        assertThat(r.outcome().success()).isTrue();
    }

    @Test
    void uvcReachesTheUltravisorAndInitUvAnswersAsHardware() throws Exception {
        Run r = run("uvc-O2.bin", new Lpar.Options(4L << 30, 1, true, true, true), null, Long.MAX_VALUE);
        assertThat(r.console()).isEqualTo(expected("uvc"));
        assertThat(r.console()).contains("init origin 1 MiB below the end: cc 1 rc 0x105 rrc 0x0\n");
        assertThat(r.outcome().success()).isTrue();
    }

    @Test
    void withoutTheUltravisorUvcIsAnOperationException() throws Exception {
        Run r = run("uvc-O2.bin", SMALL, null, Long.MAX_VALUE);
        assertThat(r.console()).contains("unexpected program interruption 0x1 ");
        assertThat(r.outcome().waitPsws()).containsExactly("0002000180000000 000000000bad0101");
    }
}
