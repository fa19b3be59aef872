package org.pvsim.machine.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pvsim.machine.cpu.DatFixture.*;

import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.pvsim.machine.storage.Storage;

/**
 * Translated blocks under DAT: a block never runs from a mapping other than the one it was translated
 * at (a frame mapped at two addresses, a page remapped by IPTE or by a new CR1), and every test guest
 * runs the same with DAT on (one-to-one tables) as with DAT off, interpreted and translated.
 */
class DatTranslationTest {
    static final long X = 0x20000;
    static final long Y = 0x21000;

    /** At offset 0: larl 7,.; aghi r,1; brctg 5,.-10 (back to the larl); br 14. */
    static String hotLoop(int r) {
        return String.format("c0700000 0000 a7%xb0001 a757fffb 07fe", r);
    }

    void code(DatFixture f, long real, String hex) {
        byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
        f.storage().write(real, b, 0, b.length, Storage.HOST);
    }

    /** r2 = v; lghi 5,1000; basr 14,2 */
    static String call(long v) {
        return load(2, v) + "a7590" + "3e8 " + rr("0d", 14, 2);
    }

    @ParameterizedTest(name = "translate {0}")
    @ValueSource(booleans = {true, false})
    void aFrameMappedAtTwoAddressesRunsAtEach(boolean translate) {
        DatFixture f = new DatFixture(translate);
        long asce = f.asce(0);
        f.identity(asce);
        f.map(asce, 0x8000, X);
        f.map(asce, 0x9000, X);
        code(f, X, hotLoop(4));
        f.run(asce, call(0x8000) + call(0x9000) + END);
        assertThat(f.ended()).isTrue();
        assertThat(f.c.gr[4]).isEqualTo(2000);
        assertThat(f.c.gr[7]).isEqualTo(0x9000);
        if (translate) {
            assertThat(f.c.blockRuns).isPositive();
        }
    }

    @ParameterizedTest(name = "{0}, translate {1}")
    @MethodSource("remaps")
    void aRemappedCodePageRunsTheNewCode(String how, boolean translate) {
        DatFixture f = new DatFixture(translate);
        long asce = f.asce(0);
        f.identity(asce);
        long pte = f.map(asce, 0x8000, X);
        f.map(asce, 0xa000, pte); // the page table, to rewrite the entry
        long other = f.asce(0);
        f.identity(other);
        f.map(other, 0x8000, Y);
        f.write(DATA, other);
        code(f, X, hotLoop(4));
        code(f, Y, hotLoop(6));
        String remap = switch (how) {
            case "lctlg" -> load(9, DATA) + lctlg(1, 1, 9, 0);
            default -> { // ipte 0x8000, then point the entry at Y
                long pto = pte & ~0x7ffL;
                yield load(8, pto) + load(2, 0x8000) + ipte(8, 2) + load(9, 0xa000 + (pte & 0xfff)) + load(3, Y)
                        + stg(3, 9, 0);
            }
        };
        f.run(asce, call(0x8000) + remap + call(0x8000) + END);
        assertThat(f.ended()).isTrue();
        assertThat(f.c.gr[4]).isEqualTo(1000);
        assertThat(f.c.gr[6]).isEqualTo(1000);
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> remaps() {
        return java.util.stream.Stream.of("lctlg", "ipte").flatMap(h -> java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of(h, true),
                org.junit.jupiter.params.provider.Arguments.of(h, false)));
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> guests() {
        return GuestProgramsTest.guests();
    }

    record Outcome(String console, Machine.Ending ending, long instructions) {
    }

    static Outcome runGuest(String file, boolean dat, boolean translate) throws Exception {
        StringBuilder console = new StringBuilder();
        Machine m = new Machine(new Machine.Options(64L << 20, 2, true, false), console::append);
        m.setTranslation(translate);
        Psw psw = ProgramLoader.load(GuestProgramsTest.resource(file), file, m.storage());
        long asce = DatFixture.identityTables(m.storage(), 56L << 20);
        m.ipl(dat ? new Psw(psw.mask() | Psw.DAT, psw.address()) : psw);
        m.cpu(0).cr[1] = asce;
        Machine.Result r = m.run(500_000_000L);
        m.sclp().flush();
        return new Outcome(console.toString(), r.ending(), r.instructions());
    }

    @ParameterizedTest(name = "{0}-{1}")
    @MethodSource("guests")
    void everyGuestRunsTheSameWithDatOn(String program, String level) throws Exception {
        String file = program + "-" + level + ".bin";
        Outcome off = runGuest(file, false, true);
        assertThat(runGuest(file, true, true)).isEqualTo(off);
        assertThat(runGuest(file, true, false)).isEqualTo(off);
    }
}
