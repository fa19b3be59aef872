package org.pvsim.machine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.pvsim.machine.Lowcore;
import org.pvsim.machine.ProgramInterruption;
import org.pvsim.machine.storage.Storage;

/**
 * PSW-format errors are early exceptions: the invalid PSW is loaded, and the specification exception is
 * recognized as soon as it is active, with ILC 0 and the invalid PSW itself as the program old PSW,
 * whether LPSWE or an interruption loaded it, and even when it specifies the wait state.
 */
class PswValidityTest {
    static final long CODE = 0x2000;
    static final long NEW = 0x3000;

    Machine m = new Machine(new Machine.Options(1L << 20, 1, true, false), s -> { });
    Cpu c = m.cpu(0);

    void code(String hex) {
        byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
        m.storage().write(CODE, b, 0, b.length, Storage.HOST);
        m.storage().writeLong(Lowcore.PGM_NEW_PSW, 0x0002000180000000L, Storage.HOST);
        m.storage().writeLong(Lowcore.PGM_NEW_PSW + 8, 0xfff, Storage.HOST);
        m.ipl(new Psw(Psw.MASK_64BIT_DISABLED, CODE));
    }

    /** LPSWE of (mask, address) from 0x3000; returns how the run ended. */
    Machine.Result lpswe(long mask, long address) {
        m.storage().writeLong(NEW, mask, Storage.HOST);
        m.storage().writeLong(NEW + 8, address, Storage.HOST);
        code("a51f3000 b2b21000"); // llill 1,0x3000; lpswe 0(1)
        return m.run(100);
    }

    int pgmCode() {
        return m.storage().readShort(Lowcore.PGM_CODE, Storage.HOST);
    }

    int pgmIlc() {
        return m.storage().readShort(Lowcore.PGM_ILC, Storage.HOST);
    }

    Psw pgmOld() {
        return new Psw(m.storage().readLong(Lowcore.PGM_OLD_PSW, Storage.HOST),
                m.storage().readLong(Lowcore.PGM_OLD_PSW + 8, Storage.HOST));
    }

    void assertEarlySpecification(Psw invalid) {
        assertThat(pgmCode()).isEqualTo(ProgramInterruption.SPECIFICATION);
        assertThat(pgmIlc()).isZero();
        assertThat(pgmOld()).isEqualTo(invalid);
    }

    @Test
    void bit12IsRecognizedAfterLpsweLoadedThePsw() {
        Machine.Result r = lpswe(Psw.BIT12, 0xdeadbeeeL);
        assertThat(r.ending()).isEqualTo(Machine.Ending.DISABLED_WAIT);
        assertEarlySpecification(new Psw(Psw.BIT12, 0xdeadbeeeL));
    }

    @Test
    void extendedAddressingWithoutBasicAddressingIsAFormatError() {
        lpswe(Psw.EA, 0x4000);
        assertEarlySpecification(new Psw(Psw.EA, 0x4000));
    }

    @Test
    void anInstructionAddressBeyondTheAddressingModeIsAFormatError() {
        lpswe(Psw.BA, 0x80000000L);
        assertEarlySpecification(new Psw(Psw.BA, 0x80000000L));
        lpswe(0, 0x1000000L);
        assertEarlySpecification(new Psw(0, 0x1000000L));
    }

    @Test
    void reservedMaskBitsAreFormatErrors() {
        for (long bit : new long[] {1L << 63, 1L << 61, 1L << 33, 1L}) {
            long mask = Psw.MASK_64BIT_DISABLED | bit;
            lpswe(mask, 0x4000);
            assertEarlySpecification(new Psw(mask, 0x4000));
        }
    }

    @Test
    void anInvalidPswIsRecognizedEvenInTheWaitState() {
        long mask = Psw.MASK_64BIT_DISABLED | Psw.WAIT | Psw.BIT12;
        lpswe(mask, 0x4000);
        assertEarlySpecification(new Psw(mask, 0x4000));
    }

    @Test
    void theProgramInterruptionComesBeforeAPendingExternalInterruptionTheInvalidPswEnables() {
        long mask = Psw.MASK_64BIT_DISABLED | Psw.EXT | Psw.BIT12;
        m.storage().writeLong(NEW, mask, Storage.HOST);
        m.storage().writeLong(NEW + 8, 0x4000, Storage.HOST);
        code("a51f3000 b2b21000");
        c.cr[0] |= Interruptions.CR0_EMERGENCY_SIGNAL;
        c.emergencyFrom = 1;
        m.run(100);
        assertEarlySpecification(new Psw(mask, 0x4000));
        assertThat(c.emergencyFrom).isEqualTo(1); // still pending: the program new PSW is disabled
    }

    @Test
    void anInvalidNewPswOfAnotherInterruptionIsASpecificationExceptionNotACheckStop() {
        long mask = Psw.MASK_64BIT_DISABLED | Psw.BIT12;
        m.storage().writeLong(Lowcore.RESTART_NEW_PSW, mask, Storage.HOST);
        m.storage().writeLong(Lowcore.RESTART_NEW_PSW + 8, 0x4000, Storage.HOST);
        code("a7390000 ae430006 a7f40000"); // lghi 3,0; sigp 4,3,6 (restart this CPU); j .
        Machine.Result r = m.run(100);
        assertThat(r.ending()).isEqualTo(Machine.Ending.DISABLED_WAIT);
        assertEarlySpecification(new Psw(mask, 0x4000));
    }

    @Test
    void aShortPswWithBit12ZeroIsASpecificationExceptionOfLpsw() {
        m.storage().writeLong(NEW, 0x00000000_80004000L, Storage.HOST); // bit 12 zero
        code("a51f3000 82001000"); // llill 1,0x3000; lpsw 0(1)
        m.run(100);
        assertThat(pgmCode()).isEqualTo(ProgramInterruption.SPECIFICATION);
    }

    @Test
    void aValidPswStillLoads() {
        lpswe(Psw.MASK_64BIT_DISABLED | Psw.WAIT, 0x1fff);
        assertThat(pgmCode()).isZero();
        assertThat(c.psw()).isEqualTo(new Psw(Psw.MASK_64BIT_DISABLED | Psw.WAIT, 0x1fff));
    }
}
