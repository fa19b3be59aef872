package org.pvsim.machine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.pvsim.machine.Lowcore;
import org.pvsim.machine.ProgramInterruption;
import org.pvsim.machine.storage.Storage;

/** Relative-long storage operands must be on their integral boundary; a misaligned one is a specification exception. */
class RelativeLongAlignmentTest {
    static final long CODE = 0x2000;

    static final int[] WORD = {0xc40d, 0xc40c, 0xc40e, 0xc40f, 0xc60d, 0xc60f, 0xc60c, 0xc60e}; // lrl lgfrl llgfrl strl crl clrl cgfrl clgfrl
    static final int[] DOUBLEWORD = {0xc408, 0xc40b, 0xc608, 0xc60a}; // lgrl stgrl cgrl clgrl
    static final int[] HALFWORD = {0xc405, 0xc404, 0xc402, 0xc406, 0xc407, 0xc605, 0xc604, 0xc607, 0xc606};

    /** Runs one RIL instruction with R1 = 1 and the given halfword offset; returns the program-interruption code. */
    int run(int key, int offset) {
        Machine m = new Machine(new Machine.Options(1L << 20, 1, true, false), s -> { });
        byte[] b = {(byte) (key >>> 8), (byte) (0x10 | key & 0xf), (byte) (offset >>> 24), (byte) (offset >>> 16),
            (byte) (offset >>> 8), (byte) offset};
        m.storage().write(CODE, b, 0, b.length, Storage.HOST);
        m.storage().writeLong(Lowcore.PGM_NEW_PSW, 0x0002000180000000L, Storage.HOST);
        m.storage().writeLong(Lowcore.PGM_NEW_PSW + 8, 0xfff, Storage.HOST);
        m.ipl(new Psw(Psw.MASK_64BIT_DISABLED, CODE));
        m.run(1);
        return m.storage().readShort(Lowcore.PGM_CODE, Storage.HOST);
    }

    String name(int key) {
        return Decoder.standard().mnemonic(key);
    }

    @Test
    void wordOperandsMustBeOnAWordBoundary() {
        for (int key : WORD) {
            assertThat(run(key, 0x800)).as(name(key) + " at 0x3000").isZero();
            assertThat(run(key, 0x801)).as(name(key) + " at 0x3002").isEqualTo(ProgramInterruption.SPECIFICATION);
        }
    }

    @Test
    void doublewordOperandsMustBeOnADoublewordBoundary() {
        for (int key : DOUBLEWORD) {
            assertThat(run(key, 0x800)).as(name(key) + " at 0x3000").isZero();
            assertThat(run(key, 0x802)).as(name(key) + " at 0x3004").isEqualTo(ProgramInterruption.SPECIFICATION);
            assertThat(run(key, 0x803)).as(name(key) + " at 0x3006").isEqualTo(ProgramInterruption.SPECIFICATION);
        }
    }

    @Test
    void halfwordOperandsAreAlwaysAligned() {
        for (int key : HALFWORD) {
            assertThat(run(key, 0x801)).as(name(key) + " at 0x3002").isZero();
        }
    }
}
