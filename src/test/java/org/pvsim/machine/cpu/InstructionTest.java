package org.pvsim.machine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.pvsim.machine.Lowcore;
import org.pvsim.machine.ProgramInterruption;
import org.pvsim.machine.storage.Storage;

/** Instruction families on hand-assembled code: results, condition codes, corner values, exceptions. */
class InstructionTest {
    static final long CODE = 0x2000;
    static final long WAIT_ADDR = 0xfff;

    Machine m = new Machine(new Machine.Options(1L << 20, 1, true, false), s -> { });
    Cpu c = m.cpu(0);

    /** Loads hex-encoded code at 0x2000 and a program-new PSW that is a disabled wait. */
    void code(String hex) {
        byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
        m.storage().write(CODE, b, 0, b.length, Storage.HOST);
        m.storage().writeLong(Lowcore.PGM_NEW_PSW, 0x0002000180000000L, Storage.HOST);
        m.storage().writeLong(Lowcore.PGM_NEW_PSW + 8, WAIT_ADDR, Storage.HOST);
        m.ipl(new Psw(Psw.MASK_64BIT_DISABLED, CODE));
    }

    void run(int n) {
        m.run(n);
    }

    int pgmCode() {
        return m.storage().readShort(Lowcore.PGM_CODE, Storage.HOST);
    }

    int pgmIlc() {
        return m.storage().readShort(Lowcore.PGM_ILC, Storage.HOST);
    }

    long pgmOldIa() {
        return m.storage().readLong(Lowcore.PGM_OLD_PSW + 8, Storage.HOST);
    }

    @Test
    void addSetsConditionCodeAndOverflow() {
        // lghi 1,5; aghi 1,-5 (0, cc 0); llihf 2,0x7fffffff; oilf 2,-1; aghi 2,1 (overflow, cc 3)
        code("a7190005 a71bfffb c02e7fffffff c02dffffffff a72b0001");
        run(2);
        assertThat(c.gr[1]).isZero();
        assertThat(c.cc).isEqualTo(0);
        run(3);
        assertThat(c.gr[2]).isEqualTo(Long.MIN_VALUE);
        assertThat(c.cc).isEqualTo(3);
    }

    @Test
    void logicalAddReportsCarry() {
        // lghi 1,-1; lghi 2,1; algr 1,2 -> 0 with carry: cc 2
        code("a719ffff a7290001 b90a0012");
        run(3);
        assertThat(c.gr[1]).isZero();
        assertThat(c.cc).isEqualTo(2);
    }

    @Test
    void compareAndBranchRelative() {
        // lghi 1,3; cgij 1,3,8(eq),+6 (skip the next lghi); lghi 2,7; lghi 3,9
        code("a7190003 ec18 0005 037c a7290007 a7390009");
        run(3);
        assertThat(c.gr[2]).isZero();
        assertThat(c.gr[3]).isEqualTo(9);
    }

    @Test
    void branchOnCountLoop() {
        // lghi 1,10; lghi 2,0; aghi 2,3; brctg 1,-2 (back to aghi)
        code("a719000a a7290000 a72b0003 a717fffe");
        run(2 + 20);
        assertThat(c.gr[2]).isEqualTo(30);
        assertThat(c.gr[1]).isZero();
    }

    @Test
    void rotateThenInsertSelectedBits() {
        // lghi 2,-1; risbg 1,2,48,63+0x80(zero),0 -> 0xffff; cc 2
        code("a729ffff ec12 30bf 0055");
        run(2);
        assertThat(c.gr[1]).isEqualTo(0xffffL);
        assertThat(c.cc).isEqualTo(2);
    }

    @Test
    void divideByZeroIsAFixedPointDivideException() {
        // lghi 3,100; lghi 4,0; dsgr 2,4
        code("a7390064 a7490000 b90d0024");
        run(10);
        assertThat(pgmCode()).isEqualTo(ProgramInterruption.FIXED_POINT_DIVIDE);
        assertThat(pgmIlc()).isEqualTo(4);
        assertThat(pgmOldIa()).isEqualTo(CODE + 12); // suppression: past the instruction
        assertThat(c.gr[3]).isEqualTo(100);
    }

