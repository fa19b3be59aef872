package org.pvsim.machine.cpu;

import static org.pvsim.machine.cpu.FixedPoint.ccCompare;
import static org.pvsim.machine.cpu.FixedPoint.ccCompareUnsigned;
import static org.pvsim.machine.cpu.FixedPoint.ccSigned;
import static org.pvsim.machine.cpu.FixedPoint.set32;

import org.pvsim.machine.ProgramInterruption;

/**
 * The kernels of the instructions executed inline ({@link Inline}): the only definition of their
 * semantics. The interpreter's fast path, their handlers and translated blocks all call these methods;
 * blocks pass their fields as constants and the 64-bit addressing mode's mask -1, which the JIT folds.
 * Branch kernels return whether the branch is taken; the caller moves the PSW address.
 */
final class Ops {
    private Ops() {
    }

    /** X2 + B2 + D2 in the addressing mode of {@code amask}. */
    static long ea(Cpu c, int x, int b, long d, long amask) {
        long a = d;
        if (x != 0) {
            a += c.gr[x];
        }
        if (b != 0) {
            a += c.gr[b];
        }
        return a & amask;
    }

    /** Places an address in R1 as LA/LARL do: the whole register in 64-bit mode, else bits 32-63 only. */
    static void setAddress(Cpu c, int r1, long address, long amask) {
        if (amask == -1L) {
            c.gr[r1] = address;
        } else {
            set32(c, r1, address);
        }
    }

    // ---- loads, stores, addresses -----------------------------------------------------------------

    static void lg(Cpu c, int r1, int x, int b, long d, long amask) {
        c.gr[r1] = c.load64(ea(c, x, b, d, amask));
    }

    static void stg(Cpu c, int r1, int x, int b, long d, long amask) {
        c.store64(ea(c, x, b, d, amask), c.gr[r1]);
    }

    static void l(Cpu c, int r1, int x, int b, long d, long amask) {
        set32(c, r1, c.load32(ea(c, x, b, d, amask)));
    }

    static void st(Cpu c, int r1, int x, int b, long d, long amask) {
        c.store32(ea(c, x, b, d, amask), (int) c.gr[r1]);
    }

    static void lgf(Cpu c, int r1, int x, int b, long d, long amask) {
        c.gr[r1] = c.load32(ea(c, x, b, d, amask));
    }

    static void llgc(Cpu c, int r1, int x, int b, long d, long amask) {
        c.gr[r1] = c.load8(ea(c, x, b, d, amask));
    }

    static void llgh(Cpu c, int r1, int x, int b, long d, long amask) {
        c.gr[r1] = c.load16(ea(c, x, b, d, amask));
    }

    static void llc(Cpu c, int r1, int x, int b, long d, long amask) {
        set32(c, r1, c.load8(ea(c, x, b, d, amask)));
    }

    static void stc(Cpu c, int r1, int x, int b, long d, long amask) {
        c.store8(ea(c, x, b, d, amask), (int) c.gr[r1]);
    }

    static void ic(Cpu c, int r1, int x, int b, long d, long amask) {
        c.gr[r1] = (c.gr[r1] & ~0xffL) | c.load8(ea(c, x, b, d, amask));
    }

    static void la(Cpu c, int r1, int x, int b, long d, long amask) {
        setAddress(c, r1, ea(c, x, b, d, amask), amask);
    }

    // ---- registers and immediates -------------------------------------------------------------------

    static void lgr(Cpu c, int r1, int r2) {
        c.gr[r1] = c.gr[r2];
    }

    static void lr(Cpu c, int r1, int r2) {
        set32(c, r1, c.gr[r2]);
    }

    static void lgfr(Cpu c, int r1, int r2) {
        c.gr[r1] = (int) c.gr[r2];
    }

    static void llgfr(Cpu c, int r1, int r2) {
        c.gr[r1] = c.gr[r2] & 0xffffffffL;
    }

    static void llcr(Cpu c, int r1, int r2) {
        set32(c, r1, c.gr[r2] & 0xff);
    }

