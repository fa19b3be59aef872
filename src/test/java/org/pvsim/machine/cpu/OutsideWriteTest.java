package org.pvsim.machine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pvsim.machine.Lowcore;
import org.pvsim.machine.ProgramInterruption;
import org.pvsim.machine.storage.Storage;

/**
 * Code replaced by writers other than the CPU (host Java code through the checked accessors, firmware
 * through the raw frame accessors) must run as the new code on the next IPL, interpreted and translated.
 */
class OutsideWriteTest {
    static final long CODE = TranslationTest.CODE;
    static final long MASK_64 = TranslationTest.MASK_64;

    /** lghi 1,1000; lghi 4,0; loop: aghi 4,{step}; brctg 1,loop; then an invalid opcode (0000). */
    static byte[] loop(int step) {
        return HexFormat.of().parseHex(String.format("a71903e8a7490000a74b%04xa717fffe0000", step));
    }

    static long runAgain(Machine m) {
        m.ipl(new Psw(MASK_64, CODE));
        m.run(1_000_000);
        return m.cpu(0).gr[4];
    }

    static Machine ranOnce(boolean translate) {
        Machine m = TranslationTest.machine(HexFormat.of().formatHex(loop(1)), MASK_64, translate);
        m.run(1_000_000);
        assertThat(m.cpu(0).gr[4]).isEqualTo(1000);
        return m;
    }

    @ParameterizedTest(name = "translate={0}")
    @ValueSource(booleans = {false, true})
    void aCheckedHostWriteReplacesTheCode(boolean translate) {
        Machine m = ranOnce(translate);
        byte[] b = loop(3);
        m.storage().write(CODE, b, 0, b.length, Storage.HOST);
        assertThat(runAgain(m)).isEqualTo(3000);
    }

    @ParameterizedTest(name = "translate={0}")
    @ValueSource(booleans = {false, true})
    void aRawFrameWriteReplacesTheCode(boolean translate) {
        Machine m = ranOnce(translate);
        byte[] b = loop(5);
        System.arraycopy(b, 0, m.storage().rawFrameForWrite(CODE >>> Storage.PAGE_SHIFT), (int) (CODE & Storage.PAGE_MASK),
                b.length);
        assertThat(runAgain(m)).isEqualTo(5000);
    }

    @ParameterizedTest(name = "translate={0}")
    @ValueSource(booleans = {false, true})
    void aClearedFrameRunsAsZeros(boolean translate) {
        Machine m = ranOnce(translate);
        m.cpu(0).gr[4] = 0;
        m.storage().rawClearFrame(CODE >>> Storage.PAGE_SHIFT);
        assertThat(runAgain(m)).isZero();
        assertThat(m.storage().readShort(Lowcore.PGM_CODE, Storage.HOST)).isEqualTo(ProgramInterruption.OPERATION);
        assertThat(m.storage().readLong(Lowcore.PGM_OLD_PSW + 8, Storage.HOST)).isEqualTo(CODE + 2);
    }
}
