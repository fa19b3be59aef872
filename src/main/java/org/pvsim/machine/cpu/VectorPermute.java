package org.pvsim.machine.cpu;

import static org.pvsim.machine.cpu.Format.*;
import static org.pvsim.machine.cpu.Vector.*;

/**
 * Vector instructions that move, generate or rearrange bits without arithmetic: VLR, VGBM, VGM, VREPI,
 * VREP, VPERM, VPDI, VMRH/VMRL, VSEL, VUPH/VUPLH/VUPL/VUPLL, VPK/VPKS/VPKLS, VSEG, VSLDB, the whole-register
 * shifts VSL/VSRL/VSRA and VSLB/VSRLB/VSRAB, and VTM.
 */
final class VectorPermute {
    private VectorPermute() {
    }

    /** The 32 bytes of V2 || V3. */
    static int[] concat(long[] a, long[] b) {
        int[] s = new int[32];
        for (int k = 0; k < 16; k++) {
            s[k] = byteAt(a, k);
            s[16 + k] = byteAt(b, k);
        }
        return s;
    }

    static long[] fromBytes(int[] s, int from) {
        long[] x = new long[2];
        for (int k = 0; k < 16; k++) {
            put(x, 0, k, s[from + k]);
        }
        return x;
    }

    /** VUPH, VUPLH, VUPL, VUPLL: the left or right half's elements, widened, signed or not. */
    private static void unpack(Decoder d, int key, String mnemonic, boolean low, boolean signed) {
        d.add(key, mnemonic, VRR, (c, i) -> {
            check(c);
            int es = es(i.m, 2);
            long[] a = get(c, i.r2);
            long[] x = new long[2];
            int n = count(es + 1);
            for (int k = 0; k < n; k++) {
                int from = low ? n + k : k;
                put(x, es + 1, k, signed ? selem(a, es, from) : elem(a, es, from));
            }
            set(c, i.r1, x);
        });
    }

    /** VPKS/VPKLS: narrowing with saturation; with the CS flag (M5) the CC tells whether any saturated. */
    private static void packSaturate(Decoder d, int key, String mnemonic, boolean signed) {
        d.add(key, mnemonic, VRR, (c, i) -> {
            check(c);
            int es = i.m;
            if (es < 1 || es > 3) {
                throw specification();
            }
            long[] a = get(c, i.r2);
            long[] b = get(c, i.r3);
            long[] x = new long[2];
            int n = count(es);
            int saturated = 0;
            int nb = bits(es - 1);
            long max = signed ? (1L << (nb - 1)) - 1 : (nb == 64 ? -1L : (1L << nb) - 1);
            long min = signed ? -(1L << (nb - 1)) : 0;
            for (int k = 0; k < 2 * n; k++) {
                long[] src = k < n ? a : b;
                int j = k % n;
                long v;
                if (signed) {
                    v = selem(src, es, j);
                    if (v > max) {
                        v = max;
                        saturated++;
                    } else if (v < min) {
                        v = min;
                        saturated++;
                    }
                } else {
                    v = elem(src, es, j);
                    if (Long.compareUnsigned(v, max) > 0) {
                        v = max;
                        saturated++;
                    }
                }
                put(x, es - 1, k, v);
            }
            set(c, i.r1, x);
            if ((m24(i) & 1) != 0) {
                c.cc = saturated == 0 ? 0 : saturated == 2 * n ? 3 : 1;
            }
        });
    }

