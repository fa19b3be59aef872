package org.pvsim.machine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.pvsim.machine.Lowcore;
import org.pvsim.machine.storage.Storage;

/** Arithmetic and logical instructions against BigInteger models of their architected results. */
class ArithmeticProperties {
    static final BigInteger TWO64 = BigInteger.ONE.shiftLeft(64);

    /** Runs one instruction (hex) with r2 = a, r3 = b; returns the CPU afterwards. */
    static Cpu exec(String hex, long a, long b) {
        Machine m = new Machine(new Machine.Options(64 * 1024, 1, true, false), s -> { });
        byte[] code = HexFormat.of().parseHex(hex);
        m.storage().write(0x2000, code, 0, code.length, Storage.HOST);
        m.ipl(new Psw(Psw.MASK_64BIT_DISABLED, 0x2000));
        Cpu c = m.cpu(0);
        c.gr[2] = a;
        c.gr[3] = b;
        m.run(1);
        return c;
    }

    static BigInteger unsigned(long v) {
        return new BigInteger(Long.toUnsignedString(v));
    }

    @Property(tries = 300)
    void addSetsTheSignedConditionCode(@ForAll long a, @ForAll long b) {
        Cpu c = exec("b9080023", a, b); // agr 2,3
        BigInteger exact = BigInteger.valueOf(a).add(BigInteger.valueOf(b));
        assertThat(c.gr[2]).isEqualTo(a + b);
        int expected = exact.bitLength() > 63 ? 3 : exact.signum() == 0 ? 0 : exact.signum() < 0 ? 1 : 2;
        assertThat(c.cc).isEqualTo(expected);
    }

    @Property(tries = 300)
    void subtractLogicalReportsTheBorrow(@ForAll long a, @ForAll long b) {
        Cpu c = exec("b90b0023", a, b); // slgr 2,3
        boolean borrow = unsigned(a).compareTo(unsigned(b)) < 0;
        assertThat(c.gr[2]).isEqualTo(a - b);
        assertThat(c.cc).isEqualTo((a - b != 0 ? 1 : 0) | (borrow ? 0 : 2));
    }

    @Property(tries = 300)
    void addLogical32ReportsTheCarry(@ForAll int a, @ForAll int b) {
        Cpu c = exec("1e23", 0xdead_0000_0000_0000L | (a & 0xffffffffL), b); // alr 2,3
        long sum = (a & 0xffffffffL) + (b & 0xffffffffL);
        assertThat(c.gr[2]).isEqualTo(0xdead_0000_0000_0000L | (sum & 0xffffffffL));
        assertThat(c.cc).isEqualTo(((int) sum != 0 ? 1 : 0) | (sum >>> 32 != 0 ? 2 : 0));
    }

    @Property(tries = 300)
    void multiplyLogicalGivesThe128BitProduct(@ForAll long a, @ForAll long b) {
        // mlgr 2,4 multiplies r3 by r4 into r2:r3; here r3 = a, r4 = b
        Machine m = new Machine(new Machine.Options(64 * 1024, 1, true, false), s -> { });
        m.storage().write(0x2000, HexFormat.of().parseHex("b9860024"), 0, 4, Storage.HOST);
        m.ipl(new Psw(Psw.MASK_64BIT_DISABLED, 0x2000));
        Cpu c = m.cpu(0);
        c.gr[3] = a;
        c.gr[4] = b;
        m.run(1);
        BigInteger p = unsigned(a).multiply(unsigned(b));
        assertThat(c.gr[2]).isEqualTo(p.shiftRight(64).longValue());
        assertThat(c.gr[3]).isEqualTo(p.longValue());
    }

    @Property(tries = 300)
    void divideLogicalOf128By64(@ForAll long hi, @ForAll long lo, @ForAll long d) {
        Machine m = new Machine(new Machine.Options(64 * 1024, 1, true, false), s -> { });
        m.storage().write(0x2000, HexFormat.of().parseHex("b9870024"), 0, 4, Storage.HOST); // dlgr 2,4
        m.storage().writeLong(Lowcore.PGM_NEW_PSW, 0x0002000180000000L, Storage.HOST);
        m.storage().writeLong(Lowcore.PGM_NEW_PSW + 8, 0xfff, Storage.HOST);
        m.ipl(new Psw(Psw.MASK_64BIT_DISABLED, 0x2000));
        Cpu c = m.cpu(0);
        c.gr[2] = hi;
        c.gr[3] = lo;
        c.gr[4] = d;
        m.run(1);
        BigInteger n = unsigned(hi).shiftLeft(64).add(unsigned(lo));
        if (d == 0 || unsigned(hi).compareTo(unsigned(d)) >= 0) {
            assertThat(m.storage().readShort(Lowcore.PGM_CODE, Storage.HOST)).isEqualTo(0x09);
            assertThat(c.gr[2]).isEqualTo(hi);
            assertThat(c.gr[3]).isEqualTo(lo);
        } else {
            BigInteger[] qr = n.divideAndRemainder(unsigned(d));
            assertThat(c.gr[3]).isEqualTo(qr[0].longValue());
            assertThat(c.gr[2]).isEqualTo(qr[1].longValue());
        }
    }

    @Property(tries = 300)
    void rotateThenInsertSelectedBitsMatchesABitByBitModel(@ForAll long r1, @ForAll long r2,
            @ForAll @IntRange(max = 63) int start, @ForAll @IntRange(max = 63) int end,
            @ForAll @IntRange(max = 63) int rot, @ForAll boolean zero) {
        int i4 = end | (zero ? 0x80 : 0);
        String hex = String.format("ec23%02x%02x%02x55", start, i4, rot); // risbg 2,3,start,end,rot
        Cpu c = exec(hex, r1, r2);
        long rotated = Long.rotateLeft(r2, rot);
        long expected = 0;
        for (int bit = 0; bit < 64; bit++) {
            boolean selected = start <= end ? bit >= start && bit <= end : bit >= start || bit <= end;
            long mask = 1L << (63 - bit);
            long source = selected ? rotated : zero ? 0 : r1;
            expected |= source & mask;
        }
        assertThat(c.gr[2]).isEqualTo(expected);
    }
}
