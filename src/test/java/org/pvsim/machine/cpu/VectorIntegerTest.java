package org.pvsim.machine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Vector integer arithmetic, compares, shifts, counts, sums, checksums and Galois-field multiplies. */
class VectorIntegerTest extends VectorTestSupport {
    static String dw(long hi, long lo) {
        return String.format("%016x%016x", hi, lo);
    }

    @Test
    void addBytesWrapsWithoutCarryIntoTheNeighbour() {
        code("e712300000f3 e752300000f1"); // vab %v1,%v2,%v3; vaccb %v5,%v2,%v3
        vr(2, "ff01807f".repeat(4));
        vr(3, "01ff8001".repeat(4));
        run(2);
        assertThat(vr(1)).isEqualTo("00000080".repeat(4));
        assertThat(vr(5)).isEqualTo("01010100".repeat(4));
    }

    @Test
    void quadwordAddAndSubtractCarryAcrossTheDoublewords() {
        code("e742300040f3 e712300040f7 e742300040f5"); // vaq %v4; vsq %v1; vscbiq %v4 (of %v2, %v3)
        vr(2, 0, -1);
        vr(3, 0, 1);
        run(1);
        assertThat(vr(4)).isEqualTo(dw(1, 0));
        vr(2, 0, 0);
        run(2);
        assertThat(vr(1)).isEqualTo(dw(-1, -1)); // 0 - 1
        assertThat(vr(4)).isEqualTo(dw(0, 0)); // borrow: indication 0
        vr(2, 1, 0);
        c.ia = CODE + 12;
        run(1);
        assertThat(vr(4)).isEqualTo(dw(0, 1)); // no borrow
    }

    @Test
    void quadwordAddWithCarryIn() {
        code("e712340040bb e752340040b9"); // vacq %v1,%v2,%v3,%v4; vacccq %v5,%v2,%v3,%v4
        vr(2, 0, -1);
        vr(3, 0, 0);
        vr(4, 0, 1);
        run(2);
        assertThat(vr(1)).isEqualTo(dw(1, 0));
        assertThat(vr(5)).isEqualTo(dw(0, 0));
        vr(2, -1, -1);
        c.ia = CODE;
        run(2);
        assertThat(vr(1)).isEqualTo(dw(0, 0));
        assertThat(vr(5)).isEqualTo(dw(0, 1));
    }

    @Test
    void multiplyLowHighEvenOdd() {
        // vmlf %v1; vmhf %v4; vmlhf %v5; vmef %v6; vmof %v7; vmlef %v8 (of %v2, %v3)
        code("e712300020a2 e742300020a3 e752300020a1 e762300020a6 e772300020a7 e782300020a4");
        words(2, -2, 0x10000, 0xffffffff, 3);
        words(3, 3, 0x10000, 2, 0x55555555);
        run(6);
        assertThat(vr(1)).isEqualTo(words(-6, 0, 0xfffffffe, 0xffffffff));
        assertThat(vr(4)).isEqualTo(words(-1, 1, -1, 0));
        assertThat(vr(5)).isEqualTo(words(2, 1, 1, 0));
        assertThat(vr(6)).isEqualTo(dw(-6, -2));
        assertThat(vr(7)).isEqualTo(dw(1L << 32, 0xffffffffL));
        assertThat(vr(8)).isEqualTo(dw(0xfffffffeL * 3, 0xffffffffL * 2));
    }

    @Test
    void multiplyAndAdd() {
        code("e712320040aa e752320040ae"); // vmalf %v1,%v2,%v3,%v4; vmaef %v5,%v2,%v3,%v4
        words(2, -2, 0x10000, 0xffffffff, 3);
        words(3, 3, 0x10000, 2, 0x55555555);
        words(4, 10, 1, 2, 1);
        run(2);
        assertThat(vr(1)).isEqualTo(words(4, 1, 0, 0));
        assertThat(vr(5)).isEqualTo(dw(-6 + 0xa00000001L, -2 + 0x200000001L));
    }

