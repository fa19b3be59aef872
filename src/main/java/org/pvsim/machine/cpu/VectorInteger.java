package org.pvsim.machine.cpu;

import static org.pvsim.machine.cpu.Format.*;
import static org.pvsim.machine.cpu.Vector.*;

/**
 * Vector integer instructions, element by element: logical (VN, VNC, VO, VNO, VX), add and subtract
 * (VA, VS, VACC, VSCBI and the quadword VAC, VACCC, VSBI, VSBCBI), multiply (VML, VMH, VMLH, VME, VMLE,
 * VMO, VMLO) and multiply-add (VMAL, VMAH, VMALH, VMAE, VMALE, VMAO, VMALO), compares (VCEQ, VCH, VCHL
 * with their CS flag, VEC, VECL), VMN/VMNL/VMX/VMXL, VAVG/VAVGL, VLC, VLP, element shifts and rotates
 * (VESL, VESRL, VESRA, VERLL, their V forms, VERIM), VCLZ, VCTZ, VPOPCT, the sums VSUM, VSUMG, VSUMQ,
 * VCKSM and the Galois-field multiply-sums VGFM, VGFMA.
 */
final class VectorInteger {
    private VectorInteger() {
    }

    @FunctionalInterface
    interface ElementOp {
        /** Element result from the (zero-extended) elements a and b and the element size code. */
        long apply(long a, long b, int es);
    }

    /** V1 = op(V2, V3) element by element; M4 (bits 32-35) is the element size, at most {@code maxEs}. */
    private static void binary(Decoder d, int key, String mnemonic, int maxEs, ElementOp op) {
        d.add(key, mnemonic, VRR, (c, i) -> {
            check(c);
            int es = es(i.m, maxEs);
            long[] a = get(c, i.r2);
            long[] b = get(c, i.r3);
            long[] x = new long[2];
            for (int k = 0; k < count(es); k++) {
                put(x, es, k, op.apply(elem(a, es, k), elem(b, es, k), es));
            }
            set(c, i.r1, x);
        });
    }

    /** The bitwise operations: no element size, both doublewords at once. */
    private static void logical(Decoder d, int key, String mnemonic, java.util.function.LongBinaryOperator op) {
        d.add(key, mnemonic, VRR, (c, i) -> {
            check(c);
            set(c, i.r1, op.applyAsLong(hi(c, i.r2), hi(c, i.r3)), op.applyAsLong(lo(c, i.r2), lo(c, i.r3)));
        });
    }

    @FunctionalInterface
    interface UnaryOp {
        long apply(long a, int es);
    }

    /** V1 = op(V2); M3 (bits 32-35) is the element size. */
    private static void unary(Decoder d, int key, String mnemonic, UnaryOp op) {
        d.add(key, mnemonic, VRR, (c, i) -> {
            check(c);
            int es = es(i.m, 3);
            long[] a = get(c, i.r2);
            long[] x = new long[2];
            for (int k = 0; k < count(es); k++) {
                put(x, es, k, op.apply(elem(a, es, k), es));
            }
            set(c, i.r1, x);
        });
    }

    static long sx(long v, int es) {
        int b = bits(es);
        return v << (64 - b) >> (64 - b);
    }

    /** V2 and V3 as 128-bit integers: a (+ or -) b, with the carry (or no-borrow) into bit 0 as a third word. */
    static long[] add128(long ah, long al, long bh, long bl, long carry) {
        long l = al + bl;
        long c1 = Long.compareUnsigned(l, al) < 0 ? 1 : 0;
        long l2 = l + carry;
        c1 += Long.compareUnsigned(l2, l) < 0 ? 1 : 0;
        long h = ah + bh;
        long c2 = Long.compareUnsigned(h, ah) < 0 ? 1 : 0;
        long h2 = h + c1;
        c2 += Long.compareUnsigned(h2, h) < 0 ? 1 : 0;
        return new long[] {h2, l2, c2};
    }

