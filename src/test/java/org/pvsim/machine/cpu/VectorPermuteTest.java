package org.pvsim.machine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** Generate, replicate, permute, merge, select, unpack, pack, shift the whole register, test under mask. */
class VectorPermuteTest extends VectorTestSupport {
    static final String BYTES_0_15 = "000102030405060708090a0b0c0d0e0f";
    static final String BYTES_16_31 = "101112131415161718191a1b1c1d1e1f";

    @Test
    void generateByteMask() {
        code("e71080010044"); // vgbm %v1,0x8001
        run(1);
        assertThat(vr(1)).isEqualTo("ff" + "00".repeat(14) + "ff");
    }

    @Test
    void generateMaskWithAndWithoutWrapAround() {
        code("e71004072046 e72006010046 e7303c033046"); // vgmf %v1,4,7; vgmb %v2,6,1; vgmg %v3,60,3
        run(3);
        assertThat(vr(1)).isEqualTo("0f000000".repeat(4));
        assertThat(vr(2)).isEqualTo("c3".repeat(16));
        assertThat(vr(3)).isEqualTo("f00000000000000f".repeat(2));
    }

    @Test
    void replicateImmediateAndElement() {
        code("e710fffe1045 e7230002204d"); // vrepih %v1,-2; vrepf %v2,%v3,2
        words(3, 1, 2, 3, 4);
        run(2);
        assertThat(vr(1)).isEqualTo("fffe".repeat(8));
        assertThat(vr(2)).isEqualTo("00000003".repeat(4));
    }

    @Test
    void permuteTakesTheLowFiveBitsOfEachSelector() {
        code("e7123000408c"); // vperm %v1,%v2,%v3,%v4
        vr(2, BYTES_0_15);
        vr(3, BYTES_16_31);
        vr(4, "1f001110e10f203f0102030405060708");
        run(1);
        assertThat(vr(1)).isEqualTo("1f001110010f001f0102030405060708");
    }

    @Test
    void permuteDoublewordImmediate() {
        code("e71230005084"); // vpdi %v1,%v2,%v3,5
        vr(2, 0xaL, 0xbL);
        vr(3, 0xcL, 0xdL);
        run(1);
        assertThat(vr(1)).isEqualTo(String.format("%016x%016x", 0xb, 0xd));
    }

    @Test
    void mergeHighAndLow() {
        code("e71230002061 e74230002060 e75230003061"); // vmrhf %v1; vmrlf %v4; vmrhg %v5 (of %v2, %v3)
        words(2, 0xa0, 0xa1, 0xa2, 0xa3);
        words(3, 0xb0, 0xb1, 0xb2, 0xb3);
        run(3);
        assertThat(vr(1)).isEqualTo(words(0xa0, 0xb0, 0xa1, 0xb1));
        assertThat(vr(4)).isEqualTo(words(0xa2, 0xb2, 0xa3, 0xb3));
        assertThat(vr(5)).isEqualTo(words(0xa0, 0xa1, 0xb0, 0xb1));
    }

    @Test
    void selectBitsByTheFourthOperand() {
        code("e7123000408d"); // vsel %v1,%v2,%v3,%v4
        vr(2, "aa".repeat(16));
        vr(3, "55".repeat(16));
        vr(4, "ff00".repeat(8));
        run(1);
        assertThat(vr(1)).isEqualTo("aa55".repeat(8));
    }

    @Test
    void unpackHighAndLowSignedAndLogical() {
        // vuphb %v1,%v2; vuplhb %v3,%v2; vuplb %v4,%v2; vupllh %v5,%v2
        code("e712000000d7 e732000000d5 e742000000d6 e752000010d4");
        vr(2, "807f01ff00fe0281 112283 84f00f55aa".replace(" ", ""));
        run(4);
        assertThat(vr(1)).isEqualTo("ff80007f0001ffff0000fffe0002ff81");
        assertThat(vr(3)).isEqualTo("0080007f000100ff000000fe00020081");
        assertThat(vr(4)).isEqualTo("00110022ff83ff84fff0000f0055ffaa");
        assertThat(vr(5)).isEqualTo("00001122000083840000f00f000055aa");
    }

    @Test
    void packTruncates() {
        code("e71230002094"); // vpkf %v1,%v2,%v3
        words(2, 0x12345678, 0x9abcdef0, 1, 0xffff0000);
        words(3, 0x11112222, 0x33334444, 0x55556666, 0x77778888);
        run(1);
        assertThat(vr(1)).isEqualTo("5678def0000100002222444466668888");
    }

