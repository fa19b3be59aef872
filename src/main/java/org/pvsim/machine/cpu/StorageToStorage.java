package org.pvsim.machine.cpu;

import static org.pvsim.machine.cpu.Format.*;

import org.pvsim.machine.ProgramInterruption;

/**
 * Storage-to-storage instructions: MVC, CLC, XC/NC/OC, TR, MVCL(E), CLCL(E), CLST, MVST, SRST.
 * Every operand range is checked before the first byte changes, and bytes move one at a time left
 * to right, so overlapping MVC propagates bytes as the architecture defines.
 * MVCLE, CLCLE, CLST, MVST and SRST, whose operands a 64-bit length or a missing terminator can make
 * as long as storage or endless (a 24-bit address wraps), stop after {@link #CPU_DETERMINED} bytes with
 * cc 3, as the architecture lets a CPU. MVCL and CLCL (up to 16 MiB) are interruptible instead: after
 * that amount the registers are updated and the PSW points at the instruction again, as after an
 * interruption, so that each execution is bounded; under EXECUTE they complete in one.
 */
final class StorageToStorage {
    private StorageToStorage() {
    }

    /** The CPU-determined amount: bytes processed in one execution of an interruptible instruction. */
    static final long CPU_DETERMINED = 1 << 16;

    interface ByteOp {
        int apply(int a, int b);
    }

    private static void logical(Decoder d, int key, String name, ByteOp op) {
        d.add(key, name, SS, (c, i) -> {
            int len = (int) i.i2 + 1;
            long a1 = c.ea(i.b1, i.d1);
            long a2 = c.ea(i.b2, i.d2);
            c.checkRead(a2, len);
            c.checkWrite(a1, len);
            int any = 0;
            for (int k = 0; k < len; k++) {
                long p = (a1 + k) & c.amask;
                int v = op.apply(c.load8(p), c.load8((a2 + k) & c.amask)) & 0xff;
                c.store8(p, v);
                any |= v;
            }
            c.cc = any == 0 ? 0 : 1;
        });
    }

    /** MVN and MVZ: each first-operand byte takes the bits in {@code fromSource} from the second operand. */
    private static void moveBits(Decoder d, int key, String name, int fromSource) {
        int keep = ~fromSource & 0xff;
        d.add(key, name, SS, (c, i) -> {
            int len = (int) i.i2 + 1;
            long a1 = c.ea(i.b1, i.d1);
            long a2 = c.ea(i.b2, i.d2);
            c.checkRead(a2, len);
            c.checkWrite(a1, len);
            for (int k = 0; k < len; k++) {
                long p = (a1 + k) & c.amask;
                c.store8(p, (c.load8(p) & keep) | (c.load8((a2 + k) & c.amask) & fromSource));
            }
        });
    }

    static void register(Decoder d) {
        d.add(0xd200, "mvc", SS, (c, i) -> {
            int len = (int) i.i2 + 1;
            long a1 = c.ea(i.b1, i.d1);
            long a2 = c.ea(i.b2, i.d2);
            c.checkRead(a2, len);
            c.checkWrite(a1, len);
            for (int k = 0; k < len; k++) {
                c.store8((a1 + k) & c.amask, c.load8((a2 + k) & c.amask));
            }
        });
        d.add(0xd500, "clc", SS, (c, i) -> {
            int len = (int) i.i2 + 1;
            long a1 = c.ea(i.b1, i.d1);
            long a2 = c.ea(i.b2, i.d2);
            c.checkRead(a1, len);
            c.checkRead(a2, len);
            int cc = 0;
            for (int k = 0; k < len && cc == 0; k++) {
                cc = FixedPoint.ccCompare(c.load8((a1 + k) & c.amask), c.load8((a2 + k) & c.amask));
            }
            c.cc = cc;
        });
        logical(d, 0xd700, "xc", (a, b) -> a ^ b);
        logical(d, 0xd400, "nc", (a, b) -> a & b);
        logical(d, 0xd600, "oc", (a, b) -> a | b);
        moveBits(d, 0xd100, "mvn", 0x0f);
        moveBits(d, 0xd300, "mvz", 0xf0);
        d.add(0xdc00, "tr", SS, (c, i) -> {
            int len = (int) i.i2 + 1;
            long a1 = c.ea(i.b1, i.d1);
            long a2 = c.ea(i.b2, i.d2);
            c.checkWrite(a1, len);
            for (int k = 0; k < len; k++) {
                long p = (a1 + k) & c.amask;
                c.store8(p, c.load8((a2 + c.load8(p)) & c.amask));
            }
        });
        d.add(0x0e00, "mvcl", RR, StorageToStorage::mvcl);
        d.add(0x0f00, "clcl", RR, StorageToStorage::clcl);
        d.add(0xa800, "mvcle", RS, StorageToStorage::mvcle);
        d.add(0xa900, "clcle", RS, StorageToStorage::clcle);
        d.add(0xb25d, "clst", RRE, StorageToStorage::clst);
        d.add(0xb255, "mvst", RRE, StorageToStorage::mvst);
        d.add(0xb25e, "srst", RRE, StorageToStorage::srst);
        d.add(0xb254, "mvpg", RRE, MovePage::mvpg);
    }