    /** VA, VS, VACC, VSCBI: elements of 1-8 bytes, or the quadword (es 4). */
    private static void addSub(Decoder d, int key, String mnemonic, boolean subtract, boolean carryOut) {
        d.add(key, mnemonic, VRR, (c, i) -> {
            check(c);
            int es = es(i.m, 4);
            long[] a = get(c, i.r2);
            long[] b = get(c, i.r3);
            if (es == 4) {
                long[] r = subtract ? add128(a[0], a[1], ~b[0], ~b[1], 1) : add128(a[0], a[1], b[0], b[1], 0);
                if (carryOut) {
                    set(c, i.r1, 0, r[2]);
                } else {
                    set(c, i.r1, r[0], r[1]);
                }
                return;
            }
            long[] x = new long[2];
            for (int k = 0; k < count(es); k++) {
                long u = elem(a, es, k);
                long v = elem(b, es, k);
                long r;
                if (!carryOut) {
                    r = subtract ? u - v : u + v;
                } else if (subtract) {
                    r = Long.compareUnsigned(u, v) >= 0 ? 1 : 0; // borrow indication: 1 when none
                } else {
                    r = Long.compareUnsigned(u + v & mask(es), u) < 0 ? 1 : 0;
                }
                put(x, es, k, r);
            }
            set(c, i.r1, x);
        });
    }

    /** VAC, VACCC, VSBI, VSBCBI: quadword with the carry in from bit 127 of V4; M5 must be 4. */
    private static void addWithCarry(Decoder d, int key, String mnemonic, boolean subtract, boolean carryOut) {
        d.add(key, mnemonic, VRR, (c, i) -> {
            check(c);
            if (m20(i) != 4) {
                throw specification();
            }
            long[] a = get(c, i.r2);
            long[] b = get(c, i.r3);
            long carry = lo(c, i.i4) & 1;
            long[] r = subtract ? add128(a[0], a[1], ~b[0], ~b[1], carry) : add128(a[0], a[1], b[0], b[1], carry);
            if (carryOut) {
                set(c, i.r1, 0, r[2]);
            } else {
                set(c, i.r1, r[0], r[1]);
            }
        });
    }

    /** Multiplies of the element sizes 0-2 that keep the element width: low, high signed, high unsigned. */
    private static void multiply(Decoder d, int key, String mnemonic, int kind) {
        binary(d, key, mnemonic, 2, (a, b, es) -> switch (kind) {
            case 0 -> a * b;
            case 1 -> (sx(a, es) * sx(b, es)) >> bits(es);
            default -> (a * b) >>> bits(es);
        });
    }

    /** VME, VMLE, VMO, VMLO (and with an addend from V4, VMAE...): even or odd elements, widened. */
    private static void multiplyWiden(Decoder d, int key, String mnemonic, boolean odd, boolean signed, boolean add) {
        d.add(key, mnemonic, VRR, (c, i) -> {
            check(c);
            int es = es(add ? m20(i) : i.m, 2);
            long[] a = get(c, i.r2);
            long[] b = get(c, i.r3);
            long[] addend = add ? get(c, i.i4) : null;
            long[] x = new long[2];
            for (int k = 0; k < count(es + 1); k++) {
                int j = 2 * k + (odd ? 1 : 0);
                long p = signed ? selem(a, es, j) * selem(b, es, j) : elem(a, es, j) * elem(b, es, j);
                if (add) {
                    p += signed ? selem(addend, es + 1, k) : elem(addend, es + 1, k);
                }
                put(x, es + 1, k, p);
            }
            set(c, i.r1, x);
        });
    }

    /** VMAL, VMAH, VMALH: V2 * V3 + V4 of the element size M5, the low half or the high half. */
    private static void multiplyAdd(Decoder d, int key, String mnemonic, int kind) {
        d.add(key, mnemonic, VRR, (c, i) -> {
            check(c);
            int es = es(m20(i), 2);
            long[] a = get(c, i.r2);
            long[] b = get(c, i.r3);
            long[] e = get(c, i.i4);
            long[] x = new long[2];
            for (int k = 0; k < count(es); k++) {
                long r = switch (kind) {
                    case 0 -> elem(a, es, k) * elem(b, es, k) + elem(e, es, k);
                    case 1 -> (selem(a, es, k) * selem(b, es, k) + selem(e, es, k)) >> bits(es);
                    default -> (elem(a, es, k) * elem(b, es, k) + elem(e, es, k)) >>> bits(es);
                };
                put(x, es, k, r);
            }
            set(c, i.r1, x);
        });
    }