    @Test
    void minDividedByMinusOneIsADivideException() {
        // llihh 3,0x8000; lghi 4,-1; dsgr 2,4
        code("a53c8000 a749ffff b90d0024");
        run(10);
        assertThat(pgmCode()).isEqualTo(ProgramInterruption.FIXED_POINT_DIVIDE);
    }

    @Test
    void unknownOpcodeIsAnOperationException() {
        code("0000");
        run(5);
        assertThat(pgmCode()).isEqualTo(ProgramInterruption.OPERATION);
        assertThat(pgmIlc()).isEqualTo(2);
    }

    @Test
    void supervisorInstructionInProblemStateIsPrivileged() {
        code("b2b20100");
        m.cpu(0).setPsw(Psw.MASK_64BIT_DISABLED | Psw.PROBLEM, CODE);
        run(5);
        assertThat(pgmCode()).isEqualTo(ProgramInterruption.PRIVILEGED_OPERATION);
    }

    @Test
    void oddRegisterPairIsASpecificationException() {
        code("b9870033"); // dlgr 3,3
        run(5);
        assertThat(pgmCode()).isEqualTo(ProgramInterruption.SPECIFICATION);
    }

    @Test
    void accessBeyondMemoryIsAnAddressingException() {
        // llihh 1,1 (address 2^48); lg 2,0(1)
        code("a51c0001 e32010000004");
        run(5);
        assertThat(pgmCode()).isEqualTo(ProgramInterruption.ADDRESSING);
    }

    @Test
    void secureFrameAccessByTheHostRaises3d() {
        // llill 1,0x3000; lg 2,0(1)
        code("a51f3000 e32010000004");
        m.storage().setTag(3, Storage.tag(1, Storage.STATE_SECURE));
        run(5);
        assertThat(pgmCode()).isEqualTo(ProgramInterruption.SECURE_STORAGE_ACCESS);
        assertThat(pgmOldIa()).isEqualTo(CODE + 4); // nullified: points at the lg
        assertThat(m.storage().readLong(Lowcore.TRANS_EXC_ID, Storage.HOST)).isEqualTo(0x3000L);
    }

    @Test
    void storeIntoCodeIsSeenByTheNextFetch() {
        // the code patches "lghi 2,1" into "lghi 2,2": larl 1,0x200a (the lghi); mvi 3(1),2; lghi 2,1
        code("c01000000005 92021003 a7290001");
        run(3);
        assertThat(c.gr[2]).isEqualTo(2);
    }

    @Test
    void mvcPropagatesOverlappingBytes() {
        // llill 1,0x3000; mvi 0(1),0x5a; mvc 1(7,1),0(1); lg 2,0(1)
        code("a51f3000 925a1000 d20610011000 e32010000004");
        run(4);
        assertThat(c.gr[2]).isEqualTo(0x5a5a5a5a5a5a5a5aL);
    }

    @Test
    void compareLogicalStringFindsTheFirstDifference() {
        m.storage().write(0x3000, "abcX\0".getBytes(), 0, 5, Storage.HOST);
        m.storage().write(0x3100, "abcY\0".getBytes(), 0, 5, Storage.HOST);
        // lghi 0,0; llill 1,0x3000; llill 2,0x3100; clst 1,2
        code("a7090000 a51f3000 a52f3100 b25d0012");
        run(4);
        assertThat(c.cc).isEqualTo(1);
        assertThat(c.gr[1]).isEqualTo(0x3003L);
    }

    @Test
    void stfleStoresTheFacilityList() {
        // lghi 0,2; llill 1,0x3000; stfle 0(1): room for three doublewords (the vector facility is bit 129)
        code("a7090002 a51f3000 b2b01000");
        run(3);
        assertThat(c.cc).isEqualTo(0);
        long word = m.storage().readLong(0x3000, Storage.HOST);
        assertThat(word & (1L << 63 - Facilities.ZARCH_ACTIVE)).isNotZero();
    }

