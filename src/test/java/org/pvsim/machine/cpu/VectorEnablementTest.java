package org.pvsim.machine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.pvsim.machine.ProgramInterruption;
import org.pvsim.machine.storage.Storage;

/**
 * The vector facility's frame: the enablement controls and DXC 0xfe, the DXC in the FPC, the FPRs as
 * the left halves of VRs 0-15, the RXB bits, reset, STFLE, and vector code in translated blocks.
 */
class VectorEnablementTest extends VectorTestSupport {
    static final String VONE_V16 = "e700ffff0844"; // vgbm %v16,0xffff

    @Test
    void vectorInstructionWithTheVectorControlOffIsDataExceptionFe() {
        code(VONE_V16);
        c.cr[0] &= ~Vector.CR0_VECTOR;
        c.fpc = 0x88000003;
        run(1);
        assertThat(pgmCode()).isEqualTo(ProgramInterruption.DATA);
        assertThat(dxc()).isEqualTo(0xfe);
        assertThat(pgmIlc()).isEqualTo(6);
        assertThat(pgmOldIa()).isEqualTo(CODE + 6); // suppressed: past the instruction
        assertThat(vr(16)).isEqualTo("0".repeat(32));
        // AFP on: the DXC is also in byte 2 of the FPC, the rest of the FPC kept
        assertThat(c.fpc).isEqualTo(0x8800fe03);
    }

    @Test
    void vectorInstructionWithAfpOffIsDataExceptionFeAndLeavesTheFpc() {
        code(VONE_V16);
        c.cr[0] &= ~Vector.CR0_AFP;
        run(1);
        assertThat(pgmCode()).isEqualTo(ProgramInterruption.DATA);
        assertThat(dxc()).isEqualTo(0xfe);
        assertThat(c.fpc).isZero();
        assertThat(vr(16)).isEqualTo("0".repeat(32));
    }

    @Test
    void vectorInstructionRunsWithBothControlsOn() {
        code(VONE_V16);
        run(1);
        assertThat(vr(16)).isEqualTo("f".repeat(32));
        assertThat(c.ia).isEqualTo(CODE + 6);
    }

    @Test
    void otherDataExceptionsPutTheirDxcInTheFpcWithAfpOn() {
        code("ec1000008070"); // cgit %r1,0,8 (r1 = 0: traps, DXC 0xff)
        run(1);
        assertThat(pgmCode()).isEqualTo(ProgramInterruption.DATA);
        assertThat(dxc()).isEqualTo(0xff);
        assertThat(c.fpc).isEqualTo(0xff00);
    }

    @Test
    void otherDataExceptionsLeaveTheFpcWithAfpOff() {
        code("ec1000008070");
        c.cr[0] &= ~Vector.CR0_AFP;
        c.fpc = 0x00000001;
        run(1);
        assertThat(dxc()).isEqualTo(0xff);
        assertThat(c.fpc).isEqualTo(1);
    }

    @Test
    void loadCountToBlockBoundaryNeedsNoVectorEnablement() {
        // lcbb %r1,0(%r2),0 (64-byte blocks); lcbb %r1,0(%r2),6 (4 KiB blocks)
        code("e71020000027 e71020006027");
        c.cr[0] &= ~(Vector.CR0_VECTOR | Vector.CR0_AFP);
        c.gr[2] = 0x3ff8;
        c.gr[1] = 0xffffffff00000000L;
        run(1);
        assertThat(c.gr[1]).isEqualTo(0xffffffff00000008L); // 8 bytes to the boundary, bits 0-31 kept
        assertThat(c.cc).isEqualTo(3);
        c.gr[2] = 0x3000;
        run(1);
        assertThat(c.gr[1] & 0xffffffffL).isEqualTo(16);
        assertThat(c.cc).isZero();
    }

    @Test
    void fprsAreTheLeftHalvesOfTheFirstSixteenVectorRegisters() {
        // vgbm %v1,0xf00f; lgdr %r4,%f1; ldgr %f1,%r1; vlgvg %r3,%v1,0; vlgvg %r5,%v1,1
        code("e710f00f0044 b3cd0041 b3c10011 e73100003021 e75100013021");
        c.gr[1] = 0x1234;
        run(5);
        assertThat(c.gr[4]).isEqualTo(0xffffffff00000000L);
        assertThat(c.fpr[1]).isEqualTo(0x1234);
        assertThat(c.gr[3]).isEqualTo(0x1234);
        assertThat(c.gr[5]).isEqualTo(0x00000000ffffffffL); // the right half: not an FPR
    }

    @Test
    void rxbBitsReachRegistersSixteenToThirtyOne() {
        // vlr %v31,%v17; vlr %v15,%v31
        code("e7f100000c56 e7ff00000456");
        vr(17, 0x1111222233334444L, 0x5555666677778888L);
        run(2);
        assertThat(vr(31)).isEqualTo("11112222333344445555666677778888");
        assertThat(c.fpr[15]).isEqualTo(0x1111222233334444L);
        assertThat(c.vrLow[15]).isEqualTo(0x5555666677778888L);
        assertThat(c.vrHigh[15]).isEqualTo(0x1111222233334444L); // VR31's left half
    }

    @Test
    void resetClearsTheVectorRegisters() {
        code(VONE_V16);
        run(1);
        vr(3, -1, -1);
        c.reset();
        assertThat(vr(16)).isEqualTo("0".repeat(32));
        assertThat(vr(3)).isEqualTo("0".repeat(32));
    }

    @Test
    void stfleReportsTheVectorFacilityInItsThirdDoubleword() {
        assertThat(m.facilities().has(Facilities.VECTOR)).isTrue();
        // lghi 0,0; llill 1,0x3000; stfle 0(1): room for one doubleword only
        code("a7090000 a51f3000 b2b01000");
        run(3);
        assertThat(c.cc).isEqualTo(3);
        assertThat(c.gr[0] & 0xff).isEqualTo(2);
        code("a7090002 a51f3000 b2b01000");
        run(3);
        assertThat(c.cc).isZero();
        long word2 = m.storage().readLong(0x3010, Storage.HOST);
        assertThat(word2 & (1L << 63 - (Facilities.VECTOR - 128))).isNotZero();
    }

    @Test
    void vectorLoopRunsTheSameInTranslatedBlocks() {
        String[] state = new String[2];
        for (int t = 0; t < 2; t++) {
            // vaf %v1,%v1,%v2; brctg %r5,.-6 (300 passes)
            code("e711200020f3 a757fffd");
            m.setTranslation(t == 1);
            c.gr[5] = 300;
            words(2, 1, 2, -3, 0x10000);
            run(2 * 300);
            state[t] = vr(1) + " " + c.gr[5] + " " + c.ia;
            if (t == 1) {
                assertThat(c.blockRuns).isPositive();
            } else {
                assertThat(c.blockRuns).isZero();
            }
        }
        assertThat(state[1]).isEqualTo(state[0]);
        assertThat(state[0]).startsWith(words(300, 600, -900, 300 * 0x10000));
    }
}
