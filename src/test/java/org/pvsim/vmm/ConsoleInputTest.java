package org.pvsim.vmm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Console input reaches the guest through the SCLP console (READ EVENT DATA, completed with the service
 * signal): guests/tests/echo.c echoes each line it reads, from guest memory as a normal guest, over the
 * SIDA as a protected one; its EXIT: STATUS=N line becomes the exit status.
 */
@Timeout(120)
class ConsoleInputTest {
    @TempDir
    Path dir;

    private byte[] kernel(boolean protectedGuest) throws Exception {
        return protectedGuest ? TestGuests.seImage(dir, "echo-O2") : TestGuests.flat("echo-O2");
    }

    @ParameterizedTest(name = "protected={0}")
    @ValueSource(booleans = {false, true})
    void bytesFedToTheConsoleAreEchoedByTheGuest(boolean protectedGuest) throws Exception {
        byte[] input = "hello pvsim\nsecond line\nquit\n".getBytes(StandardCharsets.US_ASCII);
        try (VmmFixture.Guest g = new VmmFixture.Guest(kernel(protectedGuest), protectedGuest, Trace.OFF, 1,
                new ByteArrayInputStream(input))) {
            Outcome o = g.vmm.run();
            assertThat(g.console()).isEqualTo("echo: ready\necho: hello pvsim\necho: second line\n");
            assertThat(o.exitCode()).isZero();
            assertThat(g.vmm.isProtected()).isEqualTo(protectedGuest);
        }
    }

    @ParameterizedTest(name = "protected={0}")
    @ValueSource(booleans = {false, true})
    void theExitStatusLineTheGuestPrintsIsTheExitCode(boolean protectedGuest) throws Exception {
        byte[] input = "exit 7\n".getBytes(StandardCharsets.US_ASCII);
        try (VmmFixture.Guest g = new VmmFixture.Guest(kernel(protectedGuest), protectedGuest, Trace.OFF, 1,
                new ByteArrayInputStream(input))) {
            Outcome o = g.vmm.run();
            assertThat(g.console()).endsWith("EXIT: STATUS=7\n");
            assertThat(o).isInstanceOf(Outcome.Shutdown.class);
            assertThat(o.exitCode()).isEqualTo(7);
        }
    }
}
