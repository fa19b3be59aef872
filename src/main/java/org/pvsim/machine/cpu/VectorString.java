package org.pvsim.machine.cpu;

import static org.pvsim.machine.cpu.Format.*;
import static org.pvsim.machine.cpu.Vector.*;

/**
 * The vector string instructions that string functions are built from: VFAE (find any element equal),
 * VFEE (find element equal), VFENE (find element not equal), VISTR (isolate string), VSTRC (string range
 * compare). Elements are bytes, halfwords or words (M4/M3/M5 0-2). The flags: IN (8) inverts the match,
 * RT (4) asks for a mask per element instead of the index of the first match, ZS (2) also looks for a
 * zero element of V2, CS (1) sets the condition code.
 *
 * <p>Unless RT is set, the result is the byte index of the first match (or of the zero element, if that
 * comes first; 16 when there is neither) in byte 7 of V1, all other bytes zero.
 */
final class VectorString {
    private VectorString() {
    }

    static final int IN = 8;
    static final int RT = 4;
    static final int ZS = 2;
    static final int CS = 1;

    private static int first(boolean[] m) {
        for (int k = 0; k < m.length; k++) {
            if (m[k]) {
                return k;
            }
        }
        return m.length;
    }

    private static int firstZero(long[] a, int es, boolean zs) {
        int n = count(es);
        if (!zs) {
            return n;
        }
        for (int k = 0; k < n; k++) {
            if (elem(a, es, k) == 0) {
                return k;
            }
        }
        return n;
    }

    /** CC of VFAE, VFEE and VSTRC: 0 zero found first, 1 match without zero, 2 match before zero, 3 neither. */
    private static int matchCc(int match, int zero, int n) {
        if (zero == n) {
            return match == n ? 3 : 1;
        }
        return match < zero ? 2 : 0;
    }

    /** Writes the index or mask result and, with CS, the CC. */
    private static void finish(Cpu c, Insn i, int es, boolean[] match, int flags, long[] a) {
        int n = count(es);
        int m = first(match);
        int z = firstZero(a, es, (flags & ZS) != 0);
        if ((flags & RT) != 0) {
            long[] x = new long[2];
            for (int k = 0; k < n; k++) {
                if (match[k]) {
                    put(x, es, k, -1L);
                }
            }
            set(c, i.r1, x);
        } else {
            set(c, i.r1, (long) Math.min(m, z) << es, 0);
        }
        if ((flags & CS) != 0) {
            c.cc = matchCc(m, z, n);
        }
    }

    private static int stringEs(int es) {
        return es(es, 2);
    }

    static void register(Decoder d) {
        d.add(0xe782, "vfae", VRR, (c, i) -> {
            check(c);
            int es = stringEs(i.m);
            int flags = m24(i);
            long[] a = get(c, i.r2);
            long[] b = get(c, i.r3);
            int n = count(es);
            boolean[] match = new boolean[n];
            for (int k = 0; k < n; k++) {
                boolean any = false;
                for (int j = 0; j < n && !any; j++) {
                    any = elem(a, es, k) == elem(b, es, j);
                }
                match[k] = any ^ (flags & IN) != 0;
            }
            finish(c, i, es, match, flags & ~IN, a);
        });
        d.add(0xe780, "vfee", VRR, (c, i) -> {
            check(c);
            int es = stringEs(i.m);
            int flags = m24(i) & (ZS | CS);
            long[] a = get(c, i.r2);
            long[] b = get(c, i.r3);
            boolean[] match = new boolean[count(es)];
            for (int k = 0; k < match.length; k++) {
                match[k] = elem(a, es, k) == elem(b, es, k);
            }
            finish(c, i, es, match, flags, a);
        });
        // VFENE: the first unequal element; CC 1/2 say whether V2's element is the lower or the higher
        d.add(0xe781, "vfene", VRR, (c, i) -> {
            check(c);
            int es = stringEs(i.m);
            int flags = m24(i);
            long[] a = get(c, i.r2);
            long[] b = get(c, i.r3);
            int n = count(es);
            int ne = n;
            for (int k = 0; k < n && ne == n; k++) {
                if (elem(a, es, k) != elem(b, es, k)) {
                    ne = k;
                }
            }
            int z = firstZero(a, es, (flags & ZS) != 0);
            int cc;
            int at;
            if (ne == n && z == n) {
                at = n;
                cc = 3;
            } else if (z < ne) {
                at = z;
                cc = 0;
            } else {
                at = ne;
                cc = Long.compareUnsigned(elem(a, es, ne), elem(b, es, ne)) < 0 ? 1 : 2;
            }
            set(c, i.r1, (long) at << es, 0);
            if ((flags & CS) != 0) {
                c.cc = cc;
            }
        });
        // VISTR: V2 up to its first zero element, zeros from there on; CC 0 zero found, 3 not
        d.add(0xe75c, "vistr", VRR, (c, i) -> {
            check(c);
            int es = stringEs(i.m);
            long[] a = get(c, i.r2);
            int n = count(es);
            int z = firstZero(a, es, true);
            long[] x = new long[2];
            for (int k = 0; k < z; k++) {
                put(x, es, k, elem(a, es, k));
            }
            set(c, i.r1, x);
            if ((m24(i) & CS) != 0) {
                c.cc = z < n ? 0 : 3;
            }
        });
        // VSTRC: V3 holds pairs of range bounds, V4 their controls (EQ 0x8..., LT 0x4..., GT 0x2... of the
        // element's top bits): an element is in range j when it satisfies both bounds of pair j
        d.add(0xe78a, "vstrc", VRR, (c, i) -> {
            check(c);
            int es = stringEs(m20(i));
            int flags = m24(i);
            long[] a = get(c, i.r2);
            long[] r = get(c, i.r3);
            long[] ctl = get(c, i.i4);
            int n = count(es);
            int top = bits(es) - 1;
            boolean[] match = new boolean[n];
            for (int k = 0; k < n; k++) {
                long v = elem(a, es, k);
                boolean any = false;
                for (int j = 0; j + 1 < n && !any; j += 2) {
                    any = holds(v, elem(r, es, j), elem(ctl, es, j) >>> (top - 2))
                            && holds(v, elem(r, es, j + 1), elem(ctl, es, j + 1) >>> (top - 2));
                }
                match[k] = any ^ (flags & IN) != 0;
            }
            finish(c, i, es, match, flags & ~IN, a);
        });
    }

    /** The element compared with one bound under its control bits EQ (4), LT (2), GT (1). */
    private static boolean holds(long v, long bound, long control) {
        int r = Long.compareUnsigned(v, bound);
        return (control & 4) != 0 && r == 0 || (control & 2) != 0 && r < 0 || (control & 1) != 0 && r > 0;
    }
}