    private static void evenPair(Insn i, int... regs) {
        for (int r : regs) {
            if ((r & 1) != 0) {
                throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
            }
        }
    }

    /** Length field of MVCL/CLCL: bits 40-63 of the odd register. */
    private static long len24(Cpu c, int r) {
        return c.gr[r + 1] & 0xffffff;
    }

    private static void setAddress(Cpu c, int r, long a) {
        if (c.amask == -1L) {
            c.gr[r] = a;
        } else {
            FixedPoint.set32(c, r, a & c.amask);
        }
    }

    private static void mvcl(Cpu c, Insn i) {
        evenPair(i, i.r1, i.r2);
        long a1 = c.gr[i.r1] & c.amask;
        long a2 = c.gr[i.r2] & c.amask;
        long l1 = len24(c, i.r1);
        long l2 = len24(c, i.r2);
        int pad = (int) (c.gr[i.r2 + 1] >>> 24) & 0xff;
        int cc = c.cc;
        c.cc = FixedPoint.ccCompare(l1, l2);
        // destructive overlap: the source starts inside the destination
        if (l1 > 0 && l2 > 0 && Long.compareUnsigned((a2 - a1) & c.amask, 0) != 0
                && Long.compareUnsigned((a1 - a2) & c.amask, Math.min(l1, l2)) < 0 && a1 != a2) {
            c.cc = 3;
            return;
        }
        if (l1 > 0) {
            c.checkWrite(a1, l1);
        }
        if (Math.min(l1, l2) > 0) {
            c.checkRead(a2, Math.min(l1, l2));
        }
        long n = l1 > CPU_DETERMINED && c.executeAddress < 0 ? CPU_DETERMINED : l1;
        for (long k = 0; k < n; k++) {
            int v = k < l2 ? c.load8((a2 + k) & c.amask) : pad;
            c.store8((a1 + k) & c.amask, v);
        }
        long moved = Math.min(n, l2);
        setAddress(c, i.r1, a1 + n);
        setAddress(c, i.r2, a2 + moved);
        c.gr[i.r1 + 1] = (c.gr[i.r1 + 1] & ~0xffffffL) | (l1 - n);
        c.gr[i.r2 + 1] = (c.gr[i.r2 + 1] & ~0xffffffL) | (l2 - moved);
        if (n != l1) {
            c.cc = cc; // set when the last part completes
            c.ia = c.insnAddress(i); // the rest on the next execution
        }
    }

    private static void clcl(Cpu c, Insn i) {
        evenPair(i, i.r1, i.r2);
        long a1 = c.gr[i.r1] & c.amask;
        long a2 = c.gr[i.r2] & c.amask;
        long l1 = len24(c, i.r1);
        long l2 = len24(c, i.r2);
        int pad = (int) (c.gr[i.r2 + 1] >>> 24) & 0xff;
        int cc = c.cc;
        long k = comparePadded(c, a1, l1, a2, l2, pad, c.executeAddress < 0 ? CPU_DETERMINED : Long.MAX_VALUE);
        long d1 = Math.min(k, l1);
        long d2 = Math.min(k, l2);
        setAddress(c, i.r1, a1 + d1);
        setAddress(c, i.r2, a2 + d2);
        c.gr[i.r1 + 1] = (c.gr[i.r1 + 1] & ~0xffffffL) | (l1 - d1);
        c.gr[i.r2 + 1] = (c.gr[i.r2 + 1] & ~0xffffffL) | (l2 - d2);
        if (c.cc == 3) { // equal so far: the rest on the next execution
            c.cc = cc;
            c.ia = c.insnAddress(i);
        }
    }

    /**
     * CLCL and CLCLE: compares the operands (unsigned lengths), the shorter one extended with {@code pad},
     * up to the first unequal byte. Sets the condition code and returns that byte's index, or the longer
     * length if none; after {@code limit} equal bytes short of that, cc 3 and {@code limit}.
     */
    private static long comparePadded(Cpu c, long a1, long l1, long a2, long l2, int pad, long limit) {
        long n = Long.compareUnsigned(l1, l2) >= 0 ? l1 : l2;
        boolean partial = Long.compareUnsigned(n, limit) > 0;
        long end = partial ? limit : n;
        for (long k = 0; k < end; k++) {
            int x = Long.compareUnsigned(k, l1) < 0 ? c.load8((a1 + k) & c.amask) : pad;
            int y = Long.compareUnsigned(k, l2) < 0 ? c.load8((a2 + k) & c.amask) : pad;
            if (x != y) {
                c.cc = x < y ? 1 : 2;
                return k;
            }
        }
        c.cc = partial ? 3 : 0;
        return end;
    }