    /** VCEQ, VCH, VCHL: all ones where the compare holds; with the CS flag (M5 bit 3) the CC summarizes. */
    private static void compare(Decoder d, int key, String mnemonic, int kind) {
        d.add(key, mnemonic, VRR, (c, i) -> {
            check(c);
            int es = es(i.m, 3);
            long[] a = get(c, i.r2);
            long[] b = get(c, i.r3);
            long[] x = new long[2];
            int trues = 0;
            for (int k = 0; k < count(es); k++) {
                boolean t = switch (kind) {
                    case 0 -> elem(a, es, k) == elem(b, es, k);
                    case 1 -> selem(a, es, k) > selem(b, es, k);
                    default -> Long.compareUnsigned(elem(a, es, k), elem(b, es, k)) > 0;
                };
                if (t) {
                    trues++;
                    put(x, es, k, -1L);
                }
            }
            set(c, i.r1, x);
            if ((m24(i) & 1) != 0) {
                c.cc = ccAllSomeNone(trues, count(es));
            }
        });
    }

    /** VEC, VECL: the rightmost elements of the leftmost doublewords of V1 and V2, into the CC. */
    private static void elementCompare(Decoder d, int key, String mnemonic, boolean signed) {
        d.add(key, mnemonic, VRR, (c, i) -> {
            check(c);
            int es = es(i.m, 3);
            int k = count(es) / 2 - 1;
            long[] a = get(c, i.r1);
            long[] b = get(c, i.r2);
            int r = signed ? Long.compare(selem(a, es, k), selem(b, es, k))
                    : Long.compareUnsigned(elem(a, es, k), elem(b, es, k));
            c.cc = r == 0 ? 0 : r < 0 ? 1 : 2;
        });
    }

    static long rotl(long v, int n, int es) {
        int b = bits(es);
        n &= b - 1;
        if (n == 0) {
            return v;
        }
        return (v << n | v >>> (b - n)) & mask(es);
    }

    static long shift(long v, int n, int es, int kind) {
        n &= bits(es) - 1;
        return switch (kind) {
            case 0 -> v << n;
            case 1 -> v >>> n;
            case 2 -> sx(v, es) >> n;
            default -> rotl(v, n, es);
        };
    }

    /** VESL, VESRL, VESRA, VERLL: every element by the count B2 + D2 (modulo the element width). */
    private static void shiftByAddress(Decoder d, int key, String mnemonic, int kind) {
        d.add(key, mnemonic, VRS, (c, i) -> {
            check(c);
            int es = es(i.m, 3);
            int n = (int) c.ea(i.b2, i.d2);
            long[] a = get(c, i.r2);
            long[] x = new long[2];
            for (int k = 0; k < count(es); k++) {
                put(x, es, k, shift(elem(a, es, k), n, es, kind));
            }
            set(c, i.r1, x);
        });
    }

    static long clmul(long a, long b, int width, long[] high) {
        long lo = 0;
        long hi = 0;
        for (int bit = 0; bit < width; bit++) {
            if ((b >>> bit & 1) != 0) {
                lo ^= a << bit;
                if (bit != 0) {
                    hi ^= a >>> (64 - bit);
                }
            }
        }
        high[0] = hi;
        return lo;
    }

    /** VGFM(A): XOR of the carry-less products of each even/odd element pair, of double width. */
    private static void galois(Cpu c, Insn i, int es, long[] addend) {
        long[] a = get(c, i.r2);
        long[] b = get(c, i.r3);
        long[] x = new long[2];
        long[] h = new long[1];
        if (es == 3) {
            long l = clmul(a[0], b[0], 64, h);
            long hh = h[0];
            l ^= clmul(a[1], b[1], 64, h);
            hh ^= h[0];
            x[0] = hh;
            x[1] = l;
        } else {
            for (int k = 0; k < count(es + 1); k++) {
                long p = clmul(elem(a, es, 2 * k), elem(b, es, 2 * k), bits(es), h)
                        ^ clmul(elem(a, es, 2 * k + 1), elem(b, es, 2 * k + 1), bits(es), h);
                put(x, es + 1, k, p);
            }
        }
        if (addend != null) {
            x[0] ^= addend[0];
            x[1] ^= addend[1];
        }
        set(c, i.r1, x);
    }

