package org.pvsim.machine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Runs every gcc-built test guest at -O0, -O2 and -Os and compares its console with the hand-written expectation. */
class GuestProgramsTest {
    static final String[] PROGRAMS = {"hello", "arith", "strings", "recursion", "crc32", "pgm", "timer", "smp"};
    static final String[] LEVELS = {"O0", "O2", "Os"};

    static Stream<Arguments> guests() {
        List<Arguments> a = new ArrayList<>();
        for (String p : PROGRAMS) {
            for (String l : LEVELS) {
                a.add(Arguments.of(p, l));
            }
        }
        return a.stream();
    }

    static byte[] resource(String name) throws Exception {
        try (InputStream in = GuestProgramsTest.class.getResourceAsStream("/guests/tests/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    record Run(Machine.Result result, String console) {
    }

    static Run run(String file, int cpus) throws Exception {
        return run(file, cpus, true);
    }

    static Run run(String file, int cpus, boolean deterministic) throws Exception {
        StringBuilder console = new StringBuilder();
        Machine m = new Machine(new Machine.Options(64L << 20, cpus, deterministic, false), console::append);
        m.ipl(ProgramLoader.load(resource(file), file, m.storage()));
        Machine.Result r = m.run(500_000_000L);
        m.sclp().flush();
        return new Run(r, console.toString());
    }

    @ParameterizedTest(name = "{0}-{1}")
    @MethodSource("guests")
    void guestPrintsWhatItsSourceComputes(String program, String level) throws Exception {
        String expected = Files.readString(Path.of("guests/tests", program + ".expected"));
        Run r = run(program + "-" + level + ".bin", 2);
        assertThat(r.console()).isEqualTo(expected);
        assertThat(r.result().ending()).isEqualTo(Machine.Ending.DISABLED_WAIT);
        assertThat(r.result().success()).isTrue();
    }

    @Test
    void crcOfTheGuestBufferMatchesJava() throws Exception {
        byte[] buf = new byte[65536];
        for (int i = 0; i < buf.length; i++) {
            buf[i] = (byte) (i * 31 + (i >> 8));
        }
        CRC32 crc = new CRC32();
        crc.update(buf);
        Run r = run("crc32-O2.bin", 1);
        Matcher m = Pattern.compile("crc32 of buffer = ([0-9a-f]{8})").matcher(r.console());
        assertThat(m.find()).isTrue();
        assertThat(Long.parseLong(m.group(1), 16)).isEqualTo(crc.getValue());
    }

    @Test
    void elfAndFlatImagesBehaveTheSame() throws Exception {
        assertThat(run("hello-O2.elf", 1).console()).isEqualTo(run("hello-O2.bin", 1).console());
    }

    @Test
    void deterministicRunsAreIdentical() throws Exception {
        Run a = run("timer-O2.bin", 2);
        Run b = run("timer-O2.bin", 2);
        assertThat(a.result().instructions()).isEqualTo(b.result().instructions());
        assertThat(a.console()).isEqualTo(b.console());
    }

    @Test
    void timersAndSecondCpuWorkWithTheHostClockToo() throws Exception {
        assertThat(run("timer-Os.bin", 2, false).console())
                .isEqualTo(Files.readString(Path.of("guests/tests/timer.expected")));
        assertThat(run("smp-O2.bin", 2, false).console())
                .isEqualTo(Files.readString(Path.of("guests/tests/smp.expected")));
    }

    @Test
    void aSecondCpuNeedsTheCpusOption() throws Exception {
        Run r = run("smp-O2.bin", 1);
        assertThat(r.console()).contains("sense cpu 1: cc 3");
    }

    @Test
    void consoleTextIsAscii() throws Exception {
        assertThat(StandardCharsets.US_ASCII.newEncoder().canEncode(run("hello-Os.bin", 1).console())).isTrue();
    }
}
