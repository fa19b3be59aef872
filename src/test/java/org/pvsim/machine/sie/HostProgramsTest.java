package org.pvsim.machine.sie;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pvsim.machine.SimulatedMachine;
import org.pvsim.machine.cpu.Machine;
import org.pvsim.machine.cpu.ProgramLoader;
import org.pvsim.machine.uv.HostKey;

/**
 * s390x host programs of guests/tests that act as the host kernel: they build their own DAT tables, state
 * descriptions and snippet guests and execute SIE (B214) on a machine CPU, which takes the same SIE entry as
 * the Java KVM. Their console must match the hand-written expectation (guests/tests/NAME.expected).
 */
class HostProgramsTest {
    static String run(String file) throws Exception {
        byte[] image;
        try (InputStream in = HostProgramsTest.class.getResourceAsStream("/guests/tests/" + file)) {
            assertThat(in).as(file).isNotNull();
            image = in.readAllBytes();
        }
        StringBuilder console = new StringBuilder();
        Machine m = new Machine(new Machine.Options(64L << 20, 1, true, true), console::append);
        SimulatedMachine.withCpus(m, List.of((ECPrivateKey) SieFixture.IDENTITY.hostKeys().get(0).privateKey()));
        m.ipl(ProgramLoader.load(image, file, m.storage()));
        Machine.Result r = m.run(200_000_000L);
        m.sclp().flush();
        assertThat(r.ending()).as("%s: %s", file, r.detail()).isEqualTo(Machine.Ending.DISABLED_WAIT);
        assertThat(r.success()).as("%s exit code (wait PSW %s), console:%n%s", file, r.waitPsws(), console).isTrue();
        return console.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"O0", "O2", "Os"})
    @Timeout(60)
    void format2Guest(String level) throws Exception {
        assertThat(run("sie-" + level + ".bin")).isEqualTo(Files.readString(Path.of("guests/tests/sie.expected")));
    }
}