    static void lghi(Cpu c, int r1, long v) {
        c.gr[r1] = v;
    }

    static void lhi(Cpu c, int r1, long v) {
        set32(c, r1, v);
    }

    // The adds store the sum and then raise the completing overflow interruption themselves, instead of
    // FixedPoint's pending flag that every add would test afterwards (same order: result, cc 3, interruption).

    static void aghi(Cpu c, int r1, int r3, long i2) {
        long a = c.gr[r3];
        long r = a + i2;
        c.gr[r1] = r;
        if (((a ^ r) & (i2 ^ r)) < 0) {
            overflowed(c);
        } else {
            c.cc = ccSigned(r);
        }
    }

    static void ahi(Cpu c, int r1, int r3, long i2) {
        int a = (int) c.gr[r3];
        int b = (int) i2;
        int r = a + b;
        set32(c, r1, r);
        if (((a ^ r) & (b ^ r)) < 0) {
            overflowed(c);
        } else {
            c.cc = ccSigned(r);
        }
    }

    static void agr(Cpu c, int r1, int r2) {
        long a = c.gr[r1];
        long b = c.gr[r2];
        long r = a + b;
        c.gr[r1] = r;
        if (((a ^ r) & (b ^ r)) < 0) {
            overflowed(c);
        } else {
            c.cc = ccSigned(r);
        }
    }

    /** A signed add overflowed (its result stored): cc 3, and with the program mask's bit the interruption. */
    private static void overflowed(Cpu c) {
        c.cc = 3;
        if ((c.pswMask & Psw.FIXED_POINT_OVERFLOW_MASK) != 0) {
            throw new ProgramInterruption(ProgramInterruption.FIXED_POINT_OVERFLOW);
        }
    }

    static void ltgr(Cpu c, int r1, int r2) {
        c.cc = ccSigned(c.gr[r1] = c.gr[r2]);
    }

    static void ltr(Cpu c, int r1, int r2) {
        int v = (int) c.gr[r2];
        set32(c, r1, v);
        c.cc = ccSigned(v);
    }

    /** The shift amount is the low 6 bits of B2 + D2, which no addressing mode changes. */
    static void sllg(Cpu c, int r1, int r3, int b, long d) {
        c.gr[r1] = c.gr[r3] << (int) ea(c, 0, b, d, -1L);
    }

    static void srlg(Cpu c, int r1, int r3, int b, long d) {
        c.gr[r1] = c.gr[r3] >>> (int) ea(c, 0, b, d, -1L);
    }

    static void xr(Cpu c, int r1, int r2) {
        int v = (int) c.gr[r1] ^ (int) c.gr[r2];
        set32(c, r1, v);
        c.cc = Logical.ccZero(v);
    }

    static void nr(Cpu c, int r1, int r2) {
        int v = (int) c.gr[r1] & (int) c.gr[r2];
        set32(c, r1, v);
        c.cc = Logical.ccZero(v);
    }

    static void chi(Cpu c, int r1, long i2) {
        c.cc = ccCompare((int) c.gr[r1], i2);
    }

    static void cghi(Cpu c, int r1, long i2) {
        c.cc = ccCompare(c.gr[r1], i2);
    }

    static void cgr(Cpu c, int r1, int r2) {
        c.cc = ccCompare(c.gr[r1], c.gr[r2]);
    }

    static void clgr(Cpu c, int r1, int r2) {
        c.cc = ccCompareUnsigned(c.gr[r1], c.gr[r2]);
    }

    // ---- rotate then insert selected bits (RISBG) or operate on them (RNSBG, ROSBG, RXSBG) --------------

    /** R2 rotated left by I5, inserted into bits I3..I4 of R1; I4 bit 0x80 zeroes the other bits. */
    static long rotateInsert(Cpu c, int r1, int r2, int i3, int i4, int i5) {
        long mask = Logical.bitRange(i3 & 63, i4 & 63);
        long rot = Long.rotateLeft(c.gr[r2], i5 & 63);
        long keep = (i4 & 0x80) != 0 ? 0 : c.gr[r1] & ~mask;
        return keep | (rot & mask);
    }

