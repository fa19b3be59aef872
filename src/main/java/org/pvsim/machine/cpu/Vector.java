package org.pvsim.machine.cpu;

import org.pvsim.machine.Lowcore;
import org.pvsim.machine.ProgramInterruption;

/**
 * What every vector instruction (facility 129) shares: the enablement check, the 128-bit registers as
 * a pair of longs (left half, right half), elements of 1, 2, 4 or 8 bytes (element size code 0-3; 4 is
 * the whole quadword), and the positional fields of the vector formats (see {@link Format#VRX}).
 *
 * <p>The instruction families register themselves: {@link VectorLoadStore}, {@link VectorPermute},
 * {@link VectorInteger}, {@link VectorString}. All of them run through their handlers, in the
 * interpreter and in translated blocks alike (none is {@link Inline}).
 */
final class Vector {
    private Vector() {
    }

    /** CR0 bit 45, the AFP-register control, and bit 46, the vector-enablement control. */
    static final long CR0_AFP = 1L << 18;
    static final long CR0_VECTOR = 1L << 17;
    /** The data-exception code of a vector instruction while vector registers are not enabled. */
    static final int DXC_VECTOR = 0xfe;

    static void register(Decoder d) {
        VectorLoadStore.register(d);
        VectorPermute.register(d);
        VectorInteger.register(d);
        VectorString.register(d);
    }

    /**
     * A vector instruction runs only with both the AFP-register and the vector-enablement controls on;
     * otherwise it is suppressed with a data exception, DXC 0xfe (which the delivery also places in the
     * FPC when AFP is on, see {@link Interruptions}).
     */
    static void check(Cpu c) {
        if ((c.cr[0] & (CR0_AFP | CR0_VECTOR)) != (CR0_AFP | CR0_VECTOR)) {
            dataException(c, DXC_VECTOR);
        }
    }

    static void dataException(Cpu c, int dxc) {
        c.absStore(c.prefix + Lowcore.DXC, dxc, 4);
        throw new ProgramInterruption(ProgramInterruption.DATA);
    }

    static ProgramInterruption specification() {
        return new ProgramInterruption(ProgramInterruption.SPECIFICATION);
    }

    /** Raises a specification exception unless {@code 0 <= es <= max}. */
    static int es(int es, int max) {
        if (es > max) {
            throw specification();
        }
        return es;
    }

    // ---- positional fields ---------------------------------------------------------------------------

    /** The plain nibble at bits 20-23 (VRR-d M5, VRR-e M6). */
    static int m20(Insn in) {
        return in.i5 >>> 8;
    }

    /** The plain nibble at bits 24-27 (VRR-a/b M5, VRR-c/d M6). */
    static int m24(Insn in) {
        return (in.i5 >>> 4) & 15;
    }

    /** The plain nibble at bits 28-31 (VRR-a M4, VRR-c/e M5). */
    static int m28(Insn in) {
        return in.i5 & 15;
    }

    // ---- registers -------------------------------------------------------------------------------------

    static long hi(Cpu c, int v) {
        return v < 16 ? c.fpr[v] : c.vrHigh[v - 16];
    }

    static long lo(Cpu c, int v) {
        return c.vrLow[v];
    }

    /** VR {@code v} as {left half, right half}: a copy, so that a result may overwrite an operand. */
    static long[] get(Cpu c, int v) {
        return new long[] {hi(c, v), c.vrLow[v]};
    }

    static void set(Cpu c, int v, long hi, long lo) {
        if (v < 16) {
            c.fpr[v] = hi;
        } else {
            c.vrHigh[v - 16] = hi;
        }
        c.vrLow[v] = lo;
    }

    static void set(Cpu c, int v, long[] x) {
        set(c, v, x[0], x[1]);
    }

    // ---- elements ----------------------------------------------------------------------------------------

    /** Elements in a register of element size {@code es}. */
    static int count(int es) {
        return 16 >> es;
    }

    static int bits(int es) {
        return 8 << es;
    }

    static long mask(int es) {
        return es >= 3 ? -1L : (1L << bits(es)) - 1;
    }

    /** Element {@code i} (size code {@code es} 0-3), zero-extended. */
    static long elem(long[] x, int es, int i) {
        int bytes = 1 << es;
        int off = i * bytes;
        long w = off < 8 ? x[0] : x[1];
        int shift = 64 - ((off & 7) + bytes) * 8;
        return (w >>> shift) & mask(es);
    }

    /** Element {@code i}, sign-extended. */
    static long selem(long[] x, int es, int i) {
        int b = bits(es);
        return elem(x, es, i) << (64 - b) >> (64 - b);
    }

    static void put(long[] x, int es, int i, long v) {
        int bytes = 1 << es;
        int off = i * bytes;
        int shift = 64 - ((off & 7) + bytes) * 8;
        long m = mask(es) << shift;
        int k = off < 8 ? 0 : 1;
        x[k] = (x[k] & ~m) | ((v << shift) & m);
    }

    static int byteAt(long[] x, int i) {
        return (int) elem(x, 0, i);
    }

    /** The condition code of a compare with its CS flag: 0 all true, 1 some, 3 none. */
    static int ccAllSomeNone(int trues, int n) {
        return trues == n ? 0 : trues == 0 ? 3 : 1;
    }
}