    static void register(Decoder d) {
        logical(d, 0xe768, "vn", (a, b) -> a & b);
        logical(d, 0xe769, "vnc", (a, b) -> a & ~b);
        logical(d, 0xe76a, "vo", (a, b) -> a | b);
        logical(d, 0xe76b, "vno", (a, b) -> ~(a | b));
        logical(d, 0xe76d, "vx", (a, b) -> a ^ b);
        addSub(d, 0xe7f3, "va", false, false);
        addSub(d, 0xe7f7, "vs", true, false);
        addSub(d, 0xe7f1, "vacc", false, true);
        addSub(d, 0xe7f5, "vscbi", true, true);
        addWithCarry(d, 0xe7bb, "vac", false, false);
        addWithCarry(d, 0xe7b9, "vaccc", false, true);
        addWithCarry(d, 0xe7bf, "vsbi", true, false);
        addWithCarry(d, 0xe7bd, "vsbcbi", true, true);
        multiply(d, 0xe7a2, "vml", 0);
        multiply(d, 0xe7a3, "vmh", 1);
        multiply(d, 0xe7a1, "vmlh", 2);
        multiplyWiden(d, 0xe7a6, "vme", false, true, false);
        multiplyWiden(d, 0xe7a4, "vmle", false, false, false);
        multiplyWiden(d, 0xe7a7, "vmo", true, true, false);
        multiplyWiden(d, 0xe7a5, "vmlo", true, false, false);
        multiplyWiden(d, 0xe7ae, "vmae", false, true, true);
        multiplyWiden(d, 0xe7ac, "vmale", false, false, true);
        multiplyWiden(d, 0xe7af, "vmao", true, true, true);
        multiplyWiden(d, 0xe7ad, "vmalo", true, false, true);
        multiplyAdd(d, 0xe7aa, "vmal", 0);
        multiplyAdd(d, 0xe7ab, "vmah", 1);
        multiplyAdd(d, 0xe7a9, "vmalh", 2);
        compare(d, 0xe7f8, "vceq", 0);
        compare(d, 0xe7fb, "vch", 1);
        compare(d, 0xe7f9, "vchl", 2);
        elementCompare(d, 0xe7db, "vec", true);
        elementCompare(d, 0xe7d9, "vecl", false);
        binary(d, 0xe7fe, "vmn", 3, (a, b, es) -> sx(a, es) <= sx(b, es) ? a : b);
        binary(d, 0xe7fc, "vmnl", 3, (a, b, es) -> Long.compareUnsigned(a, b) <= 0 ? a : b);
        binary(d, 0xe7ff, "vmx", 3, (a, b, es) -> sx(a, es) >= sx(b, es) ? a : b);
        binary(d, 0xe7fd, "vmxl", 3, (a, b, es) -> Long.compareUnsigned(a, b) >= 0 ? a : b);
        // averages rounded up, without the intermediate overflowing: (a >> 1) + (b >> 1) + (a | b) & 1
        binary(d, 0xe7f2, "vavg", 3, (a, b, es) -> (sx(a, es) >> 1) + (sx(b, es) >> 1) + ((a | b) & 1));
        binary(d, 0xe7f0, "vavgl", 3, (a, b, es) -> (a >>> 1) + (b >>> 1) + ((a | b) & 1));
        unary(d, 0xe7de, "vlc", (a, es) -> -a);
        unary(d, 0xe7df, "vlp", (a, es) -> Math.abs(sx(a, es)));
        unary(d, 0xe753, "vclz", (a, es) -> Long.numberOfLeadingZeros(a) - (64 - bits(es)));
        unary(d, 0xe752, "vctz", (a, es) -> a == 0 ? bits(es) : Long.numberOfTrailingZeros(a));
        // VPOPCT: z13 defines bytes only (M3 0); the larger sizes are those of vector enhancements 1
        unary(d, 0xe750, "vpopct", (a, es) -> Long.bitCount(a));
        shiftByAddress(d, 0xe730, "vesl", 0);
        shiftByAddress(d, 0xe738, "vesrl", 1);
        shiftByAddress(d, 0xe73a, "vesra", 2);
        shiftByAddress(d, 0xe733, "verll", 3);
        binary(d, 0xe770, "veslv", 3, (a, b, es) -> shift(a, (int) b, es, 0));
        binary(d, 0xe778, "vesrlv", 3, (a, b, es) -> shift(a, (int) b, es, 1));
        binary(d, 0xe77a, "vesrav", 3, (a, b, es) -> shift(a, (int) b, es, 2));
        binary(d, 0xe773, "verllv", 3, (a, b, es) -> shift(a, (int) b, es, 3));
        // VERIM: V2's elements rotated by I4, inserted into V1 under the mask V3
        d.add(0xe772, "verim", VRI, (c, i) -> {
            check(c);
            int es = es(i.m, 3);
            int n = (int) i.i2 & 0xff;
            long[] t = get(c, i.r1);
            long[] a = get(c, i.r2);
            long[] m = get(c, i.r3);
            long[] x = new long[2];
            for (int k = 0; k < count(es); k++) {
                long r = rotl(elem(a, es, k), n, es);
                long mk = elem(m, es, k);
                put(x, es, k, (elem(t, es, k) & ~mk) | (r & mk));
            }
            set(c, i.r1, x);
        });
        // VSUM: the elements of each word of V2 plus the rightmost element of the same word of V3
        d.add(0xe764, "vsum", VRR, (c, i) -> sum(c, i, 2, 0, 1));
        d.add(0xe765, "vsumg", VRR, (c, i) -> sum(c, i, 3, 1, 2));
        d.add(0xe767, "vsumq", VRR, (c, i) -> {
            check(c);
            int es = i.m;
            if (es != 2 && es != 3) {
                throw specification();
            }
            long[] a = get(c, i.r2);
            long[] b = get(c, i.r3);
            long[] r = {0, elem(b, es, count(es) - 1), 0};
            for (int k = 0; k < count(es); k++) {
                r = add128(r[0], r[1], 0, elem(a, es, k), 0);
            }
            set(c, i.r1, r[0], r[1]);
        });
        // VCKSM: V3's word 1 plus V2's four words, each carry out of bit 0 added back in at bit 31
        d.add(0xe766, "vcksm", VRR, (c, i) -> {
            check(c);
            long[] a = get(c, i.r2);
            long s = elem(get(c, i.r3), 2, 1);
            for (int k = 0; k < 4; k++) {
                s += elem(a, 2, k);
                s = (s & 0xffffffffL) + (s >>> 32);
            }
            set(c, i.r1, s & 0xffffffffL, 0);
        });
        d.add(0xe7b4, "vgfm", VRR, (c, i) -> {
            check(c);
            galois(c, i, es(i.m, 3), null);
        });
        d.add(0xe7bc, "vgfma", VRR, (c, i) -> {
            check(c);
            galois(c, i, es(m20(i), 3), get(c, i.i4));
        });
    }

    /** VSUM, VSUMG: into elements of size {@code toEs}, from V2's elements of size M4 in {minEs, maxEs}. */
    private static void sum(Cpu c, Insn i, int toEs, int minEs, int maxEs) {
        check(c);
        int es = i.m;
        if (es < minEs || es > maxEs) {
            throw specification();
        }
        long[] a = get(c, i.r2);
        long[] b = get(c, i.r3);
        int per = 1 << (toEs - es);
        long[] x = new long[2];
        for (int k = 0; k < count(toEs); k++) {
            long s = elem(b, es, k * per + per - 1);
            for (int j = 0; j < per; j++) {
                s += elem(a, es, k * per + j);
            }
            put(x, toEs, k, s);
        }
        set(c, i.r1, x);
    }
}