    static void risbg(Cpu c, int r1, int r2, int i3, int i4, int i5) {
        c.cc = ccSigned(c.gr[r1] = rotateInsert(c, r1, r2, i3, i4, i5));
    }

    static void risbgn(Cpu c, int r1, int r2, int i3, int i4, int i5) {
        c.gr[r1] = rotateInsert(c, r1, r2, i3, i4, i5);
    }

    /** The selected bits of the result of the operation; I3 bit 0x80 makes it test-only (cc alone). */
    private static void rotateOperate(Cpu c, int r1, long result, int i3, int i4) {
        long mask = Logical.bitRange(i3 & 63, i4 & 63);
        long sel = result & mask;
        c.cc = Logical.ccZero(sel);
        if ((i3 & 0x80) == 0) {
            c.gr[r1] = (c.gr[r1] & ~mask) | sel;
        }
    }

    static void rnsbg(Cpu c, int r1, int r2, int i3, int i4, int i5) {
        rotateOperate(c, r1, c.gr[r1] & Long.rotateLeft(c.gr[r2], i5 & 63), i3, i4);
    }

    static void rosbg(Cpu c, int r1, int r2, int i3, int i4, int i5) {
        rotateOperate(c, r1, c.gr[r1] | Long.rotateLeft(c.gr[r2], i5 & 63), i3, i4);
    }

    static void rxsbg(Cpu c, int r1, int r2, int i3, int i4, int i5) {
        rotateOperate(c, r1, c.gr[r1] ^ Long.rotateLeft(c.gr[r2], i5 & 63), i3, i4);
    }

    // ---- branches: true when taken --------------------------------------------------------------------

    static boolean brc(Cpu c, int mask) {
        return (mask & (8 >>> c.cc)) != 0;
    }

    static boolean brctg(Cpu c, int r1) {
        return --c.gr[r1] != 0;
    }

    static boolean brct(Cpu c, int r1) {
        int v = (int) c.gr[r1] - 1;
        set32(c, r1, v);
        return v != 0;
    }

    /** Link information in R1: the whole register in 64-bit mode, else the low word (with the 31-bit mode bit). */
    static void link(Cpu c, int r1, long next, long amask) {
        if (amask == -1L) {
            c.gr[r1] = next;
        } else {
            set32(c, r1, amask == 0x7fffffffL ? 0x80000000L | next : next);
        }
    }

    static boolean brasl(Cpu c, int r1, long next, long amask) {
        link(c, r1, next, amask);
        return true;
    }

    static void bcr(Cpu c, int mask, int r2) {
        if (r2 != 0 && (mask & (8 >>> c.cc)) != 0) {
            c.branchTo(c.gr[r2]);
        }
    }

    static boolean cgij(Cpu c, int r1, int mask, int i) {
        return (mask & (8 >>> ccCompare(c.gr[r1], (byte) i))) != 0;
    }

    static boolean cij(Cpu c, int r1, int mask, int i) {
        return (mask & (8 >>> ccCompare((int) c.gr[r1], (byte) i))) != 0;
    }

    static boolean clgij(Cpu c, int r1, int mask, int i) {
        return (mask & (8 >>> ccCompareUnsigned(c.gr[r1], i))) != 0;
    }

    static boolean clij(Cpu c, int r1, int mask, int i) {
        return (mask & (8 >>> ccCompareUnsigned(c.gr[r1] & 0xffffffffL, i))) != 0;
    }

    static boolean cgrj(Cpu c, int r1, int r2, int mask) {
        return (mask & (8 >>> ccCompare(c.gr[r1], c.gr[r2]))) != 0;
    }

    static boolean crj(Cpu c, int r1, int r2, int mask) {
        return (mask & (8 >>> ccCompare((int) c.gr[r1], (int) c.gr[r2]))) != 0;
    }

    static boolean clgrj(Cpu c, int r1, int r2, int mask) {
        return (mask & (8 >>> ccCompareUnsigned(c.gr[r1], c.gr[r2]))) != 0;
    }
}
