package org.pvsim.machine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.pvsim.machine.Lowcore;
import org.pvsim.machine.storage.Storage;

/** More instruction families: shifts, insert characters, test under mask, compare and swap, SVC, EX, MVCL, STOSM. */
class FamilyTest {
    static final long CODE = 0x2000;

    Machine m = new Machine(new Machine.Options(1L << 20, 1, true, false), s -> { });
    Cpu c = m.cpu(0);

    void code(String hex) {
        put(CODE, HexFormat.of().parseHex(hex.replace(" ", "")));
        for (int off : new int[] {Lowcore.PGM_NEW_PSW, Lowcore.SVC_NEW_PSW}) {
            m.storage().writeLong(off, 0x0002000180000000L, Storage.HOST);
            m.storage().writeLong(off + 8, 0xfff, Storage.HOST);
        }
        m.ipl(new Psw(Psw.MASK_64BIT_DISABLED, CODE));
    }

    void put(long a, byte[] b) {
        m.storage().write(a, b, 0, b.length, Storage.HOST);
    }

    byte[] get(long a, int n) {
        return m.storage().read(a, n, Storage.HOST);
    }

    @Test
    void shiftsKeepOrPropagateTheSign() {
        // lghi 2,-16; sllg 1,2,4; srag 3,2,2
        code("a729fff0 eb120004000d eb320002000a");
        m.run(3);
        assertThat(c.gr[1]).isEqualTo(-256);
        assertThat(c.gr[3]).isEqualTo(-4);
        assertThat(c.cc).isEqualTo(1);
    }

    @Test
    void insertCharactersUnderMask() {
        put(0x3000, new byte[] {(byte) 0x80, 0x01});
        // llill 2,0x3000; lghi 1,0; icm 1,0b1010,0(2)
        code("a52f3000 a7190000 bf1a2000");
        m.run(3);
        assertThat(c.gr[1]).isEqualTo(0x80000100L);
        assertThat(c.cc).isEqualTo(1); // leftmost inserted bit is one
    }

    @Test
    void testUnderMaskOnStorageHasNoCc2() {
        put(0x3000, new byte[] {(byte) 0x80});
        // llill 2,0x3000; tm 0(2),0x81
        code("a52f3000 91812000");
        m.run(2);
        assertThat(c.cc).isEqualTo(1);
    }

    @Test
    void testUnderMaskHighHalfwordReportsTheLeftmostBit() {
        // llilh 1,0x8000 (bits 32-47 = 0x8000); tmlh 1,0x8001
        code("a51e8000 a7108001");
        m.run(2);
        assertThat(c.cc).isEqualTo(2);
    }

    @Test
    void compareAndSwapStoresOnlyWhenEqual() {
        m.storage().writeInt(0x3008, 5, Storage.HOST);
        // llill 2,0x3000; lhi 1,5; lhi 3,9; cs 1,3,8(2); cs 1,3,8(2)
        code("a52f3000 a7180005 a7380009 ba132008 ba132008");
        m.run(4);
        assertThat(c.cc).isEqualTo(0);
        assertThat(m.storage().readInt(0x3008, Storage.HOST)).isEqualTo(9);
        m.run(1);
        assertThat(c.cc).isEqualTo(1);
        assertThat((int) c.gr[1]).isEqualTo(9);
    }

    @Test
    void supervisorCallStoresItsNumberAndLength() {
        code("0a05");
        m.run(2);
        assertThat(m.storage().readShort(Lowcore.SVC_CODE, Storage.HOST)).isEqualTo(5);
        assertThat(m.storage().readShort(Lowcore.SVC_ILC, Storage.HOST)).isEqualTo(2);
        assertThat(m.storage().readLong(Lowcore.SVC_OLD_PSW + 8, Storage.HOST)).isEqualTo(CODE + 2);
    }

    @Test
    void executeModifiesTheLengthOfMvc() {
        put(0x3300, "ABCDEFGH".getBytes(StandardCharsets.US_ASCII));
        put(0x3100, HexFormat.of().parseHex("d20030004000")); // mvc 0(1,3),0(4)
        // lghi 1,3; llill 3,0x3200; llill 4,0x3300; llill 2,0x3100; ex 1,0(2)
        code("a7190003 a53f3200 a54f3300 a52f3100 44102000");
        m.run(5);
        assertThat(new String(get(0x3200, 5), StandardCharsets.ISO_8859_1)).isEqualTo("ABCD\0");
    }

