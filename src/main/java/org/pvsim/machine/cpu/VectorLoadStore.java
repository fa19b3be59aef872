package org.pvsim.machine.cpu;

import static org.pvsim.machine.cpu.Format.*;
import static org.pvsim.machine.cpu.Vector.*;

import org.pvsim.machine.storage.Storage;

/**
 * Vector loads and stores, the GR-element moves and gather/scatter (VL, VST, VLM, VSTM, VLL, VSTL, VLBB,
 * LCBB, VLREP, VLLEZ, VLE*, VLEI*, VSTE*, VLGV, VLVG, VLVGP, VGE*, VSCE*). A store checks all of its
 * bytes before it changes any, so that a fault on the second page leaves storage as it was.
 */
final class VectorLoadStore {
    private VectorLoadStore() {
    }

    static long[] load128(Cpu c, long a) {
        return new long[] {c.load64(a), c.load64(c.wrap(a + 8))};
    }

    static void store128(Cpu c, long a, long hi, long lo) {
        if ((a & Storage.PAGE_MASK) > Storage.PAGE_SIZE - 16) {
            c.checkWrite(a, 16);
        }
        c.store64(a, hi);
        c.store64(c.wrap(a + 8), lo);
    }

    static long loadElem(Cpu c, long a, int es) {
        return switch (es) {
            case 0 -> c.load8(a);
            case 1 -> c.load16(a);
            case 2 -> c.load32(a) & 0xffffffffL;
            default -> c.load64(a);
        };
    }

    static void storeElem(Cpu c, long a, int es, long v) {
        switch (es) {
            case 0 -> c.store8(a, (int) v);
            case 1 -> c.store16(a, (int) v);
            case 2 -> c.store32(a, (int) v);
            default -> c.store64(a, v);
        }
    }

    /** The element index of an element instruction's M3 field: a specification exception if too big. */
    static int index(int m, int es) {
        if (m >= count(es)) {
            throw specification();
        }
        return m;
    }

    private static void loadElement(Decoder d, int key, String mnemonic, int es) {
        d.add(key, mnemonic, VRX, (c, i) -> {
            check(c);
            int k = index(i.m, es);
            long v = loadElem(c, c.ea(i), es);
            long[] x = get(c, i.r1);
            put(x, es, k, v);
            set(c, i.r1, x);
        });
    }

    private static void storeElement(Decoder d, int key, String mnemonic, int es) {
        d.add(key, mnemonic, VRX, (c, i) -> {
            check(c);
            int k = index(i.m, es);
            storeElem(c, c.ea(i), es, elem(get(c, i.r1), es, k));
        });
    }

    private static void loadImmediate(Decoder d, int key, String mnemonic, int es) {
        d.add(key, mnemonic, VRI, (c, i) -> {
            check(c);
            int k = index(i.m, es);
            long[] x = get(c, i.r1);
            put(x, es, k, (short) i.i2);
            set(c, i.r1, x);
        });
    }

    /** VGEF/VGEG: element M3 of V1 from the address in element M3 of V2 plus B2 + D2. */
    private static void gather(Decoder d, int key, String mnemonic, int es) {
        d.add(key, mnemonic, VRV, (c, i) -> {
            check(c);
            int k = index(i.m, es);
            long a = c.wrap(elem(get(c, i.r2), es, k) + (i.b2 == 0 ? 0 : c.gr[i.b2]) + i.d2);
            long v = loadElem(c, a, es);
            long[] x = get(c, i.r1);
            put(x, es, k, v);
            set(c, i.r1, x);
        });
    }

    private static void scatter(Decoder d, int key, String mnemonic, int es) {
        d.add(key, mnemonic, VRV, (c, i) -> {
            check(c);
            int k = index(i.m, es);
            long a = c.wrap(elem(get(c, i.r2), es, k) + (i.b2 == 0 ? 0 : c.gr[i.b2]) + i.d2);
            storeElem(c, a, es, elem(get(c, i.r1), es, k));
        });
    }

    /** Bytes VLL/VSTL move: the low word of R3 as an unsigned highest byte index, at most 15. */
    static int lengthOf(Cpu c, int r3) {
        long n = c.gr[r3] & 0xffffffffL;
        return (int) Math.min(n, 15) + 1;
    }