    @Test
    void comparesSetMasksAndTheConditionCode() {
        // vceqfs %v1; vchfs %v4; vchlfs %v5 (of %v2, %v3)
        code("e712301020f8 e742301020fb e752301020f9 e712301020f8");
        words(2, 1, -1, 5, 7);
        words(3, 1, 1, 5, 8);
        run(1);
        assertThat(vr(1)).isEqualTo(words(-1, 0, -1, 0));
        assertThat(c.cc).isEqualTo(1);
        run(1);
        assertThat(vr(4)).isEqualTo(words(0, 0, 0, 0));
        assertThat(c.cc).isEqualTo(3);
        run(1);
        assertThat(vr(5)).isEqualTo(words(0, -1, 0, 0));
        assertThat(c.cc).isEqualTo(1);
        words(3, 1, -1, 5, 7);
        run(1);
        assertThat(vr(1)).isEqualTo(words(-1, -1, -1, -1));
        assertThat(c.cc).isZero();
    }

    @Test
    void compareWithoutTheCsFlagLeavesTheConditionCode() {
        code("e712300020f8"); // vceqf %v1,%v2,%v3
        c.cc = 2;
        run(1);
        assertThat(vr(1)).isEqualTo("f".repeat(32));
        assertThat(c.cc).isEqualTo(2);
    }

    @Test
    void elementCompareSignedAndLogical() {
        code("e723000020db e723000020d9 e723000020db"); // vecf %v2,%v3; veclf %v2,%v3; vecf %v2,%v3
        words(2, 9, -1, 0, 0);
        words(3, 0, 1, 0, 0);
        run(1);
        assertThat(c.cc).isEqualTo(1);
        run(1);
        assertThat(c.cc).isEqualTo(2);
        words(3, 7, -1, 3, 3);
        run(1);
        assertThat(c.cc).isZero();
    }

    @Test
    void minimumAndMaximumSignedAndLogical() {
        // vmnf %v1; vmxf %v4; vmnlf %v5; vmxlf %v6 (of %v2, %v3)
        code("e712300020fe e742300020ff e752300020fc e762300020fd");
        words(2, -1, 1, 0x80000000, 5);
        words(3, 1, -1, 0x7fffffff, 5);
        run(4);
        assertThat(vr(1)).isEqualTo(words(-1, -1, 0x80000000, 5));
        assertThat(vr(4)).isEqualTo(words(1, 1, 0x7fffffff, 5));
        assertThat(vr(5)).isEqualTo(words(1, 1, 0x7fffffff, 5));
        assertThat(vr(6)).isEqualTo(words(-1, -1, 0x80000000, 5));
    }

    @Test
    void averageRoundsUpWithoutOverflow() {
        code("e712300000f2 e742300000f0"); // vavgb %v1,%v2,%v3; vavglb %v4,%v2,%v3
        vr(2, "ff7f8001".repeat(4));
        vr(3, "007f8002".repeat(4));
        run(2);
        assertThat(vr(1)).isEqualTo("007f8002".repeat(4));
        assertThat(vr(4)).isEqualTo("807f8002".repeat(4));
    }

    @Test
    void complementAndPositive() {
        code("e712000020de e742000020df"); // vlcf %v1,%v2; vlpf %v4,%v2
        words(2, 1, -5, 0x80000000, 0);
        run(2);
        assertThat(vr(1)).isEqualTo(words(-1, 5, 0x80000000, 0));
        assertThat(vr(4)).isEqualTo(words(1, 5, 0x80000000, 0));
    }

    @Test
    void elementShiftsAndRotatesByTheAddressModuloTheWidth() {
        // veslf %v1,%v2,33; vesraf %v4,%v2,4; vesrlf %v5,%v2,4; verllf %v6,%v2,8
        code("e71200212030 e7420004203a e75200042038 e76200082033");
        words(2, 0x80000001, 0x40000000, 3, -1);
        run(4);
        assertThat(vr(1)).isEqualTo(words(2, 0x80000000, 6, 0xfffffffe));
        assertThat(vr(4)).isEqualTo(words(0xf8000000, 0x04000000, 0, -1));
        assertThat(vr(5)).isEqualTo(words(0x08000000, 0x04000000, 0, 0x0fffffff));
        assertThat(vr(6)).isEqualTo(words(0x180, 0x40, 0x300, -1));
    }

