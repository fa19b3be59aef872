package org.pvsim.machine.cpu;

/**
 * The instructions translated blocks execute inline, as static methods whose operands are constants
 * of the block (the JIT folds them): the same kernels and the same semantics as {@link FastPath}'s
 * cases of the interpreter loop, specialised to the 64-bit addressing mode (the only mode blocks are
 * made for, so no address wraps below 2^64). Branches return whether they are taken.
 */
final class Ops {
    private Ops() {
    }

    static long ea(Cpu c, int x, int b, long d) {
        long a = d;
        if (x != 0) {
            a += c.gr[x];
        }
        if (b != 0) {
            a += c.gr[b];
        }
        return a;
    }

    static void lg(Cpu c, int r1, int x, int b, long d) {
        c.gr[r1] = c.load64(ea(c, x, b, d));
    }

    static void stg(Cpu c, int r1, int x, int b, long d) {
        c.store64(ea(c, x, b, d), c.gr[r1]);
    }

    static void l(Cpu c, int r1, int x, int b, long d) {
        FixedPoint.set32(c, r1, c.load32(ea(c, x, b, d)));
    }

    static void st(Cpu c, int r1, int x, int b, long d) {
        c.store32(ea(c, x, b, d), (int) c.gr[r1]);
    }

    static void lgf(Cpu c, int r1, int x, int b, long d) {
        c.gr[r1] = c.load32(ea(c, x, b, d));
    }

    static void llgc(Cpu c, int r1, int x, int b, long d) {
        c.gr[r1] = c.load8(ea(c, x, b, d));
    }

    static void llgh(Cpu c, int r1, int x, int b, long d) {
        c.gr[r1] = c.load16(ea(c, x, b, d));
    }

    static void llc(Cpu c, int r1, int x, int b, long d) {
        FixedPoint.set32(c, r1, c.load8(ea(c, x, b, d)));
    }

    static void stc(Cpu c, int r1, int x, int b, long d) {
        c.store8(ea(c, x, b, d), (int) c.gr[r1]);
    }

    static void ic(Cpu c, int r1, int x, int b, long d) {
        c.gr[r1] = (c.gr[r1] & ~0xffL) | c.load8(ea(c, x, b, d));
    }

    static void la(Cpu c, int r1, int x, int b, long d) {
        c.gr[r1] = ea(c, x, b, d);
    }

    static void lgr(Cpu c, int r1, int r2) {
        c.gr[r1] = c.gr[r2];
    }

    static void lr(Cpu c, int r1, int r2) {
        FixedPoint.set32(c, r1, c.gr[r2]);
    }

    static void lgfr(Cpu c, int r1, int r2) {
        c.gr[r1] = (int) c.gr[r2];
    }

    static void llgfr(Cpu c, int r1, int r2) {
        c.gr[r1] = c.gr[r2] & 0xffffffffL;
    }

    static void llcr(Cpu c, int r1, int r2) {
        FixedPoint.set32(c, r1, c.gr[r2] & 0xff);
    }

    static void lgconst(Cpu c, int r1, long v) {
        c.gr[r1] = v;
    }

    static void lhi(Cpu c, int r1, long v) {
        FixedPoint.set32(c, r1, v);
    }

    static void aghi(Cpu c, int r1, int r3, long i2) {
        c.gr[r1] = FixedPoint.add64(c, c.gr[r3], i2);
        FixedPoint.finish(c);
    }

    static void ahi(Cpu c, int r1, int r3, long i2) {
        FixedPoint.set32(c, r1, FixedPoint.add32(c, (int) c.gr[r3], (int) i2));
        FixedPoint.finish(c);
    }

    static void agr(Cpu c, int r1, int r2) {
        c.gr[r1] = FixedPoint.add64(c, c.gr[r1], c.gr[r2]);
        FixedPoint.finish(c);
    }

    static void ltgr(Cpu c, int r1, int r2) {
        c.cc = FixedPoint.ccSigned(c.gr[r1] = c.gr[r2]);
    }

    static void ltr(Cpu c, int r1, int r2) {
        int v = (int) c.gr[r2];
        FixedPoint.set32(c, r1, v);
        c.cc = FixedPoint.ccSigned(v);
    }

    static void sllg(Cpu c, int r1, int r3, int b, long d) {
        c.gr[r1] = c.gr[r3] << (int) ea(c, 0, b, d);
    }

    static void srlg(Cpu c, int r1, int r3, int b, long d) {
        c.gr[r1] = c.gr[r3] >>> (int) ea(c, 0, b, d);
    }

    static void xr(Cpu c, int r1, int r2) {
        int v = (int) c.gr[r1] ^ (int) c.gr[r2];
        FixedPoint.set32(c, r1, v);
        c.cc = v == 0 ? 0 : 1;
    }

    static void nr(Cpu c, int r1, int r2) {
        int v = (int) c.gr[r1] & (int) c.gr[r2];
        FixedPoint.set32(c, r1, v);
        c.cc = v == 0 ? 0 : 1;
    }

    static void chi(Cpu c, int r1, long i2) {
        c.cc = FixedPoint.ccCompare((int) c.gr[r1], i2);
    }

    static void cghi(Cpu c, int r1, long i2) {
        c.cc = FixedPoint.ccCompare(c.gr[r1], i2);
    }

    static void cgr(Cpu c, int r1, int r2) {
        c.cc = FixedPoint.ccCompare(c.gr[r1], c.gr[r2]);
    }

    static void clgr(Cpu c, int r1, int r2) {
        c.cc = FixedPoint.ccCompareUnsigned(c.gr[r1], c.gr[r2]);
    }

    // ---- branches: true when taken (the block then sets the PSW address to the constant target) ----

    static boolean brc(Cpu c, int mask) {
        return (mask & (8 >>> c.cc)) != 0;
    }

    static boolean brctg(Cpu c, int r1) {
        return --c.gr[r1] != 0;
    }

    static boolean brct(Cpu c, int r1) {
        int v = (int) c.gr[r1] - 1;
        FixedPoint.set32(c, r1, v);
        return v != 0;
    }

    static boolean cgij(Cpu c, int r1, int mask, int i) {
        return (mask & (8 >>> FixedPoint.ccCompare(c.gr[r1], (byte) i))) != 0;
    }

    static boolean cij(Cpu c, int r1, int mask, int i) {
        return (mask & (8 >>> FixedPoint.ccCompare((int) c.gr[r1], (byte) i))) != 0;
    }

    static boolean clgij(Cpu c, int r1, int mask, int i) {
        return (mask & (8 >>> FixedPoint.ccCompareUnsigned(c.gr[r1], i))) != 0;
    }

    static boolean clij(Cpu c, int r1, int mask, int i) {
        return (mask & (8 >>> FixedPoint.ccCompareUnsigned(c.gr[r1] & 0xffffffffL, i))) != 0;
    }

    static boolean cgrj(Cpu c, int r1, int r2, int mask) {
        return (mask & (8 >>> FixedPoint.ccCompare(c.gr[r1], c.gr[r2]))) != 0;
    }

    static boolean crj(Cpu c, int r1, int r2, int mask) {
        return (mask & (8 >>> FixedPoint.ccCompare((int) c.gr[r1], (int) c.gr[r2]))) != 0;
    }

    static boolean clgrj(Cpu c, int r1, int r2, int mask) {
        return (mask & (8 >>> FixedPoint.ccCompareUnsigned(c.gr[r1], c.gr[r2]))) != 0;
    }
}
