package org.pvsim.machine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.pvsim.machine.Lowcore;
import org.pvsim.machine.ProgramInterruption;
import org.pvsim.machine.storage.Storage;

/** MVPG: the copy, the register-0 controls, the problem-state key authorization, the access exceptions. */
class MovePageTest {
    static final long CODE = 0x2000;
    static final long SRC = 0x10000;
    static final long DST = 0x20000;

    Machine m = new Machine(new Machine.Options(1L << 20, 1, true, false), s -> { });
    Cpu c = m.cpu(0);

    /** mvpg 1,2 with the given R0, R1, R2, started with {@code mask}. */
    void mvpg(long mask, long r0, long r1, long r2) {
        byte[] b = HexFormat.of().parseHex("b2540012");
        m.storage().write(CODE, b, 0, b.length, Storage.HOST);
        m.storage().writeLong(Lowcore.PGM_NEW_PSW, 0x0002000180000000L, Storage.HOST);
        m.storage().writeLong(Lowcore.PGM_NEW_PSW + 8, 0xfff, Storage.HOST);
        m.storage().writeShort(Lowcore.PGM_CODE, 0, Storage.HOST);
        m.ipl(new Psw(mask, CODE));
        c.gr[0] = r0;
        c.gr[1] = r1;
        c.gr[2] = r2;
        c.cc = 3;
        m.run(1);
    }

    int pgmCode() {
        return m.storage().readShort(Lowcore.PGM_CODE, Storage.HOST);
    }

    byte[] pattern() {
        byte[] p = new byte[4096];
        for (int k = 0; k < p.length; k++) {
            p[k] = (byte) (k * 7 + 42);
        }
        return p;
    }

    @Test
    void copiesThePageIgnoringTheLow12BitsWithCc0() {
        m.storage().write(SRC, pattern(), 0, 4096, Storage.HOST);
        mvpg(Psw.MASK_64BIT_DISABLED, 0, DST + 0x123, SRC + 0xfff);
        assertThat(pgmCode()).isZero();
        assertThat(c.cc).isZero();
        assertThat(m.storage().read(DST, 4096, Storage.HOST)).isEqualTo(pattern());
    }

    @Test
    void copiesInTheProblemStateToo() {
        m.storage().write(SRC, pattern(), 0, 4096, Storage.HOST);
        mvpg(Psw.MASK_64BIT_DISABLED | Psw.PROBLEM, 0, DST, SRC);
        assertThat(pgmCode()).isZero();
        assertThat(c.cc).isZero();
        assertThat(m.storage().read(DST, 4096, Storage.HOST)).isEqualTo(pattern());
    }

    @Test
    void keyFunctionControlsAbove2AreSpecificationExceptions() {
        for (int kfc = 3; kfc < 32; kfc++) {
            mvpg(Psw.MASK_64BIT_DISABLED, (long) kfc << 10, DST, SRC);
            assertThat(pgmCode()).as("KFC %d", kfc).isEqualTo(ProgramInterruption.SPECIFICATION);
        }
        assertThat(m.storage().read(DST, 4096, Storage.HOST)).isEqualTo(new byte[4096]);
    }

    @Test
    void aKeyThePswKeyMaskDoesNotAuthorizeIsPrivilegedInTheProblemState() {
        long r0 = 1L << 10 | 9L << 4; // destination key 9
        mvpg(Psw.MASK_64BIT_DISABLED | Psw.PROBLEM, r0, DST, SRC);
        assertThat(pgmCode()).isEqualTo(ProgramInterruption.PRIVILEGED_OPERATION);
        mvpg(Psw.MASK_64BIT_DISABLED, r0, DST, SRC); // the supervisor may use any key
        assertThat(pgmCode()).isZero();
        assertThat(c.cc).isZero();
    }

    @Test
    void anOperandBeyondStorageIsAnAddressingExceptionEvenWithTheCcOption() {
        for (long r0 : new long[] {0, MovePage.CCO}) {
            mvpg(Psw.MASK_64BIT_DISABLED, r0, DST, 1L << 20);
            assertThat(pgmCode()).isEqualTo(ProgramInterruption.ADDRESSING);
            mvpg(Psw.MASK_64BIT_DISABLED, r0, -4096L, SRC);
            assertThat(pgmCode()).isEqualTo(ProgramInterruption.ADDRESSING);
        }
    }

    @Test
    void theCcOptionCoversPageTranslationAndWithEdatSegmentAndRegionTranslation() {
        assertThat(MovePage.notAvailable(c, 0x11)).isTrue();
        assertThat(MovePage.notAvailable(c, 0x10)).isFalse();
        assertThat(MovePage.notAvailable(c, ProgramInterruption.PROTECTION)).isFalse();
        c.cr[0] |= 1L << 23; // EDAT-1
        assertThat(Arrays.stream(new int[] {0x10, 0x39, 0x3a, 0x3b}).allMatch(k -> MovePage.notAvailable(c, k))).isTrue();
        assertThat(MovePage.notAvailable(c, ProgramInterruption.ADDRESSING)).isFalse();
    }
}