    static void register(Decoder d) {
        d.add(0xe756, "vlr", VRR, (c, i) -> {
            check(c);
            set(c, i.r1, hi(c, i.r2), lo(c, i.r2));
        });
        d.add(0xe744, "vgbm", VRI, (c, i) -> {
            check(c);
            long[] x = new long[2];
            for (int k = 0; k < 16; k++) {
                if ((i.i2 & (0x8000 >>> k)) != 0) {
                    put(x, 0, k, 0xff);
                }
            }
            set(c, i.r1, x);
        });
        // VGM: bits I2 to I3 of every element (wrapping around when I2 > I3)
        d.add(0xe746, "vgm", VRI, (c, i) -> {
            check(c);
            int es = es(i.m, 3);
            int b = bits(es);
            int start = (int) (i.i2 >>> 8) & (b - 1);
            int end = (int) i.i2 & (b - 1);
            long e = 0;
            for (int bit = 0; bit < b; bit++) {
                boolean in = start <= end ? bit >= start && bit <= end : bit >= start || bit <= end;
                if (in) {
                    e |= 1L << (b - 1 - bit);
                }
            }
            long[] x = new long[2];
            for (int k = 0; k < count(es); k++) {
                put(x, es, k, e);
            }
            set(c, i.r1, x);
        });
        d.add(0xe745, "vrepi", VRI, (c, i) -> {
            check(c);
            int es = es(i.m, 3);
            long[] x = new long[2];
            for (int k = 0; k < count(es); k++) {
                put(x, es, k, (short) i.i2);
            }
            set(c, i.r1, x);
        });
        d.add(0xe74d, "vrep", VRI, (c, i) -> {
            check(c);
            int es = es(i.m, 3);
            if (i.i2 >= count(es)) {
                throw specification();
            }
            long v = elem(get(c, i.r2), es, (int) i.i2);
            long[] x = new long[2];
            for (int k = 0; k < count(es); k++) {
                put(x, es, k, v);
            }
            set(c, i.r1, x);
        });
        d.add(0xe78c, "vperm", VRR, (c, i) -> {
            check(c);
            int[] s = concat(get(c, i.r2), get(c, i.r3));
            long[] sel = get(c, i.i4);
            long[] x = new long[2];
            for (int k = 0; k < 16; k++) {
                put(x, 0, k, s[byteAt(sel, k) & 31]);
            }
            set(c, i.r1, x);
        });
        // VPDI: M4 bit 1 picks V2's doubleword, bit 3 V3's
        d.add(0xe784, "vpdi", VRR, (c, i) -> {
            check(c);
            long h = (i.m & 4) != 0 ? lo(c, i.r2) : hi(c, i.r2);
            long l = (i.m & 1) != 0 ? lo(c, i.r3) : hi(c, i.r3);
            set(c, i.r1, h, l);
        });
        d.add(0xe761, "vmrh", VRR, (c, i) -> merge(c, i, false));
        d.add(0xe760, "vmrl", VRR, (c, i) -> merge(c, i, true));
        d.add(0xe78d, "vsel", VRR, (c, i) -> {
            check(c);
            long[] a = get(c, i.r2);
            long[] b = get(c, i.r3);
            long[] m = get(c, i.i4);
            set(c, i.r1, (a[0] & m[0]) | (b[0] & ~m[0]), (a[1] & m[1]) | (b[1] & ~m[1]));
        });
        unpack(d, 0xe7d7, "vuph", false, true);
        unpack(d, 0xe7d5, "vuplh", false, false);
        unpack(d, 0xe7d6, "vupl", true, true);
        unpack(d, 0xe7d4, "vupll", true, false);
        d.add(0xe794, "vpk", VRR, (c, i) -> {
            check(c);
            int es = i.m;
            if (es < 1 || es > 3) {
                throw specification();
            }
            long[] a = get(c, i.r2);
            long[] b = get(c, i.r3);
            long[] x = new long[2];
            int n = count(es);
            for (int k = 0; k < 2 * n; k++) {
                put(x, es - 1, k, elem(k < n ? a : b, es, k % n));
            }
            set(c, i.r1, x);
        });
        packSaturate(d, 0xe797, "vpks", true);
        packSaturate(d, 0xe795, "vpkls", false);
        // VSEG: the rightmost element of each doubleword, sign-extended to it
        d.add(0xe75f, "vseg", VRR, (c, i) -> {
            check(c);
            int es = es(i.m, 2);
            long[] a = get(c, i.r2);
            int per = count(es) / 2;
            set(c, i.r1, selem(a, es, per - 1), selem(a, es, 2 * per - 1));
        });
        d.add(0xe777, "vsldb", VRI, (c, i) -> {
            check(c);
            int[] s = concat(get(c, i.r2), get(c, i.r3));
            set(c, i.r1, fromBytes(s, (int) i.i2 & 15));
        });
        // Bit shifts of the whole register: each result byte takes the count of the same byte of V3
        d.add(0xe774, "vsl", VRR, (c, i) -> bitShift(c, i, 0));
        d.add(0xe77c, "vsrl", VRR, (c, i) -> bitShift(c, i, 1));
        d.add(0xe77e, "vsra", VRR, (c, i) -> bitShift(c, i, 2));
        // Byte shifts: the count in bits 1-4 of byte 7 of V3
        d.add(0xe775, "vslb", VRR, (c, i) -> byteShift(c, i, 0));
        d.add(0xe77d, "vsrlb", VRR, (c, i) -> byteShift(c, i, 1));
        d.add(0xe77f, "vsrab", VRR, (c, i) -> byteShift(c, i, 2));
        // VTM: CC 0 when the selected bits are zero (or none is selected), 1 mixed, 3 all ones
        d.add(0xe7d8, "vtm", VRR, (c, i) -> {
            check(c);
            long[] a = get(c, i.r1);
            long[] m = get(c, i.r2);
            long sel0 = a[0] & m[0];
            long sel1 = a[1] & m[1];
            if ((sel0 | sel1) == 0) {
                c.cc = 0;
            } else if (sel0 == m[0] && sel1 == m[1]) {
                c.cc = 3;
            } else {
                c.cc = 1;
            }
        });
    }

