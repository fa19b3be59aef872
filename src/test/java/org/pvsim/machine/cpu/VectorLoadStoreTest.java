package org.pvsim.machine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.pvsim.machine.ProgramInterruption;

/** Vector loads and stores, element moves between GRs and VRs, gather, and their exceptions. */
class VectorLoadStoreTest extends VectorTestSupport {
    static byte[] counting(int n, int from) {
        byte[] b = new byte[n];
        for (int k = 0; k < n; k++) {
            b[k] = (byte) (from + k);
        }
        return b;
    }

    @Test
    void loadAndStoreSixteenBytes() {
        put(DATA, counting(16, 0));
        code("e71020000806 e7102010080e"); // vl %v17,0(%r2); vst %v17,16(%r2)
        run(2);
        assertThat(vr(17)).isEqualTo("000102030405060708090a0b0c0d0e0f");
        assertThat(get(DATA + 16, 16)).isEqualTo(counting(16, 0));
    }

    @Test
    void storeCrossingTheEndOfStorageStoresNothing() {
        code("e7102000000e"); // vst %v1,0(%r2)
        c.gr[2] = (1L << 20) - 8;
        vr(1, -1, -1);
        run(1);
        assertThat(pgmCode()).isEqualTo(ProgramInterruption.ADDRESSING);
        assertThat(get((1L << 20) - 8, 8)).isEqualTo(new byte[8]);
    }

    @Test
    void loadAndStoreMultipleAcrossTheFprBoundary() {
        put(DATA, counting(64, 0));
        code("e7e120000436 e7e12040043e"); // vlm %v14,%v17,0(%r2); vstm %v14,%v17,64(%r2)
        run(2);
        assertThat(c.fpr[14]).isEqualTo(0x0001020304050607L);
        assertThat(c.fpr[15]).isEqualTo(0x1011121314151617L);
        assertThat(vr(16)).isEqualTo("202122232425262728292a2b2c2d2e2f");
        assertThat(vr(17)).isEqualTo("303132333435363738393a3b3c3d3e3f");
        assertThat(get(DATA + 64, 64)).isEqualTo(counting(64, 0));
    }

    @Test
    void loadMultipleWithTheLastRegisterBeforeTheFirstIsASpecificationException() {
        code("e71e20000836"); // vlm %v17,%v14,0(%r2)
        run(1);
        assertThat(pgmCode()).isEqualTo(ProgramInterruption.SPECIFICATION);
    }

    @Test
    void loadWithLengthTakesTheHighestByteIndexFromTheLowWordOfR3() {
        put(DATA, counting(16, 1));
        code("e71320000037 e71320000037 e71320000037"); // vll %v1,%r3,0(%r2) three times
        vr(1, -1, -1);
        c.gr[3] = 2;
        run(1);
        assertThat(vr(1)).isEqualTo("010203" + "0".repeat(26));
        c.gr[3] = 0xffffffff00000004L;
        run(1);
        assertThat(vr(1)).isEqualTo("0102030405" + "0".repeat(22));
        c.gr[3] = 100;
        run(1);
        assertThat(vr(1)).isEqualTo("0102030405060708090a0b0c0d0e0f10");
    }

    @Test
    void storeWithLengthStoresOnlyThoseBytes() {
        code("e7132020003f"); // vstl %v1,%r3,32(%r2)
        vr(1, -1, -1);
        c.gr[3] = 2;
        run(1);
        assertThat(get(DATA + 32, 5)).isEqualTo(hex("ffffff0000"));
    }

    @Test
    void elementLoadsReplicateZeroAndInsert() {
        put(DATA, hex("abcd0000 11223344 55667788"));
        // vlreph %v1,0(%r2); vllezf %v2,4(%r2); vleig %v3,-2,1; vlef %v3,8(%r2),2; vsteh %v3,16(%r2),7
        code("e71020001005 e72020042004 e730fffe1042 e73020082003 e73020107009");
        vr(2, -1, -1);
        vr(3, "ee".repeat(16));
        run(5);
        assertThat(vr(1)).isEqualTo("abcd".repeat(8));
        assertThat(vr(2)).isEqualTo("00000000112233440000000000000000");
        assertThat(vr(3)).isEqualTo("eeeeeeeeeeeeeeee55667788fffffffe");
        assertThat(get(DATA + 16, 2)).isEqualTo(hex("fffe"));
    }

    @Test
    void storeElementOfAnInnerHalfword() {
        code("e73020105009"); // vsteh %v3,16(%r2),5
        vr(3, "00112233445566778899aabbccddeeff");
        run(1);
        assertThat(get(DATA + 16, 2)).isEqualTo(hex("aabb"));
    }

    @Test
    void elementIndexBeyondTheRegisterIsASpecificationException() {
        code("e71020004003"); // vlef %v1,0(%r2),4
        run(1);
        assertThat(pgmCode()).isEqualTo(ProgramInterruption.SPECIFICATION);
    }

    @Test
    void elementsBetweenGeneralAndVectorRegisters() {
        // vlvgb %v3,%r1,17 (index 17 mod 16); vlgvf %r4,%v3,2; vlvgp %v5,%r1,%r4; vlvgg %v1,%r1,1
        code("e73100110022 e74300022021 e75140000062 e71100013022");
        vr(3, "00112233445566778899aabbccddeeff");
        c.gr[1] = 0x12345678000056abL;
        c.gr[4] = -1;
        run(4);
        assertThat(vr(3)).isEqualTo("00ab2233445566778899aabbccddeeff");
        assertThat(c.gr[4]).isEqualTo(0x8899aabbL);
        assertThat(vr(5)).isEqualTo("12345678000056ab000000008899aabb");
        assertThat(Vector.lo(c, 1)).isEqualTo(0x12345678000056abL);
    }

    @Test
    void loadToBlockBoundaryStopsAtTheBoundaryWhereLoadFaults() {
        long end = 1L << 20;
        put(end - 4, hex("deadbeef"));
        code("e71020006007 e71020000006"); // vlbb %v1,0(%r2),6; vl %v1,0(%r2)
        c.gr[2] = end - 4;
        vr(1, "ee".repeat(16));
        run(1);
        assertThat(vr(1)).startsWith("deadbeef");
        assertThat(c.ia).isEqualTo(CODE + 6);
        run(1);
        assertThat(pgmCode()).isEqualTo(ProgramInterruption.ADDRESSING);
    }

    @Test
    void gatherElementFromTheAddressInAnElement() {
        put(DATA + 0x100, hex("cafef00d"));
        code("e71230001013"); // vgef %v1,0(%v2,%r3),1
        words(2, 0, 0x100, 0, 0);
        c.gr[3] = DATA;
        vr(1, "ee".repeat(16));
        run(1);
        assertThat(vr(1)).isEqualTo("eeeeeeeecafef00deeeeeeeeeeeeeeee");
    }
}