    private static long minUnsigned(long a, long b) {
        return Long.compareUnsigned(a, b) <= 0 ? a : b;
    }

    private static long lenLong(Cpu c, int r) {
        return c.amask == -1L ? c.gr[r + 1] : c.gr[r + 1] & 0xffffffffL;
    }

    private static void mvcle(Cpu c, Insn i) {
        evenPair(i, i.r1, i.r3);
        long a1 = c.gr[i.r1] & c.amask;
        long a2 = c.gr[i.r3] & c.amask;
        long l1 = lenLong(c, i.r1);
        long l2 = lenLong(c, i.r3);
        int pad = (int) c.ea(i.b2, i.d2) & 0xff;
        long n = minUnsigned(l1, CPU_DETERMINED); // access exceptions only for the part processed
        long copied = minUnsigned(n, l2);
        if (n > 0) {
            c.checkWrite(a1, n);
        }
        if (copied > 0) {
            c.checkRead(a2, copied);
        }
        for (long k = 0; k < n; k++) {
            c.store8((a1 + k) & c.amask, k < copied ? c.load8((a2 + k) & c.amask) : pad);
        }
        setAddress(c, i.r1, a1 + n);
        setAddress(c, i.r3, a2 + copied);
        setLength(c, i.r1 + 1, l1 - n);
        setLength(c, i.r3 + 1, l2 - copied);
        c.cc = n != l1 ? 3 : FixedPoint.ccCompareUnsigned(l1, l2);
    }

    private static void setLength(Cpu c, int r, long v) {
        if (c.amask == -1L) {
            c.gr[r] = v;
        } else {
            FixedPoint.set32(c, r, v);
        }
    }

    private static void clcle(Cpu c, Insn i) {
        evenPair(i, i.r1, i.r3);
        long a1 = c.gr[i.r1] & c.amask;
        long a2 = c.gr[i.r3] & c.amask;
        long l1 = lenLong(c, i.r1);
        long l2 = lenLong(c, i.r3);
        int pad = (int) c.ea(i.b2, i.d2) & 0xff;
        long k = comparePadded(c, a1, l1, a2, l2, pad, CPU_DETERMINED);
        long d1 = minUnsigned(k, l1);
        long d2 = minUnsigned(k, l2);
        setAddress(c, i.r1, a1 + d1);
        setAddress(c, i.r3, a2 + d2);
        setLength(c, i.r1 + 1, l1 - d1);
        setLength(c, i.r3 + 1, l2 - d2);
    }

    private static int terminator(Cpu c) {
        if ((c.gr[0] & 0xffffff00L) != 0) {
            throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
        }
        return (int) c.gr[0] & 0xff;
    }

    private static void clst(Cpu c, Insn i) {
        int end = terminator(c);
        long a1 = c.gr[i.r1] & c.amask;
        long a2 = c.gr[i.r2] & c.amask;
        for (long k = 0; ; k++) {
            if (k == CPU_DETERMINED) {
                setAddress(c, i.r1, a1 + k);
                setAddress(c, i.r2, a2 + k);
                c.cc = 3;
                return;
            }
            int x = c.load8((a1 + k) & c.amask);
            int y = c.load8((a2 + k) & c.amask);
            if (x == end && y == end) {
                c.cc = 0;
                return;
            }
            if (x == end || (y != end && x < y)) {
                setAddress(c, i.r1, a1 + k);
                setAddress(c, i.r2, a2 + k);
                c.cc = 1;
                return;
            }
            if (y == end || x > y) {
                setAddress(c, i.r1, a1 + k);
                setAddress(c, i.r2, a2 + k);
                c.cc = 2;
                return;
            }
        }
    }

    private static void mvst(Cpu c, Insn i) {
        int end = terminator(c);
        long a1 = c.gr[i.r1] & c.amask;
        long a2 = c.gr[i.r2] & c.amask;
        for (long k = 0; ; k++) {
            if (k == CPU_DETERMINED) {
                setAddress(c, i.r1, a1 + k);
                setAddress(c, i.r2, a2 + k);
                c.cc = 3;
                return;
            }
            int v = c.load8((a2 + k) & c.amask);
            c.store8((a1 + k) & c.amask, v);
            if (v == end) {
                setAddress(c, i.r1, a1 + k);
                c.cc = 1;
                return;
            }
        }
    }

    private static void srst(Cpu c, Insn i) {
        int ch = terminator(c);
        long end = c.gr[i.r1] & c.amask;
        long a = c.gr[i.r2] & c.amask;
        for (long k = 0; a != end; a = (a + 1) & c.amask, k++) {
            if (k == CPU_DETERMINED) {
                setAddress(c, i.r2, a);
                c.cc = 3;
                return;
            }
            if (c.load8(a) == ch) {
                setAddress(c, i.r1, a);
                c.cc = 1;
                return;
            }
        }
        c.cc = 2;
    }
}