    @Test
    void moveLongPadsTheLongerDestination() {
        put(0x3300, "ABC".getBytes(StandardCharsets.US_ASCII));
        // llill 2,0x3400; lghi 3,8; llill 4,0x3300; llilf 5,0x2a000003; mvcl 2,4
        code("a52f3400 a7390008 a54f3300 c05f2a000003 0e24");
        m.run(5);
        assertThat(new String(get(0x3400, 8), StandardCharsets.ISO_8859_1)).isEqualTo("ABC*****");
        assertThat(c.cc).isEqualTo(2);
        assertThat(c.gr[2]).isEqualTo(0x3408L);
        assertThat(c.gr[3] & 0xffffff).isZero();
    }

    @Test
    void storeThenOrSystemMaskEnablesExternalInterruptions() {
        code("ad010300"); // stosm 0x300,0x01
        m.run(1);
        assertThat(m.storage().readByte(0x300, Storage.HOST)).isZero();
        assertThat(c.psw().mask() & Psw.EXT).isNotZero();
    }

    @Test
    void loadAddressIn31BitModeKeepsTheHighWord() {
        // llihf 1,0x12345678; sam31; la 1,0x123(0)
        code("c01e12345678 010d 41100123");
        m.run(3);
        assertThat(c.gr[1]).isEqualTo(0x1234567800000123L);
    }

    @Test
    void storeMultipleThenLoadMultipleWrapsRegisterNumbers() {
        // lghi 15,1; lghi 0,2; lghi 1,3; llill 2,0x3000 ... use r15,r0,r1: stmg 15,1,0(2); xgr 15,15; lmg 15,1,0(2)
        code("a52f3000 a7f90001 a7090002 a7190003 ebf120000024 b98200ff ebf120000004");
        m.run(7);
        assertThat(c.gr[15]).isEqualTo(1);
        assertThat(m.storage().readLong(0x3010, Storage.HOST)).isEqualTo(3);
    }

    @Test
    void testAndSetReportsTheOldLeftmostBit() {
        // llill 2,0x3000; ts 0(2); ts 0(2)
        code("a52f3000 93002000 93002000");
        m.run(2);
        assertThat(c.cc).isEqualTo(0);
        assertThat(m.storage().readByte(0x3000, Storage.HOST)).isEqualTo(0xff);
        m.run(1);
        assertThat(c.cc).isEqualTo(1);
    }

    @Test
    void compareDoubleAndSwap64SwapsSixteenBytes() {
        m.storage().writeLong(0x3000, 1, Storage.HOST);
        m.storage().writeLong(0x3008, 2, Storage.HOST);
        // llill 6,0x3000; lghi 2,1; lghi 3,2; lghi 4,7; lghi 5,8; cdsg 2,4,0(6)
        code("a56f3000 a7290001 a7390002 a7490007 a7590008 eb246000003e");
        m.run(6);
        assertThat(c.cc).isEqualTo(0);
        assertThat(m.storage().readLong(0x3000, Storage.HOST)).isEqualTo(7);
        assertThat(m.storage().readLong(0x3008, Storage.HOST)).isEqualTo(8);
    }

    @Test
    void compareImmediateAndBranchUsesBasePlusDisplacement() {
        // lghi 1,-3; llill 9,0x2100; cgib 1,-3,8(eq),0(9) -> branch to 0x2100 where lghi 7,1
        put(0x2100, HexFormat.of().parseHex("a7790001"));
        code("a719fffd a59f2100 ec189000fdfc");
        m.run(4);
        assertThat(c.gr[7]).isEqualTo(1);
    }

    @Test
    void aRelativeBranchUnderExecuteIsRelativeToItsOwnAddress() {
        // at 0x3100: j +0x100 (to 0x3200): lghi 7,5 there. exrl 0,0x3100 from 0x2000.
        put(0x3100, HexFormat.of().parseHex("a7f40080"));
        put(0x3200, HexFormat.of().parseHex("a7790005"));
        code("c60000000880"); // exrl 0,+0x1100 -> 0x3100
        m.run(2);
        assertThat(c.gr[7]).isEqualTo(5);
    }

    @Test
    void highWordArithmeticLeavesTheLowWord() {
        // iihf 2,5; iilf 2,0x1111; iihf 3,-7; ahhhr 1,2,3 (r1 high = 5 + -7)
        code("c02800000005 c02900001111 c038fffffff9 b9c83012");
        c.gr[1] = 0x00000000_abcdef01L;
        m.run(4);
        assertThat(c.gr[1]).isEqualTo(0xfffffffe_abcdef01L);
        assertThat(c.cc).isEqualTo(1);
    }