    @Test
    void packSaturateReportsNoneSomeOrAllSaturated() {
        code("e71230102097 e71230102097 e71230102097"); // vpksfs %v1,%v2,%v3 three times
        words(2, 0x7fffffff, 1, -1, 0x80000000);
        words(3, 2, 3, 4, 5);
        run(1);
        assertThat(vr(1)).isEqualTo("7fff0001ffff80000002000300040005");
        assertThat(c.cc).isEqualTo(1);
        words(2, 0x10000, 0x10000, -0x10000, 0x10000);
        words(3, 0x10000, 0x10000, 0x10000, 0x7fffffff);
        run(1);
        assertThat(vr(1)).isEqualTo("7fff7fff80007fff7fff7fff7fff7fff");
        assertThat(c.cc).isEqualTo(3);
        words(2, 1, 2, 3, 4);
        words(3, -1, -32768, 32767, 0);
        run(1);
        assertThat(vr(1)).isEqualTo("0001000200030004ffff80007fff0000");
        assertThat(c.cc).isZero();
    }

    @Test
    void packLogicalSaturate() {
        code("e71230102095"); // vpklsfs %v1,%v2,%v3
        words(2, 0x10000, 0xffff, 1, -1);
        words(3, 0, 0, 0, 0);
        run(1);
        assertThat(vr(1)).isEqualTo("ffffffff0001ffff0000000000000000");
        assertThat(c.cc).isEqualTo(1);
    }

    @Test
    void shiftLeftDoubleByByte() {
        code("e71230030077"); // vsldb %v1,%v2,%v3,3
        vr(2, BYTES_0_15);
        vr(3, BYTES_16_31);
        run(1);
        assertThat(vr(1)).isEqualTo("030405060708090a0b0c0d0e0f101112");
    }

    static final BigInteger MOD = BigInteger.ONE.shiftLeft(128);

    static String hex128(BigInteger v) {
        String s = v.mod(MOD).toString(16);
        return "0".repeat(32 - s.length()) + s;
    }

    @Test
    void wholeRegisterShiftsByBitsAndBytesAgreeWithBigInteger() {
        // vsl %v1; vsrl %v4; vsra %v5 (of %v2 by %v3); vslb %v6; vsrlb %v8; vsrab %v9 (of %v2 by %v7)
        code("e71230000074 e7423000007c e7523000007e e76270000075 e7827000007d e7927000007f");
        String value = "c3a5968778695a4b3c2d1e0ff1e2d3c4";
        vr(2, value);
        vr(3, "fb".repeat(16)); // only bits 5-7 of each byte count: 3
        vr(7, "ffffffffffffffa9ffffffffffffffff"); // bits 1-4 of byte 7: 5 bytes
        run(6);
        BigInteger u = new BigInteger(value, 16);
        BigInteger s = u.testBit(127) ? u.subtract(MOD) : u;
        assertThat(vr(1)).isEqualTo(hex128(u.shiftLeft(3)));
        assertThat(vr(4)).isEqualTo(hex128(u.shiftRight(3)));
        assertThat(vr(5)).isEqualTo(hex128(s.shiftRight(3)));
        assertThat(vr(6)).isEqualTo(hex128(u.shiftLeft(40)));
        assertThat(vr(8)).isEqualTo(hex128(u.shiftRight(40)));
        assertThat(vr(9)).isEqualTo(hex128(s.shiftRight(40)));
    }

    @Test
    void testUnderMaskConditionCodes() {
        code("e712000000d8 e712000000d8 e712000000d8 e712000000d8"); // vtm %v1,%v2 four times
        vr(1, -1, -1);
        vr(2, 0, 0);
        run(1);
        assertThat(c.cc).isZero(); // nothing selected
        vr(1, "0f".repeat(16));
        vr(2, "ff".repeat(16));
        run(1);
        assertThat(c.cc).isEqualTo(1);
        vr(1, -1, -1);
        vr(2, "0f".repeat(16));
        run(1);
        assertThat(c.cc).isEqualTo(3);
        vr(1, 0, 0);
        run(1);
        assertThat(c.cc).isZero();
    }

    @Test
    void signExtendToDoubleword() {
        code("e7120000005f"); // vsegb %v1,%v2
        vr(2, "00000000000000800000000000000f7f");
        run(1);
        assertThat(vr(1)).isEqualTo("ffffffffffffff80000000000000007f");
    }
}