    @Test
    void uvcWithoutUltravisorIsAnOperationException() {
        code("b9a40012");
        run(3);
        assertThat(pgmCode()).isEqualTo(ProgramInterruption.OPERATION);
    }

    @Test
    void uvcCallsTheHandlerWhenTheMachineHasAnUltravisor() {
        m = new Machine(new Machine.Options(1L << 20, 1, true, true), s -> { });
        c = m.cpu(0);
        long[] seen = new long[1];
        m.setUvcHandler((a, dom) -> {
            seen[0] = a;
            return 2;
        });
        // llill 2,0x3000; uvc 0,2,0
        code("a52f3000 b9a40002");
        run(2);
        assertThat(seen[0]).isEqualTo(0x3000L);
        assertThat(c.cc).isEqualTo(2);
    }

    @Test
    void flatImageNeedsAValidIplPsw() {
        byte[] bad = ByteBuffer.allocate(16).putLong(0x0000000180000000L).array();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ProgramLoader.load(bad, "x.bin", m.storage()))
                .hasMessageContaining("x.bin: bytes 0-7 are not a valid IPL PSW");
    }

    @Test
    void elfForAnotherMachineIsRejected() {
        byte[] elf = new byte[64];
        elf[0] = 0x7f;
        elf[1] = 'E';
        elf[2] = 'L';
        elf[3] = 'F';
        elf[4] = 2;
        elf[5] = 1; // little-endian
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ProgramLoader.load(elf, "x.elf", m.storage()))
                .hasMessageContaining("not a big-endian");
    }

    @Test
    void firmwareClearingAFrameIsSeenByTheNextSlice() {
        m.storage().writeLong(0x3000, 99, Storage.HOST);
        // llill 1,0x3000; lg 2,0(1); lg 3,0(1); lghi 4,1
        code("a51f3000 e32010000004 e33010000004 a7490001");
        run(2);
        assertThat(c.gr[2]).isEqualTo(99);
        m.storage().rawClearFrame(3); // as the UV does on destroy or first import
        run(1);
        assertThat(c.gr[3]).isZero();
        m.storage().rawClearFrame(2); // the code itself: zeros are opcode 00
        run(1);
        assertThat(pgmCode()).isEqualTo(ProgramInterruption.OPERATION);
    }

    @Test
    void testAndSetSetsTheByteAndReportsItsLeftmostBit() {
        // lghi 1,0x3001; ts 0(1) (byte 0 -> 0xff, cc 0); ts 0(1) (cc 1)
        code("a7193001 93001000 93001000");
        m.storage().writeInt(0x3000, 0x11002233, Storage.HOST);
        run(2);
        assertThat(c.cc).isEqualTo(0);
        assertThat(m.storage().readInt(0x3000, Storage.HOST)).as("only the addressed byte").isEqualTo(0x11ff2233);
        run(1);
        assertThat(c.cc).isEqualTo(1);
    }

    @Test
    void compareDoubleAndSwapStoresThePairWhenEqualElseLoadsIt() {
        // lghi 1,0x3000; lghi 2,1; lghi 3,2; lghi 4,7; lghi 5,8; cds 2,4,0(1); cds 2,4,0(1)
        code("a7193000 a7290001 a7390002 a7490007 a7590008 bb241000 bb241000");
        m.storage().writeLong(0x3000, 0x0000000100000002L, Storage.HOST);
        run(6);
        assertThat(c.cc).isEqualTo(0);
        assertThat(m.storage().readLong(0x3000, Storage.HOST)).isEqualTo(0x0000000700000008L);
        run(1);
        assertThat(c.cc).isEqualTo(1);
        assertThat(new long[] {c.gr[2], c.gr[3]}).containsExactly(7, 8);
    }
}