    @Test
    void elementShiftByElementCounts() {
        code("e71230000070"); // veslvb %v1,%v2,%v3
        vr(2, "01".repeat(16));
        vr(3, "000102030405060708090a0b0c0d0e0f");
        run(1);
        assertThat(vr(1)).isEqualTo("0102040810204080".repeat(2));
    }

    @Test
    void rotateThenInsertUnderMask() {
        code("e71230082072"); // verimf %v1,%v2,%v3,8
        vr(1, "aa".repeat(16));
        words(2, 0x12345678, 0x12345678, 0x12345678, 0x12345678);
        words(3, 0x0000ffff, -1, 0, 0xff00ff00);
        run(1);
        assertThat(vr(1)).isEqualTo(words(0xaaaa7812, 0x34567812, 0xaaaaaaaa, 0x34aa78aa));
    }

    @Test
    void countLeadingTrailingZerosAndPopulation() {
        code("e71200002053 e74200002052 e75200000050"); // vclzf %v1; vctzf %v4; vpopctb %v5 (of %v2)
        words(2, 1, 0, 0x80000000, 0x00f00000);
        run(3);
        assertThat(vr(1)).isEqualTo(words(31, 32, 0, 8));
        assertThat(vr(4)).isEqualTo(words(0, 32, 31, 20));
        assertThat(vr(5)).isEqualTo("00000001000000000100000000040000");
    }

    @Test
    void sumsAcrossElements() {
        code("e71230000064 e74230001065 e75230002067"); // vsumb %v1; vsumgh %v4; vsumqf %v5 (of %v2, %v3)
        vr(2, "0102030405060708090a0b0c0d0e0f10");
        words(3, 0x11111105, 2, 3, 0xffffff04);
        run(3);
        assertThat(vr(1)).isEqualTo(words(1 + 2 + 3 + 4 + 5, 5 + 6 + 7 + 8 + 2, 9 + 10 + 11 + 12 + 3, 13 + 14 + 15 + 16 + 4));
        assertThat(vr(4)).isEqualTo(dw(0x0102 + 0x0304 + 0x0506 + 0x0708 + 0x0002, 0x090a + 0x0b0c + 0x0d0e + 0x0f10 + 0xff04));
        assertThat(vr(5)).isEqualTo(dw(0, 0x01020304L + 0x05060708L + 0x090a0b0cL + 0x0d0e0f10L + 0xffffff04L));
    }

    @Test
    void checksumAddsTheCarryBackIn() {
        code("e71230000066 e71230000066"); // vcksm %v1,%v2,%v3 twice
        words(2, 1, 2, 3, 4);
        words(3, 9, 5, 9, 9);
        vr(1, -1, -1);
        run(1);
        assertThat(vr(1)).isEqualTo(words(0, 15, 0, 0));
        words(2, 0xffffffff, 1, 0, 0);
        words(3, 0, 0, 0, 0);
        run(1);
        assertThat(vr(1)).isEqualTo(words(0, 1, 0, 0));
    }

    @Test
    void galoisFieldMultiplySum() {
        code("e712300030b4 e742300000b4"); // vgfmg %v1,%v2,%v3; vgfmb %v4,%v2,%v3
        vr(2, 0x87, 1L << 63);
        vr(3, 3, 2);
        run(1);
        assertThat(vr(1)).isEqualTo(dw(1, 0x189)); // 0x87 * 3 = 0x189, 2^63 * 2 = 2^64, added by XOR
        vr(2, "0305" + "00".repeat(14));
        vr(3, "0303" + "00".repeat(14));
        run(1);
        assertThat(vr(4)).isEqualTo("000a" + "0000".repeat(7)); // 3 * 3 = 5 XOR 5 * 3 = 0xf
    }
}
