package org.pvsim.machine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The vector guest (guests/tests/vector.c), built by gcc for z13 at -O2 and -O3 and for z14 at -O3: its
 * loops vectorized by gcc, string functions from the vector string instructions, the disabled-vector
 * data exception with its DXC in the lowcore and the FPC. Its console must be the expectation, which
 * QEMU TCG prints too (guests/tests/run-in-qemu).
 */
class VectorGuestTest {
    @ParameterizedTest
    @ValueSource(strings = {"vector-O2", "vector-O3", "vector-z14-O3"})
    void vectorGuestPrintsWhatItsSourceComputes(String name) throws Exception {
        String expected = Files.readString(Path.of("guests/tests/vector.expected"));
        GuestProgramsTest.Run r = GuestProgramsTest.run(name + ".bin", 1);
        assertThat(r.console()).isEqualTo(expected);
        assertThat(r.result().ending()).isEqualTo(Machine.Ending.DISABLED_WAIT);
        assertThat(r.result().success()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"vector-O2", "vector-O3", "vector-z14-O3"})
    void vectorGuestRunsTheSameTranslated(String name) throws Exception {
        byte[] image = GuestProgramsTest.resource(name + ".bin");
        TranslationTest.State[] s = new TranslationTest.State[2];
        long[] runs = new long[2];
        String[] vrs = new String[2];
        for (int t = 0; t < 2; t++) {
            StringBuilder console = new StringBuilder();
            Machine m = new Machine(new Machine.Options(64L << 20, 1, true, false), console::append);
            m.setTranslation(t == 1);
            m.ipl(ProgramLoader.load(image, name, m.storage()));
            Machine.Result r = m.run(500_000_000L);
            m.sclp().flush();
            s[t] = TranslationTest.state(m, r, console.toString());
            runs[t] = TranslationTest.blockRuns(m);
            Cpu c = m.cpu(0);
            vrs[t] = java.util.Arrays.toString(c.fpr) + java.util.Arrays.toString(c.vrHigh)
                    + java.util.Arrays.toString(c.vrLow) + " fpc " + c.fpc;
        }
        assertThat(runs[0]).isZero();
        assertThat(runs[1]).as("blocks entered").isPositive();
        assertThat(s[1]).isEqualTo(s[0]);
        assertThat(vrs[1]).isEqualTo(vrs[0]);
    }
}
