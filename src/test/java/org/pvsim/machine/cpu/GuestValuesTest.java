package org.pvsim.machine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pvsim.machine.Lowcore;
import org.pvsim.machine.ProgramInterruption;
import org.pvsim.machine.storage.Storage;

/**
 * Guest-supplied addresses and lengths end in an architected outcome, never a Java exception, an endless
 * instruction or the model holding storage the guest only read: the regressions of what the CPU fuzz test
 * ({@link CpuFuzzTest}) and issue 11 found.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GuestValuesTest {
    static final long CODE = 0x2000;

    Machine m;
    Cpu c;

    void machine(long memory) {
        m = new Machine(new Machine.Options(memory, 1, true, false), s -> { });
        c = m.cpu(0);
    }

    /** Code at 0x2000, a program-new PSW that is a disabled wait, the CPU started with {@code mask}. */
    void code(long mask, String hex) {
        byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
        m.storage().write(CODE, b, 0, b.length, Storage.HOST);
        m.storage().writeLong(Lowcore.PGM_NEW_PSW, 0x0002000180000000L, Storage.HOST);
        m.storage().writeLong(Lowcore.PGM_NEW_PSW + 8, 0xfff, Storage.HOST);
        m.ipl(new Psw(mask, CODE));
    }

    int pgmCode() {
        return m.storage().readShort(Lowcore.PGM_CODE, Storage.HOST);
    }

    @Test
    void storePrefixToMinusEightIsAnAddressingException() {
        machine(1L << 20);
        code(Psw.MASK_64BIT_DISABLED, "a718fff8 b2111000"); // lghi 1,-8; stpx 0(1)
        Machine.Result r = m.run(10);
        assertThat(r.ending()).isEqualTo(Machine.Ending.DISABLED_WAIT);
        assertThat(pgmCode()).isEqualTo(ProgramInterruption.ADDRESSING);
    }

    @Test
    void storePrefixBeyondStorageIn31BitModeIsAnAddressingException() {
        machine(1L << 20);
        code(Psw.BA, "a718fff8 b2111000"); // -8 wraps to 0x7ffffff8
        m.run(10);
        assertThat(pgmCode()).isEqualTo(ProgramInterruption.ADDRESSING);
    }

    @Test
    void moveStringWithoutTerminatorEndsWhenA24BitAddressWraps() {
        machine(17L << 20); // every 24-bit address is in storage: the operand never ends by itself
        code(0, "b2550012"); // mvst 1,2
        c.gr[0] = 1; // a terminator untouched storage never holds
        c.gr[1] = 0x100000;
        c.gr[2] = 0x200000;
        m.run(1);
        assertThat(c.cc).isEqualTo(3);
        assertThat(c.gr[1]).isEqualTo(0x100000 + StorageToStorage.CPU_DETERMINED);
        assertThat(c.gr[2]).isEqualTo(0x200000 + StorageToStorage.CPU_DETERMINED);
    }

    @Test
    void compareLogicalStringOfEqualEndlessOperandsEndsWithCc3() {
        machine(17L << 20);
        code(0, "b25d0012"); // clst 1,2
        c.gr[0] = 1;
        c.gr[1] = 0x100000;
        c.gr[2] = 0x300000;
        m.run(1);
        assertThat(c.cc).isEqualTo(3);
        assertThat(c.gr[1]).isEqualTo(0x100000 + StorageToStorage.CPU_DETERMINED);
        assertThat(c.gr[2]).isEqualTo(0x300000 + StorageToStorage.CPU_DETERMINED);
    }

    @Test
    void moveLongExtendedOfA62BitLengthMovesACpuDeterminedAmount() {
        machine(1L << 20);
        code(Psw.MASK_64BIT_DISABLED, "a8240000"); // mvcle 2,4,0
        c.gr[2] = 0x10000;
        c.gr[3] = 1L << 62;
        c.gr[4] = 0x80000;
        c.gr[5] = 0x100;
        m.run(1);
        assertThat(pgmCode()).isZero();
        assertThat(c.cc).isEqualTo(3);
        assertThat(c.gr[2]).isEqualTo(0x10000 + StorageToStorage.CPU_DETERMINED);
        assertThat(c.gr[3]).isEqualTo((1L << 62) - StorageToStorage.CPU_DETERMINED);
        assertThat(c.gr[4]).isEqualTo(0x80100);
        assertThat(c.gr[5]).isZero();
    }

    @Test
    void compareLongExtendedOfHugeEqualOperandsEndsWithCc3() {
        machine(1L << 20);
        code(Psw.MASK_64BIT_DISABLED, "a9240000"); // clcle 2,4,0
        c.gr[2] = 0x10000;
        c.gr[3] = 1L << 40;
        c.gr[4] = 0x10000;
        c.gr[5] = -1L; // an unsigned 64-bit length
        m.run(1);
        assertThat(pgmCode()).isZero();
        assertThat(c.cc).isEqualTo(3);
        assertThat(c.gr[2]).isEqualTo(0x10000 + StorageToStorage.CPU_DETERMINED);
        assertThat(c.gr[3]).isEqualTo((1L << 40) - StorageToStorage.CPU_DETERMINED);
        assertThat(c.gr[5]).isEqualTo(-1L - StorageToStorage.CPU_DETERMINED);
    }

    @Test
    void readingUntouchedStorageDoesNotMakeTheModelHoldIt() {
        machine(256L << 20);
        // clcle 2,4,0; jo *-4: compares 64 MiB of untouched storage with the next 64 MiB
        code(Psw.MASK_64BIT_DISABLED, "a9240000 a714fffe b2b20000");
        m.storage().writeLong(0, 0x0002000180000000L, Storage.HOST);
        m.storage().writeLong(8, 0xfff, Storage.HOST);
        c.gr[2] = 0x100000;
        c.gr[3] = 64L << 20;
        c.gr[4] = 0x100000 + (64L << 20);
        c.gr[5] = 64L << 20;
        Machine.Result r = m.run(10_000);
        assertThat(r.ending()).isEqualTo(Machine.Ending.DISABLED_WAIT);
        assertThat(c.gr[3]).isZero();
        assertThat(m.storage().materialisedFrames()).isLessThan(8);
    }

    @Test
    void moveLongOfMoreThanTheCpuDeterminedAmountCompletesOverSeveralExecutions() {
        machine(1L << 20);
        code(Psw.MASK_64BIT_DISABLED, "0e24 b2b20000"); // mvcl 2,4; lpswe 0
        m.storage().writeLong(0, 0x0002000180000000L, Storage.HOST);
        m.storage().writeLong(8, 0xfff, Storage.HOST);
        byte[] src = new byte[0x10000];
        java.util.Arrays.fill(src, (byte) 0x5a);
        m.storage().write(0x80000, src, 0, src.length, Storage.HOST);
        long length = 3 * StorageToStorage.CPU_DETERMINED;
        c.gr[2] = 0x10000;
        c.gr[3] = length;
        c.gr[4] = 0x80000;
        c.gr[5] = 0xaaL << 24 | src.length; // pad 0xaa
        m.run(2);
        assertThat(c.psw().address()).isEqualTo(CODE); // not done yet: it runs again
        m.run(1);
        assertThat(c.psw().address()).isEqualTo(CODE + 2);
        assertThat(c.cc).isEqualTo(2); // the first operand was longer
        assertThat(c.gr[2]).isEqualTo(0x10000 + length);
        assertThat(c.gr[3]).isZero();
        assertThat(c.gr[4]).isEqualTo(0x80000 + src.length);
        assertThat(c.gr[5]).isEqualTo(0xaaL << 24);
        assertThat(m.storage().readByte(0x10000 + src.length - 1, Storage.HOST)).isEqualTo(0x5a);
        assertThat(m.storage().readByte(0x10000 + src.length, Storage.HOST)).isEqualTo(0xaa);
        assertThat(m.storage().readByte(0x10000 + length - 1, Storage.HOST)).isEqualTo(0xaa);
    }

    @Test
    void compareLongOfEqualOperandsLongerThanTheCpuDeterminedAmountCompletesOverSeveralExecutions() {
        machine(1L << 20);
        code(Psw.MASK_64BIT_DISABLED, "0f24 b2b20000"); // clcl 2,4; lpswe 0
        m.storage().writeLong(0, 0x0002000180000000L, Storage.HOST);
        m.storage().writeLong(8, 0xfff, Storage.HOST);
        long length = 2 * StorageToStorage.CPU_DETERMINED;
        c.gr[2] = 0x10000;
        c.gr[3] = length;
        c.gr[4] = 0x40000;
        c.gr[5] = length;
        m.run(1);
        assertThat(c.psw().address()).isEqualTo(CODE);
        c.cc = 3; // only the last execution sets the condition code
        m.run(1);
        assertThat(c.psw().address()).isEqualTo(CODE + 2);
        assertThat(c.cc).isZero();
        assertThat(c.gr[2]).isEqualTo(0x10000 + length);
        assertThat(c.gr[3]).isZero();
        assertThat(c.gr[5]).isZero();
    }
}
