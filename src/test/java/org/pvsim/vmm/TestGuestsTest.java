package org.pvsim.vmm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every C test guest (guests/tests/*.c with a .expected file) boots through the VMM with two vCPUs, as a
 * normal guest from its flat binary and as a protected one from an SE image made by pvsim's image builder,
 * and prints its expected lines; its clean shutdown (a disabled wait at 0xfff) is exit code 0.
 */
@Timeout(120)
class TestGuestsTest {
    @TempDir
    Path dir;

    static Stream<Arguments> guests() {
        List<Arguments> a = new ArrayList<>();
        for (String p : TestGuests.PROGRAMS) {
            a.add(Arguments.of(p, false));
            a.add(Arguments.of(p, true));
        }
        return a.stream();
    }

    @ParameterizedTest(name = "{0} protected={1}")
    @MethodSource("guests")
    void theGuestPrintsItsExpectedLines(String program, boolean protectedGuest) throws Exception {
        String name = program + "-O2";
        byte[] kernel = protectedGuest ? TestGuests.seImage(dir, name) : TestGuests.flat(name);
        try (VmmFixture.Guest g = new VmmFixture.Guest(kernel, protectedGuest, Trace.OFF, 2)) {
            Outcome o = g.vmm.run();
            assertThat(g.console()).isEqualTo(TestGuests.expected(program));
            assertThat(o).isInstanceOf(Outcome.Shutdown.class);
            assertThat(o.exitCode()).isZero();
            assertThat(g.vmm.isProtected()).isEqualTo(protectedGuest);
        }
    }
}