    @Test
    void storageKeysReadBackWhatWasSet() {
        // llill 2,0x3000; lghi 1,0x36 (key 3, reference, change); sske 1,2; lghi 1,0; iske 1,2; rrbe 0,2; iske 4,2
        code("a52f3000 a7190036 b22b0012 a7190000 b2290012 b22a0002 b2290042");
        m.run(5);
        assertThat(c.gr[1]).isEqualTo(0x36);
        m.run(1);
        assertThat(c.cc).isEqualTo(3); // reference and change were set
        m.run(1);
        assertThat(c.gr[4] & 0xff).isEqualTo(0x32); // reference bit reset
    }

    @Test
    void compareAndSwapWithLongDisplacementStoresOnlyWhenEqual() {
        m.storage().writeInt(0x3008, 5, Storage.HOST);
        // llill 2,0x3000; lhi 1,5; lhi 3,9; csy 1,3,8(2); csy 1,3,8(2)
        code("a52f3000 a7180005 a7380009 eb1320080014 eb1320080014");
        m.run(4);
        assertThat(c.cc).isEqualTo(0);
        assertThat(m.storage().readInt(0x3008, Storage.HOST)).isEqualTo(9);
        m.run(1);
        assertThat(c.cc).isEqualTo(1);
        assertThat((int) c.gr[1]).isEqualTo(9);
    }

    @Test
    void moveNumericsTakesOnlyTheLowNibbles() {
        put(0x3000, HexFormat.of().parseHex("12345678"));
        put(0x3100, HexFormat.of().parseHex("abcdef01"));
        // llill 2,0x3000; llill 3,0x3100; mvn 0(4,2),0(3)
        code("a52f3000 a53f3100 d10320003000");
        m.run(3);
        assertThat(HexFormat.of().formatHex(get(0x3000, 5))).isEqualTo("1b3d5f7100");
    }

    @Test
    void moveZonesTakesOnlyTheHighNibbles() {
        put(0x3000, HexFormat.of().parseHex("12345678"));
        put(0x3100, HexFormat.of().parseHex("abcdef01"));
        // llill 2,0x3000; llill 3,0x3100; mvz 0(4,2),0(3)
        code("a52f3000 a53f3100 d30320003000");
        m.run(3);
        assertThat(HexFormat.of().formatHex(get(0x3000, 5))).isEqualTo("a2c4e60800");
    }

    @Test
    void compareLogicalLongStopsAtTheFirstDifferenceAgainstThePad() {
        put(0x3000, HexFormat.of().parseHex("41422040"));
        put(0x3100, HexFormat.of().parseHex("4142"));
        // llill 2,0x3000; lghi 3,4; llill 4,0x3100; llilf 5,0x40000002 (pad 0x40, length 2); clcl 2,4
        code("a52f3000 a7390004 a54f3100 c05f40000002 0f24");
        m.run(5);
        assertThat(c.cc).isEqualTo(1); // 0x20 < pad 0x40
        assertThat(c.gr[2]).isEqualTo(0x3002);
        assertThat(c.gr[3]).isEqualTo(2);
        assertThat(c.gr[4]).isEqualTo(0x3102);
        assertThat(c.gr[5]).isEqualTo(0x40000000L);
    }

    @Test
    void compareLogicalLongExtendedPadsTheShorterOperand() {
        put(0x3000, HexFormat.of().parseHex("41424040"));
        put(0x3100, HexFormat.of().parseHex("4142"));
        // llill 2,0x3000; lghi 3,4; llill 4,0x3100; lghi 5,2; clcle 2,4,0x40
        code("a52f3000 a7390004 a54f3100 a7590002 a9240040");
        m.run(5);
        assertThat(c.cc).isEqualTo(0);
        assertThat(c.gr[2]).isEqualTo(0x3004);
        assertThat(c.gr[3]).isZero();
        assertThat(c.gr[4]).isEqualTo(0x3102);
        assertThat(c.gr[5]).isZero();
    }

    @Test
    void compareLogicalLongExtendedComparesThePadWithTheLongerOperand() {
        put(0x3000, HexFormat.of().parseHex("41"));
        put(0x3100, HexFormat.of().parseHex("4142"));
        // llill 2,0x3000; lghi 3,1; llill 4,0x3100; lghi 5,2; clcle 2,4,0x43
        code("a52f3000 a7390001 a54f3100 a7590002 a9240043");
        m.run(5);
        assertThat(c.cc).isEqualTo(2); // pad 0x43 > 0x42
        assertThat(c.gr[2]).isEqualTo(0x3001);
        assertThat(c.gr[3]).isZero();
        assertThat(c.gr[4]).isEqualTo(0x3101);
        assertThat(c.gr[5]).isEqualTo(1);
    }
}
