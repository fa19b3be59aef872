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
}