    private static void merge(Cpu c, Insn i, boolean low) {
        check(c);
        int es = es(i.m, 3);
        long[] a = get(c, i.r2);
        long[] b = get(c, i.r3);
        long[] x = new long[2];
        int half = count(es) / 2;
        for (int k = 0; k < half; k++) {
            int from = low ? half + k : k;
            put(x, es, 2 * k, elem(a, es, from));
            put(x, es, 2 * k + 1, elem(b, es, from));
        }
        set(c, i.r1, x);
    }

    /** kind 0: left, 1: right logical, 2: right arithmetic. */
    private static void bitShift(Cpu c, Insn i, int kind) {
        check(c);
        long[] a = get(c, i.r2);
        long[] s = get(c, i.r3);
        int fill = kind == 2 && a[0] < 0 ? 0xff : 0;
        long[] x = new long[2];
        for (int k = 0; k < 16; k++) {
            int n = byteAt(s, k) & 7;
            int v;
            if (kind == 0) {
                int next = k < 15 ? byteAt(a, k + 1) : 0;
                v = ((byteAt(a, k) << 8 | next) << n) >>> 8;
            } else {
                int prev = k > 0 ? byteAt(a, k - 1) : fill;
                v = (prev << 8 | byteAt(a, k)) >>> n;
            }
            put(x, 0, k, v & 0xff);
        }
        set(c, i.r1, x);
    }

    private static void byteShift(Cpu c, Insn i, int kind) {
        check(c);
        long[] a = get(c, i.r2);
        int n = (byteAt(get(c, i.r3), 7) >>> 3) & 15;
        int fill = kind == 2 && a[0] < 0 ? 0xff : 0;
        long[] x = new long[2];
        for (int k = 0; k < 16; k++) {
            int from = kind == 0 ? k + n : k - n;
            put(x, 0, k, from >= 0 && from < 16 ? byteAt(a, from) : kind == 0 ? 0 : fill);
        }
        set(c, i.r1, x);
    }
}