    static void register(Decoder d) {
        d.add(0xe706, "vl", VRX, (c, i) -> {
            check(c);
            set(c, i.r1, load128(c, c.ea(i)));
        });
        d.add(0xe70e, "vst", VRX, (c, i) -> {
            check(c);
            store128(c, c.ea(i), hi(c, i.r1), lo(c, i.r1));
        });
        d.add(0xe736, "vlm", VRS, (c, i) -> {
            check(c);
            int n = i.r2 - i.r1 + 1;
            if (n <= 0 || n > 16) {
                throw specification();
            }
            long a = c.ea(i.b2, i.d2);
            long[][] v = new long[n][];
            for (int k = 0; k < n; k++) {
                v[k] = load128(c, c.wrap(a + 16L * k));
            }
            for (int k = 0; k < n; k++) {
                set(c, i.r1 + k, v[k]);
            }
        });
        d.add(0xe73e, "vstm", VRS, (c, i) -> {
            check(c);
            int n = i.r2 - i.r1 + 1;
            if (n <= 0 || n > 16) {
                throw specification();
            }
            long a = c.ea(i.b2, i.d2);
            c.checkWrite(a, 16L * n);
            for (int k = 0; k < n; k++) {
                store128(c, c.wrap(a + 16L * k), hi(c, i.r1 + k), lo(c, i.r1 + k));
            }
        });
        d.add(0xe737, "vll", VRS, (c, i) -> {
            check(c);
            int n = lengthOf(c, i.x2);
            long a = c.ea(i.b2, i.d2);
            long[] x = new long[2];
            for (int k = 0; k < n; k++) {
                put(x, 0, k, c.load8(c.wrap(a + k)));
            }
            set(c, i.r1, x);
        });
        d.add(0xe73f, "vstl", VRS, (c, i) -> {
            check(c);
            int n = lengthOf(c, i.x2);
            long a = c.ea(i.b2, i.d2);
            c.checkWrite(a, n);
            long[] x = get(c, i.r1);
            for (int k = 0; k < n; k++) {
                c.store8(c.wrap(a + k), byteAt(x, k));
            }
        });
        // VLBB: the bytes up to the block boundary; the others are unpredictable (here: unchanged)
        d.add(0xe707, "vlbb", VRX, (c, i) -> {
            check(c);
            int n = toBoundary(c.ea(i), i.m);
            long a = c.ea(i);
            long[] x = get(c, i.r1);
            for (int k = 0; k < n; k++) {
                put(x, 0, k, c.load8(c.wrap(a + k)));
            }
            set(c, i.r1, x);
        });
        // LCBB uses no vector register: it runs whatever the vector-enablement control says
        d.add(0xe727, "lcbb", RXE, (c, i) -> {
            int n = toBoundary(c.ea(i), i.m);
            FixedPoint.set32(c, i.r1, n);
            c.cc = n == 16 ? 0 : 3;
        });
        d.add(0xe705, "vlrep", VRX, (c, i) -> {
            check(c);
            int es = es(i.m, 3);
            long v = loadElem(c, c.ea(i), es);
            long[] x = new long[2];
            for (int k = 0; k < count(es); k++) {
                put(x, es, k, v);
            }
            set(c, i.r1, x);
        });
        // VLLEZ: the element in the rightmost position of the leftmost doubleword (M3 6: leftmost word)
        d.add(0xe704, "vllez", VRX, (c, i) -> {
            check(c);
            int es = i.m == 6 ? 2 : es(i.m, 3);
            long v = loadElem(c, c.ea(i), es);
            long[] x = new long[2];
            put(x, es, i.m == 6 ? 0 : count(es) / 2 - 1, v);
            set(c, i.r1, x);
        });
        loadElement(d, 0xe700, "vleb", 0);
        loadElement(d, 0xe701, "vleh", 1);
        loadElement(d, 0xe703, "vlef", 2);
        loadElement(d, 0xe702, "vleg", 3);
        storeElement(d, 0xe708, "vsteb", 0);
        storeElement(d, 0xe709, "vsteh", 1);
        storeElement(d, 0xe70b, "vstef", 2);
        storeElement(d, 0xe70a, "vsteg", 3);
        loadImmediate(d, 0xe740, "vleib", 0);
        loadImmediate(d, 0xe741, "vleih", 1);
        loadImmediate(d, 0xe743, "vleif", 2);
        loadImmediate(d, 0xe742, "vleig", 3);
        gather(d, 0xe713, "vgef", 2);
        gather(d, 0xe712, "vgeg", 3);
        scatter(d, 0xe71b, "vscef", 2);
        scatter(d, 0xe71a, "vsceg", 3);
        // VLGV: R1 = element of V3; the index is the rightmost bits of the second-operand address
        d.add(0xe721, "vlgv", VRS, (c, i) -> {
            check(c);
            int es = es(i.m, 3);
            int k = (int) (c.ea(i.b2, i.d2) & (count(es) - 1));
            c.gr[i.r1 & 15] = elem(get(c, i.r2), es, k);
        });
        d.add(0xe722, "vlvg", VRS, (c, i) -> {
            check(c);
            int es = es(i.m, 3);
            int k = (int) (c.ea(i.b2, i.d2) & (count(es) - 1));
            long[] x = get(c, i.r1);
            put(x, es, k, c.gr[i.x2]);
            set(c, i.r1, x);
        });
        d.add(0xe762, "vlvgp", VRR, (c, i) -> {
            check(c);
            set(c, i.r1, c.gr[i.x2], c.gr[i.b2]);
        });
    }

    /** Bytes from {@code a} to the next boundary of a 64 << code block, at most 16. */
    static int toBoundary(long a, int code) {
        if (code > 6) {
            throw specification();
        }
        long size = 64L << code;
        return (int) Math.min(16, size - (a & (size - 1)));
    }
}
