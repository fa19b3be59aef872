package org.pvsim.machine.cpu;

import static org.pvsim.machine.cpu.Format.*;

import org.pvsim.machine.Lowcore;
import org.pvsim.machine.ProgramInterruption;

/**
 * Fixed-point loads, stores, signed and logical arithmetic, compare, multiply and divide, in their
 * 32- and 64-bit forms. Condition codes follow the z/Architecture rules: arithmetic sets 0/1/2 for
 * zero/negative/positive and 3 for overflow; logical add/subtract report carry and borrow; compare
 * sets 0 equal, 1 low, 2 high.
 */
final class FixedPoint {
    private FixedPoint() {
    }

    /** Where a second operand comes from (register, storage, immediate). */
    @FunctionalInterface
    interface Src {
        long get(Cpu c, Insn i);
    }

    static final Src R2 = (c, i) -> c.gr[i.r2];
    static final Src R2_32 = (c, i) -> (int) c.gr[i.r2];
    static final Src R2_32U = (c, i) -> c.gr[i.r2] & 0xffffffffL;
    static final Src M64 = (c, i) -> c.load64(c.ea(i));
    static final Src M32 = (c, i) -> c.load32(c.ea(i));
    static final Src M32U = (c, i) -> c.load32(c.ea(i)) & 0xffffffffL;
    static final Src M16 = (c, i) -> (short) c.load16(c.ea(i));
    static final Src M16U = (c, i) -> c.load16(c.ea(i));
    static final Src M8U = (c, i) -> c.load8(c.ea(i));
    static final Src M8 = (c, i) -> (byte) c.load8(c.ea(i));
    static final Src I2 = (c, i) -> i.i2;
    static final Src I2U32 = (c, i) -> i.i2 & 0xffffffffL;
    static final Src REL32 = (c, i) -> (int) c.load32(relative(c, i, 4));
    static final Src REL32U = (c, i) -> c.load32(relative(c, i, 4)) & 0xffffffffL;
    static final Src REL64 = (c, i) -> c.load64(relative(c, i, 8));
    static final Src REL16 = (c, i) -> (short) c.load16(relative(c, i));
    static final Src REL16U = (c, i) -> c.load16(relative(c, i));

    /** Address of an RIL-b relative operand: instruction address + 2 * I2. */
    static long relative(Cpu c, Insn i) {
        return (c.insnAddress(i) + 2 * i.i2) & c.amask;
    }

    /**
     * A relative-long storage operand of {@code size} bytes (4 or 8), which must be on an integral
     * boundary: a specification exception otherwise (the target is always halfword aligned).
     */
    static long relative(Cpu c, Insn i, int size) {
        long a = relative(c, i);
        if ((a & (size - 1)) != 0) {
            throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
        }
        return a;
    }

    static void set32(Cpu c, int r, long v) {
        c.gr[r] = (c.gr[r] & 0xffffffff00000000L) | (v & 0xffffffffL);
    }

    /**
     * Places an address in a register as LA/LARL do: the whole register in 64-bit mode; in 24- and
     * 31-bit mode only bits 32-63 (the address, with the bits above the mode zero), bits 0-31 unchanged.
     */
    static void setAddress(Cpu c, int r, long address) {
        Ops.setAddress(c, r, address, c.amask);
    }

    static int ccSigned(long v) {
        return v == 0 ? 0 : v < 0 ? 1 : 2;
    }

    static int ccCompare(long a, long b) {
        return a == b ? 0 : a < b ? 1 : 2;
    }

    static int ccCompareUnsigned(long a, long b) {
        int x = Long.compareUnsigned(a, b);
        return x == 0 ? 0 : x < 0 ? 1 : 2;
    }

    // ---- arithmetic kernels (they set the condition code) -------------------------------------------

    static long add64(Cpu c, long a, long b) {
        long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) {
            c.cc = 3;
            pendingOverflow(c);
        } else {
            c.cc = ccSigned(r);
        }
        return r;
    }

    static int add32(Cpu c, int a, int b) {
        int r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) {
            c.cc = 3;
            pendingOverflow(c);
        } else {
            c.cc = ccSigned(r);
        }
        return r;
    }

    static long sub64(Cpu c, long a, long b) {
        long r = a - b;
        if (((a ^ b) & (a ^ r)) < 0) {
            c.cc = 3;
            pendingOverflow(c);
        } else {
            c.cc = ccSigned(r);
        }
        return r;
    }

    static int sub32(Cpu c, int a, int b) {
        int r = a - b;
        if (((a ^ b) & (a ^ r)) < 0) {
            c.cc = 3;
            pendingOverflow(c);
        } else {
            c.cc = ccSigned(r);
        }
        return r;
    }

    static long addLogical64(Cpu c, long a, long b, long carryIn) {
        long r = a + b + carryIn;
        boolean carry = Long.compareUnsigned(r, a) < 0 || (carryIn != 0 && r == a);
        c.cc = (r != 0 ? 1 : 0) | (carry ? 2 : 0);
        return r;
    }

    static int addLogical32(Cpu c, long a, long b, long carryIn) {
        long r = (a & 0xffffffffL) + (b & 0xffffffffL) + carryIn;
        int v = (int) r;
        c.cc = (v != 0 ? 1 : 0) | ((r >>> 32) != 0 ? 2 : 0);
        return v;
    }

    static long subLogical64(Cpu c, long a, long b, long borrowIn) {
        long r = a - b - borrowIn;
        boolean borrow = Long.compareUnsigned(a, b) < 0 || (borrowIn != 0 && a == b);
        c.cc = (r != 0 ? 1 : 0) | (borrow ? 0 : 2);
        return r;
    }

    static int subLogical32(Cpu c, long a, long b, long borrowIn) {
        long r = (a & 0xffffffffL) - (b & 0xffffffffL) - borrowIn;
        int v = (int) r;
        c.cc = (v != 0 ? 1 : 0) | (r < 0 ? 0 : 2);
        return v;
    }

    /** Overflow with the fixed-point-overflow mask on: the interruption completes the instruction. */
    private static void pendingOverflow(Cpu c) {
        if ((c.pswMask & Psw.FIXED_POINT_OVERFLOW_MASK) != 0) {
            c.overflowPending = true;
        }
    }

    /** Raises the completing overflow interruption once the result is stored. */
    static void finish(Cpu c) {
        if (c.overflowPending) {
            c.overflowPending = false;
            throw new ProgramInterruption(ProgramInterruption.FIXED_POINT_OVERFLOW);
        }
    }

    static void register(Decoder d) {
        registerLoadsAndStores(d);
        registerArithmetic(d);
        registerCompare(d);
        registerMultiplyDivide(d);
    }

    private static void load64(Decoder d, int key, String name, Format f, Src s) {
        d.add(key, name, f, (c, i) -> c.gr[i.r1] = s.get(c, i));
    }

    private static void load32(Decoder d, int key, String name, Format f, Src s) {
        d.add(key, name, f, (c, i) -> set32(c, i.r1, s.get(c, i)));
    }

    private static void registerLoadsAndStores(Decoder d) {
        d.add(0xe304, "lg", RXY, Inline.load(Ops::lg));
        d.add(0xe324, "stg", RXY, Inline.store(Ops::stg));
        d.add(0xb904, "lgr", RRE, Inline.registers(Ops::lgr));
        d.add(0x1800, "lr", RR, Inline.registers(Ops::lr));
        d.add(0xa708, "lhi", RI, Inline.immediate(Ops::lhi));
        d.add(0xa709, "lghi", RI, Inline.immediate(Ops::lghi));
        d.add(0x5800, "l", RX, Inline.load(Ops::l));
        load32(d, 0xe358, "ly", RXY, M32);
        load32(d, 0x4800, "lh", RX, M16);
        load32(d, 0xe378, "lhy", RXY, M16);
        load32(d, 0xe376, "lb", RXY, M8);
        d.add(0xe394, "llc", RXY, Inline.load(Ops::llc));
        load32(d, 0xe395, "llh", RXY, M16U);
        load32(d, 0xb926, "lbr", RRE, (c, i) -> (byte) c.gr[i.r2]);
        load32(d, 0xb927, "lhr", RRE, (c, i) -> (short) c.gr[i.r2]);
        d.add(0xb994, "llcr", RRE, Inline.registers(Ops::llcr));
        load32(d, 0xb995, "llhr", RRE, (c, i) -> c.gr[i.r2] & 0xffff);
        load32(d, 0xc009, "iilf", RIL, I2);
        load32(d, 0xc40d, "lrl", RIL, REL32);
        load32(d, 0xc405, "lhrl", RIL, REL16);
        load32(d, 0xc402, "llhrl", RIL, REL16U);
        d.add(0xe314, "lgf", RXY, Inline.load(Ops::lgf));
        load64(d, 0xe316, "llgf", RXY, M32U);
        load64(d, 0xe317, "llgt", RXY, (c, i) -> c.load32(c.ea(i)) & 0x7fffffffL);
        load64(d, 0xe315, "lgh", RXY, M16);
        load64(d, 0xe377, "lgb", RXY, M8);
        d.add(0xe390, "llgc", RXY, Inline.load(Ops::llgc));
        d.add(0xe391, "llgh", RXY, Inline.load(Ops::llgh));
        d.add(0xb914, "lgfr", RRE, Inline.registers(Ops::lgfr));
        d.add(0xb916, "llgfr", RRE, Inline.registers(Ops::llgfr));
        load64(d, 0xb917, "llgtr", RRE, (c, i) -> c.gr[i.r2] & 0x7fffffffL);
        load64(d, 0xb906, "lgbr", RRE, (c, i) -> (byte) c.gr[i.r2]);
        load64(d, 0xb907, "lghr", RRE, (c, i) -> (short) c.gr[i.r2]);
        load64(d, 0xb984, "llgcr", RRE, (c, i) -> c.gr[i.r2] & 0xff);
        load64(d, 0xb985, "llghr", RRE, (c, i) -> c.gr[i.r2] & 0xffff);
        load64(d, 0xc001, "lgfi", RIL, I2);
        load64(d, 0xc408, "lgrl", RIL, REL64);
        load64(d, 0xc40c, "lgfrl", RIL, REL32);
        load64(d, 0xc40e, "llgfrl", RIL, REL32U);
        load64(d, 0xc404, "lghrl", RIL, REL16);
        load64(d, 0xc406, "llghrl", RIL, REL16U);
        d.add(0xc000, "larl", RIL, Inline.relative(Ops::setAddress));
        d.add(0x4100, "la", RX, Inline.load(Ops::la));
        d.add(0xe371, "lay", RXY, Inline.load(Ops::la));
        d.add(0x5000, "st", RX, Inline.store(Ops::st));
        d.add(0xe350, "sty", RXY, (c, i) -> c.store32(c.ea(i), (int) c.gr[i.r1]));
        d.add(0x4000, "sth", RX, (c, i) -> c.store16(c.ea(i), (int) c.gr[i.r1]));
        d.add(0xe370, "sthy", RXY, (c, i) -> c.store16(c.ea(i), (int) c.gr[i.r1]));
        d.add(0x4200, "stc", RX, Inline.store(Ops::stc));
        d.add(0xe372, "stcy", RXY, (c, i) -> c.store8(c.ea(i), (int) c.gr[i.r1]));
        d.add(0xc40f, "strl", RIL, (c, i) -> c.store32(relative(c, i, 4), (int) c.gr[i.r1]));
        d.add(0xc40b, "stgrl", RIL, (c, i) -> c.store64(relative(c, i, 8), c.gr[i.r1]));
        d.add(0xc407, "sthrl", RIL, (c, i) -> c.store16(relative(c, i), (int) c.gr[i.r1]));
        d.add(0x4300, "ic", RX, Inline.load(Ops::ic));
        d.add(0xe373, "icy", RXY, (c, i) -> c.gr[i.r1] = (c.gr[i.r1] & ~0xffL) | c.load8(c.ea(i)));
        // load and test
        d.add(0x1200, "ltr", RR, Inline.registers(Ops::ltr));
        d.add(0xb902, "ltgr", RRE, Inline.registers(Ops::ltgr));
        d.add(0xb912, "ltgfr", RRE, (c, i) -> c.cc = ccSigned(c.gr[i.r1] = (int) c.gr[i.r2]));
        d.add(0xe312, "lt", RXY, (c, i) -> {
            int v = c.load32(c.ea(i));
            set32(c, i.r1, v);
            c.cc = ccSigned(v);
        });
        d.add(0xe302, "ltg", RXY, (c, i) -> c.cc = ccSigned(c.gr[i.r1] = c.load64(c.ea(i))));
        d.add(0xe332, "ltgf", RXY, (c, i) -> c.cc = ccSigned(c.gr[i.r1] = c.load32(c.ea(i))));
        // complement, positive, negative
        d.add(0x1300, "lcr", RR, (c, i) -> {
            int v = (int) c.gr[i.r2];
            set32(c, i.r1, -v);
            c.cc = v == Integer.MIN_VALUE ? 3 : ccSigned(-v);
            if (v == Integer.MIN_VALUE) {
                overflowChecked(c);
            }
        });
        d.add(0xb903, "lcgr", RRE, (c, i) -> {
            long v = c.gr[i.r2];
            c.gr[i.r1] = -v;
            c.cc = v == Long.MIN_VALUE ? 3 : ccSigned(-v);
            if (v == Long.MIN_VALUE) {
                overflowChecked(c);
            }
        });
        d.add(0xb913, "lcgfr", RRE, (c, i) -> c.cc = ccSigned(c.gr[i.r1] = -(long) (int) c.gr[i.r2]));
        d.add(0x1000, "lpr", RR, (c, i) -> {
            int v = (int) c.gr[i.r2];
            set32(c, i.r1, Math.abs(v));
            c.cc = v == Integer.MIN_VALUE ? 3 : v == 0 ? 0 : 2;
            if (v == Integer.MIN_VALUE) {
                overflowChecked(c);
            }
        });
        d.add(0xb900, "lpgr", RRE, (c, i) -> {
            long v = c.gr[i.r2];
            c.gr[i.r1] = Math.abs(v);
            c.cc = v == Long.MIN_VALUE ? 3 : v == 0 ? 0 : 2;
            if (v == Long.MIN_VALUE) {
                overflowChecked(c);
            }
        });
        d.add(0xb910, "lpgfr", RRE, (c, i) -> {
            long v = Math.abs((long) (int) c.gr[i.r2]);
            c.gr[i.r1] = v;
            c.cc = v == 0 ? 0 : 2;
        });
        d.add(0x1100, "lnr", RR, (c, i) -> {
            int v = -Math.abs((int) c.gr[i.r2]);
            set32(c, i.r1, v);
            c.cc = v == 0 ? 0 : 1;
        });
        d.add(0xb901, "lngr", RRE, (c, i) -> {
            long v = -Math.abs(c.gr[i.r2]);
            c.gr[i.r1] = v;
            c.cc = v == 0 ? 0 : 1;
        });
        d.add(0xb911, "lngfr", RRE, (c, i) -> {
            long v = -Math.abs((long) (int) c.gr[i.r2]);
            c.gr[i.r1] = v;
            c.cc = v == 0 ? 0 : 1;
        });
        // load/store multiple
        d.add(0xeb04, "lmg", RSY, (c, i) -> {
            long a = c.ea(i.b2, i.d2);
            int n = ((i.r3 - i.r1) & 15) + 1;
            c.checkRead(a, 8L * n);
            for (int k = 0; k < n; k++) {
                c.gr[(i.r1 + k) & 15] = c.load64((a + 8L * k) & c.amask);
            }
        });
        d.add(0xeb24, "stmg", RSY, (c, i) -> {
            long a = c.ea(i.b2, i.d2);
            int n = ((i.r3 - i.r1) & 15) + 1;
            c.checkWrite(a, 8L * n);
            for (int k = 0; k < n; k++) {
                c.store64((a + 8L * k) & c.amask, c.gr[(i.r1 + k) & 15]);
            }
        });
        Handler lm = (c, i) -> {
            long a = c.ea(i.b2, i.d2);
            int n = ((i.r3 - i.r1) & 15) + 1;
            c.checkRead(a, 4L * n);
            for (int k = 0; k < n; k++) {
                set32(c, (i.r1 + k) & 15, c.load32((a + 4L * k) & c.amask));
            }
        };
        Handler stm = (c, i) -> {
            long a = c.ea(i.b2, i.d2);
            int n = ((i.r3 - i.r1) & 15) + 1;
            c.checkWrite(a, 4L * n);
            for (int k = 0; k < n; k++) {
                c.store32((a + 4L * k) & c.amask, (int) c.gr[(i.r1 + k) & 15]);
            }
        };
        d.add(0x9800, "lm", RS, lm);
        d.add(0xeb98, "lmy", RSY, lm);
        d.add(0x9000, "stm", RS, stm);
        d.add(0xeb90, "stmy", RSY, stm);
        d.add(0xeb96, "lmh", RSY, (c, i) -> {
            long a = c.ea(i.b2, i.d2);
            int n = ((i.r3 - i.r1) & 15) + 1;
            c.checkRead(a, 4L * n);
            for (int k = 0; k < n; k++) {
                int r = (i.r1 + k) & 15;
                c.gr[r] = (c.gr[r] & 0xffffffffL) | ((long) c.load32((a + 4L * k) & c.amask) << 32);
            }
        });
        d.add(0xeb26, "stmh", RSY, (c, i) -> {
            long a = c.ea(i.b2, i.d2);
            int n = ((i.r3 - i.r1) & 15) + 1;
            c.checkWrite(a, 4L * n);
            for (int k = 0; k < n; k++) {
                c.store32((a + 4L * k) & c.amask, (int) (c.gr[(i.r1 + k) & 15] >>> 32));
            }
        });
        // storage immediates
        d.add(0xe544, "mvhhi", SIL, (c, i) -> c.store16(c.ea(i.b1, i.d1), (int) i.i2));
        d.add(0xe54c, "mvhi", SIL, (c, i) -> c.store32(c.ea(i.b1, i.d1), (int) i.i2));
        d.add(0xe548, "mvghi", SIL, (c, i) -> c.store64(c.ea(i.b1, i.d1), i.i2));
        d.add(0x9200, "mvi", SI, (c, i) -> c.store8(c.ea(i.b1, i.d1), (int) i.i2));
        d.add(0xeb52, "mviy", SIY, (c, i) -> c.store8(c.ea(i.b1, i.d1), (int) i.i2));
        // byte reversal
        d.add(0xb90f, "lrvgr", RRE, (c, i) -> c.gr[i.r1] = Long.reverseBytes(c.gr[i.r2]));
        d.add(0xb91f, "lrvr", RRE, (c, i) -> set32(c, i.r1, Integer.reverseBytes((int) c.gr[i.r2])));
        d.add(0xe30f, "lrvg", RXY, (c, i) -> c.gr[i.r1] = Long.reverseBytes(c.load64(c.ea(i))));
        d.add(0xe31e, "lrv", RXY, (c, i) -> set32(c, i.r1, Integer.reverseBytes(c.load32(c.ea(i)))));
        d.add(0xe32f, "strvg", RXY, (c, i) -> c.store64(c.ea(i), Long.reverseBytes(c.gr[i.r1])));
        d.add(0xe33e, "strv", RXY, (c, i) -> c.store32(c.ea(i), Integer.reverseBytes((int) c.gr[i.r1])));
        // load on condition (mask in M3: r3 field of RRF-c / RSY-b, r2 field of RIE-g)
        d.add(0xb9e2, "locgr", RRF, (c, i) -> {
            if ((i.r3 & (8 >>> c.cc)) != 0) {
                c.gr[i.r1] = c.gr[i.r2];
            }
        });
        d.add(0xb9f2, "locr", RRF, (c, i) -> {
            if ((i.r3 & (8 >>> c.cc)) != 0) {
                set32(c, i.r1, c.gr[i.r2]);
            }
        });
        d.add(0xebe2, "locg", RSY, (c, i) -> {
            if ((i.r3 & (8 >>> c.cc)) != 0) {
                c.gr[i.r1] = c.load64(c.ea(i.b2, i.d2));
            }
        });
        d.add(0xebf2, "loc", RSY, (c, i) -> {
            if ((i.r3 & (8 >>> c.cc)) != 0) {
                set32(c, i.r1, c.load32(c.ea(i.b2, i.d2)));
            }
        });
        d.add(0xebe3, "stocg", RSY, (c, i) -> {
            if ((i.r3 & (8 >>> c.cc)) != 0) {
                c.store64(c.ea(i.b2, i.d2), c.gr[i.r1]);
            }
        });
        d.add(0xebf3, "stoc", RSY, (c, i) -> {
            if ((i.r3 & (8 >>> c.cc)) != 0) {
                c.store32(c.ea(i.b2, i.d2), (int) c.gr[i.r1]);
            }
        });
        d.add(0xec46, "locghi", RIE, (c, i) -> {
            if ((i.r2 & (8 >>> c.cc)) != 0) {
                c.gr[i.r1] = i.i2;
            }
        });
        d.add(0xec42, "lochi", RIE, (c, i) -> {
            if ((i.r2 & (8 >>> c.cc)) != 0) {
                set32(c, i.r1, i.i2);
            }
        });
    }

    private static void overflowChecked(Cpu c) {
        if ((c.pswMask & Psw.FIXED_POINT_OVERFLOW_MASK) != 0) {
            throw new ProgramInterruption(ProgramInterruption.FIXED_POINT_OVERFLOW);
        }
    }

    private static void add64(Decoder d, int key, String name, Format f, Src s) {
        d.add(key, name, f, (c, i) -> {
            c.gr[i.r1] = add64(c, c.gr[i.r1], s.get(c, i));
            finish(c);
        });
    }

    private static void add32(Decoder d, int key, String name, Format f, Src s) {
        d.add(key, name, f, (c, i) -> {
            set32(c, i.r1, add32(c, (int) c.gr[i.r1], (int) s.get(c, i)));
            finish(c);
        });
    }

    private static void sub64(Decoder d, int key, String name, Format f, Src s) {
        d.add(key, name, f, (c, i) -> {
            c.gr[i.r1] = sub64(c, c.gr[i.r1], s.get(c, i));
            finish(c);
        });
    }

    private static void sub32(Decoder d, int key, String name, Format f, Src s) {
        d.add(key, name, f, (c, i) -> {
            set32(c, i.r1, sub32(c, (int) c.gr[i.r1], (int) s.get(c, i)));
            finish(c);
        });
    }

    private static void registerArithmetic(Decoder d) {
        d.add(0xa70b, "aghi", RI, Inline.immediate(Ops::aghi, Inline.Operand.R1));
        d.add(0xb908, "agr", RRE, Inline.registers(Ops::agr));
        add64(d, 0xe308, "ag", RXY, M64);
        add64(d, 0xe318, "agf", RXY, M32);
        add64(d, 0xb918, "agfr", RRE, R2_32);
        add64(d, 0xc208, "agfi", RIL, I2);
        d.add(0xa70a, "ahi", RI, Inline.immediate(Ops::ahi, Inline.Operand.R1));
        add32(d, 0x1a00, "ar", RR, R2);
        add32(d, 0x5a00, "a", RX, M32);
        add32(d, 0xe35a, "ay", RXY, M32);
        add32(d, 0x4a00, "ah", RX, M16);
        add32(d, 0xe37a, "ahy", RXY, M16);
        add32(d, 0xc209, "afi", RIL, I2);
        sub64(d, 0xb909, "sgr", RRE, R2);
        sub64(d, 0xe309, "sg", RXY, M64);
        sub64(d, 0xe319, "sgf", RXY, M32);
        sub64(d, 0xb919, "sgfr", RRE, R2_32);
        sub32(d, 0x1b00, "sr", RR, R2);
        sub32(d, 0x5b00, "s", RX, M32);
        sub32(d, 0xe35b, "sy", RXY, M32);
        sub32(d, 0x4b00, "sh", RX, M16);
        sub32(d, 0xe37b, "shy", RXY, M16);
        // distinct-operands forms
        d.add(0xb9e8, "agrk", RRF, (c, i) -> {
            c.gr[i.r1] = add64(c, c.gr[i.r2], c.gr[i.r3]);
            finish(c);
        });
        d.add(0xb9f8, "ark", RRF, (c, i) -> {
            set32(c, i.r1, add32(c, (int) c.gr[i.r2], (int) c.gr[i.r3]));
            finish(c);
        });
        d.add(0xb9e9, "sgrk", RRF, (c, i) -> {
            c.gr[i.r1] = sub64(c, c.gr[i.r2], c.gr[i.r3]);
            finish(c);
        });
        d.add(0xb9f9, "srk", RRF, (c, i) -> {
            set32(c, i.r1, sub32(c, (int) c.gr[i.r2], (int) c.gr[i.r3]));
            finish(c);
        });
        d.add(0xecd9, "aghik", RIE, Inline.immediate(Ops::aghi, Inline.Operand.R3));
        d.add(0xecd8, "ahik", RIE, Inline.immediate(Ops::ahi, Inline.Operand.R3));
        d.add(0xecdb, "alghsik", RIE, (c, i) -> c.gr[i.r1] = i.i2 >= 0
                ? addLogical64(c, c.gr[i.r3], i.i2, 0) : subLogical64(c, c.gr[i.r3], -i.i2, 0));
        d.add(0xecda, "alhsik", RIE, (c, i) -> set32(c, i.r1, i.i2 >= 0
                ? addLogical32(c, c.gr[i.r3], i.i2, 0) : subLogical32(c, c.gr[i.r3], -i.i2, 0)));
        // storage add immediate
        d.add(0xeb7a, "agsi", SIY, (c, i) -> {
            long a = c.ea(i.b1, i.d1);
            c.store64(a, add64(c, c.load64(a), i.i2));
            finish(c);
        });
        d.add(0xeb6a, "asi", SIY, (c, i) -> {
            long a = c.ea(i.b1, i.d1);
            c.store32(a, add32(c, c.load32(a), (int) i.i2));
            finish(c);
        });
        d.add(0xeb7e, "algsi", SIY, (c, i) -> {
            long a = c.ea(i.b1, i.d1);
            c.store64(a, addLogical64(c, c.load64(a), i.i2, 0));
        });
        d.add(0xeb6e, "alsi", SIY, (c, i) -> {
            long a = c.ea(i.b1, i.d1);
            c.store32(a, addLogical32(c, c.load32(a), i.i2, 0));
        });
        // logical add/subtract (carry/borrow)
        d.add(0xb90a, "algr", RRE, (c, i) -> c.gr[i.r1] = addLogical64(c, c.gr[i.r1], c.gr[i.r2], 0));
        d.add(0xe30a, "alg", RXY, (c, i) -> c.gr[i.r1] = addLogical64(c, c.gr[i.r1], c.load64(c.ea(i)), 0));
        d.add(0xb91a, "algfr", RRE, (c, i) -> c.gr[i.r1] = addLogical64(c, c.gr[i.r1], c.gr[i.r2] & 0xffffffffL, 0));
        d.add(0xe31a, "algf", RXY, (c, i) -> c.gr[i.r1] = addLogical64(c, c.gr[i.r1], M32U.get(c, i), 0));
        d.add(0xc20a, "algfi", RIL, (c, i) -> c.gr[i.r1] = addLogical64(c, c.gr[i.r1], i.i2 & 0xffffffffL, 0));
        d.add(0xb9ea, "algrk", RRF, (c, i) -> c.gr[i.r1] = addLogical64(c, c.gr[i.r2], c.gr[i.r3], 0));
        d.add(0x1e00, "alr", RR, (c, i) -> set32(c, i.r1, addLogical32(c, c.gr[i.r1], c.gr[i.r2], 0)));
        d.add(0x5e00, "al", RX, (c, i) -> set32(c, i.r1, addLogical32(c, c.gr[i.r1], c.load32(c.ea(i)), 0)));
        d.add(0xe35e, "aly", RXY, (c, i) -> set32(c, i.r1, addLogical32(c, c.gr[i.r1], c.load32(c.ea(i)), 0)));
        d.add(0xc20b, "alfi", RIL, (c, i) -> set32(c, i.r1, addLogical32(c, c.gr[i.r1], i.i2, 0)));
        d.add(0xb9fa, "alrk", RRF, (c, i) -> set32(c, i.r1, addLogical32(c, c.gr[i.r2], c.gr[i.r3], 0)));
        d.add(0xb988, "alcgr", RRE, (c, i) -> c.gr[i.r1] = addLogical64(c, c.gr[i.r1], c.gr[i.r2], c.cc >>> 1));
        d.add(0xe388, "alcg", RXY, (c, i) -> c.gr[i.r1] = addLogical64(c, c.gr[i.r1], c.load64(c.ea(i)), c.cc >>> 1));
        d.add(0xb998, "alcr", RRE, (c, i) -> set32(c, i.r1, addLogical32(c, c.gr[i.r1], c.gr[i.r2], c.cc >>> 1)));
        d.add(0xe398, "alc", RXY, (c, i) -> set32(c, i.r1, addLogical32(c, c.gr[i.r1], c.load32(c.ea(i)), c.cc >>> 1)));
        d.add(0xb90b, "slgr", RRE, (c, i) -> c.gr[i.r1] = subLogical64(c, c.gr[i.r1], c.gr[i.r2], 0));
        d.add(0xe30b, "slg", RXY, (c, i) -> c.gr[i.r1] = subLogical64(c, c.gr[i.r1], c.load64(c.ea(i)), 0));
        d.add(0xb91b, "slgfr", RRE, (c, i) -> c.gr[i.r1] = subLogical64(c, c.gr[i.r1], c.gr[i.r2] & 0xffffffffL, 0));
        d.add(0xe31b, "slgf", RXY, (c, i) -> c.gr[i.r1] = subLogical64(c, c.gr[i.r1], M32U.get(c, i), 0));
        d.add(0xc204, "slgfi", RIL, (c, i) -> c.gr[i.r1] = subLogical64(c, c.gr[i.r1], i.i2 & 0xffffffffL, 0));
        d.add(0xb9eb, "slgrk", RRF, (c, i) -> c.gr[i.r1] = subLogical64(c, c.gr[i.r2], c.gr[i.r3], 0));
        d.add(0x1f00, "slr", RR, (c, i) -> set32(c, i.r1, subLogical32(c, c.gr[i.r1], c.gr[i.r2], 0)));
        d.add(0x5f00, "sl", RX, (c, i) -> set32(c, i.r1, subLogical32(c, c.gr[i.r1], c.load32(c.ea(i)), 0)));
        d.add(0xe35f, "sly", RXY, (c, i) -> set32(c, i.r1, subLogical32(c, c.gr[i.r1], c.load32(c.ea(i)), 0)));
        d.add(0xc205, "slfi", RIL, (c, i) -> set32(c, i.r1, subLogical32(c, c.gr[i.r1], i.i2, 0)));
        d.add(0xb9fb, "slrk", RRF, (c, i) -> set32(c, i.r1, subLogical32(c, c.gr[i.r2], c.gr[i.r3], 0)));
        d.add(0xb989, "slbgr", RRE, (c, i) -> c.gr[i.r1] = subLogical64(c, c.gr[i.r1], c.gr[i.r2], (c.cc >>> 1) ^ 1));
        d.add(0xe389, "slbg", RXY, (c, i) -> c.gr[i.r1] = subLogical64(c, c.gr[i.r1], c.load64(c.ea(i)), (c.cc >>> 1) ^ 1));
        d.add(0xb999, "slbr", RRE, (c, i) -> set32(c, i.r1, subLogical32(c, c.gr[i.r1], c.gr[i.r2], (c.cc >>> 1) ^ 1)));
        d.add(0xe399, "slb", RXY, (c, i) -> set32(c, i.r1, subLogical32(c, c.gr[i.r1], c.load32(c.ea(i)), (c.cc >>> 1) ^ 1)));
    }

    private static void cmp64(Decoder d, int key, String name, Format f, Src s) {
        d.add(key, name, f, (c, i) -> c.cc = ccCompare(c.gr[i.r1], s.get(c, i)));
    }

    private static void cmp32(Decoder d, int key, String name, Format f, Src s) {
        d.add(key, name, f, (c, i) -> c.cc = ccCompare((int) c.gr[i.r1], (int) s.get(c, i)));
    }

    private static void cmpl64(Decoder d, int key, String name, Format f, Src s) {
        d.add(key, name, f, (c, i) -> c.cc = ccCompareUnsigned(c.gr[i.r1], s.get(c, i)));
    }

    private static void cmpl32(Decoder d, int key, String name, Format f, Src s) {
        d.add(key, name, f, (c, i) -> c.cc = ccCompareUnsigned(c.gr[i.r1] & 0xffffffffL, s.get(c, i) & 0xffffffffL));
    }

    private static void registerCompare(Decoder d) {
        d.add(0xb920, "cgr", RRE, Inline.registers(Ops::cgr));
        cmp64(d, 0xb930, "cgfr", RRE, R2_32);
        cmp64(d, 0xe320, "cg", RXY, M64);
        cmp64(d, 0xe330, "cgf", RXY, M32);
        cmp64(d, 0xe334, "cgh", RXY, M16);
        d.add(0xa70f, "cghi", RI, Inline.immediate(Ops::cghi));
        cmp64(d, 0xc20c, "cgfi", RIL, I2);
        cmp64(d, 0xc608, "cgrl", RIL, REL64);
        cmp64(d, 0xc60c, "cgfrl", RIL, REL32);
        cmp64(d, 0xc604, "cghrl", RIL, REL16);
        cmp32(d, 0x1900, "cr", RR, R2);
        cmp32(d, 0x5900, "c", RX, M32);
        cmp32(d, 0xe359, "cy", RXY, M32);
        cmp32(d, 0x4900, "ch", RX, M16);
        cmp32(d, 0xe379, "chy", RXY, M16);
        d.add(0xa70e, "chi", RI, Inline.immediate(Ops::chi));
        cmp32(d, 0xc20d, "cfi", RIL, I2);
        cmp32(d, 0xc60d, "crl", RIL, REL32);
        cmp32(d, 0xc605, "chrl", RIL, REL16);
        d.add(0xb921, "clgr", RRE, Inline.registers(Ops::clgr));
        cmpl64(d, 0xb931, "clgfr", RRE, R2_32U);
        cmpl64(d, 0xe321, "clg", RXY, M64);
        cmpl64(d, 0xe331, "clgf", RXY, M32U);
        cmpl64(d, 0xc20e, "clgfi", RIL, I2U32);
        cmpl64(d, 0xc60a, "clgrl", RIL, REL64);
        cmpl64(d, 0xc60e, "clgfrl", RIL, REL32U);
        cmpl64(d, 0xc606, "clghrl", RIL, REL16U);
        cmpl32(d, 0x1500, "clr", RR, R2);
        cmpl32(d, 0x5500, "cl", RX, M32);
        cmpl32(d, 0xe355, "cly", RXY, M32);
        cmpl32(d, 0xc20f, "clfi", RIL, I2);
        cmpl32(d, 0xc60f, "clrl", RIL, REL32);
        cmpl32(d, 0xc607, "clhrl", RIL, REL16U);
        // storage-immediate compares (SIL)
        d.add(0xe554, "chhsi", SIL, (c, i) -> c.cc = ccCompare((short) c.load16(c.ea(i.b1, i.d1)), i.i2));
        d.add(0xe55c, "chsi", SIL, (c, i) -> c.cc = ccCompare(c.load32(c.ea(i.b1, i.d1)), i.i2));
        d.add(0xe558, "cghsi", SIL, (c, i) -> c.cc = ccCompare(c.load64(c.ea(i.b1, i.d1)), i.i2));
        d.add(0xe555, "clhhsi", SIL, (c, i) -> c.cc = ccCompare(c.load16(c.ea(i.b1, i.d1)), i.i2 & 0xffff));
        d.add(0xe55d, "clfhsi", SIL, (c, i) -> c.cc = ccCompareUnsigned(c.load32(c.ea(i.b1, i.d1)) & 0xffffffffL, i.i2 & 0xffff));
        d.add(0xe559, "clghsi", SIL, (c, i) -> c.cc = ccCompareUnsigned(c.load64(c.ea(i.b1, i.d1)), i.i2 & 0xffff));
        d.add(0x9500, "cli", SI, (c, i) -> c.cc = ccCompare(c.load8(c.ea(i.b1, i.d1)), i.i2 & 0xff));
        d.add(0xeb55, "cliy", SIY, (c, i) -> c.cc = ccCompare(c.load8(c.ea(i.b1, i.d1)), i.i2 & 0xff));
        // compare and swap
        Handler cs = (c, i) -> {
            long a = c.ea(i.b2, i.d2);
            if ((a & 3) != 0) {
                throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
            }
            int cur = c.compareAndSwap32(a, (int) c.gr[i.r1], (int) c.gr[i.r3]);
            if (cur == (int) c.gr[i.r1]) {
                c.cc = 0;
            } else {
                set32(c, i.r1, cur);
                c.cc = 1;
            }
        };
        d.add(0xba00, "cs", RS, cs);
        d.add(0xeb14, "csy", RSY, cs);
        d.add(0xeb30, "csg", RSY, (c, i) -> {
            long a = c.ea(i.b2, i.d2);
            if ((a & 7) != 0) {
                throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
            }
            long cur = c.compareAndSwap64(a, c.gr[i.r1], c.gr[i.r3]);
            if (cur == c.gr[i.r1]) {
                c.cc = 0;
            } else {
                c.gr[i.r1] = cur;
                c.cc = 1;
            }
        });
        // compare and trap
        d.add(0xb960, "cgrt", RRF, (c, i) -> trap(c, i.r3, ccCompare(c.gr[i.r1], c.gr[i.r2])));
        d.add(0xb972, "crt", RRF, (c, i) -> trap(c, i.r3, ccCompare((int) c.gr[i.r1], (int) c.gr[i.r2])));
        d.add(0xb961, "clgrt", RRF, (c, i) -> trap(c, i.r3, ccCompareUnsigned(c.gr[i.r1], c.gr[i.r2])));
        d.add(0xb973, "clrt", RRF, (c, i) -> trap(c, i.r3, ccCompareUnsigned(c.gr[i.r1] & 0xffffffffL, c.gr[i.r2] & 0xffffffffL)));
        d.add(0xec70, "cgit", RIE, (c, i) -> trap(c, i.m, ccCompare(c.gr[i.r1], i.i2)));
        d.add(0xec72, "cit", RIE, (c, i) -> trap(c, i.m, ccCompare((int) c.gr[i.r1], i.i2)));
        d.add(0xec71, "clgit", RIE, (c, i) -> trap(c, i.m, ccCompareUnsigned(c.gr[i.r1], i.i2 & 0xffff)));
        d.add(0xec73, "clfit", RIE, (c, i) -> trap(c, i.m, ccCompareUnsigned(c.gr[i.r1] & 0xffffffffL, i.i2 & 0xffff)));
    }

    /** COMPARE AND TRAP: a data exception (DXC 0xff) when the mask selects the comparison result. */
    private static void trap(Cpu c, int mask, int result) {
        if ((mask & (8 >>> result)) != 0 && result != 3) {
            c.absStore(c.prefix + Lowcore.DXC, 0xff, 4);
            throw new ProgramInterruption(ProgramInterruption.DATA);
        }
    }

    private static void even(int r) {
        if ((r & 1) != 0) {
            throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
        }
    }

    private static void registerMultiplyDivide(Decoder d) {
        d.add(0xb90c, "msgr", RRE, (c, i) -> c.gr[i.r1] = c.gr[i.r1] * c.gr[i.r2]);
        d.add(0xb91c, "msgfr", RRE, (c, i) -> c.gr[i.r1] = c.gr[i.r1] * (int) c.gr[i.r2]);
        d.add(0xe30c, "msg", RXY, (c, i) -> c.gr[i.r1] = c.gr[i.r1] * c.load64(c.ea(i)));
        d.add(0xe31c, "msgf", RXY, (c, i) -> c.gr[i.r1] = c.gr[i.r1] * c.load32(c.ea(i)));
        d.add(0xa70d, "mghi", RI, (c, i) -> c.gr[i.r1] = c.gr[i.r1] * i.i2);
        d.add(0xc200, "msgfi", RIL, (c, i) -> c.gr[i.r1] = c.gr[i.r1] * i.i2);
        d.add(0xb252, "msr", RRE, (c, i) -> set32(c, i.r1, (int) c.gr[i.r1] * (int) c.gr[i.r2]));
        d.add(0x7100, "ms", RX, (c, i) -> set32(c, i.r1, (int) c.gr[i.r1] * c.load32(c.ea(i))));
        d.add(0xe351, "msy", RXY, (c, i) -> set32(c, i.r1, (int) c.gr[i.r1] * c.load32(c.ea(i))));
        d.add(0xa70c, "mhi", RI, (c, i) -> set32(c, i.r1, (int) c.gr[i.r1] * (int) i.i2));
        d.add(0x4c00, "mh", RX, (c, i) -> set32(c, i.r1, (int) c.gr[i.r1] * (short) c.load16(c.ea(i))));
        d.add(0xc201, "msfi", RIL, (c, i) -> set32(c, i.r1, (int) c.gr[i.r1] * (int) i.i2));
        // 128-bit product into the even/odd pair
        evenPair(d, 0xb986, "mlgr", RRE, R2, FixedPoint::mlg);
        evenPair(d, 0xe386, "mlg", RXY, M64, FixedPoint::mlg);
        evenPair(d, 0xb996, "mlr", RRE, R2_32U, FixedPoint::ml);
        evenPair(d, 0xe396, "ml", RXY, M32U, FixedPoint::ml);
        evenPair(d, 0x1c00, "mr", RR, R2_32, FixedPoint::m);
        evenPair(d, 0x5c00, "m", RX, M32, FixedPoint::m);
        evenPair(d, 0xe35c, "mfy", RXY, M32, FixedPoint::m);
        evenPair(d, 0xb90d, "dsgr", RRE, R2, FixedPoint::dsg);
        evenPair(d, 0xb91d, "dsgfr", RRE, R2_32, FixedPoint::dsg);
        evenPair(d, 0xe30d, "dsg", RXY, M64, FixedPoint::dsg);
        evenPair(d, 0xe31d, "dsgf", RXY, M32, FixedPoint::dsg);
        evenPair(d, 0xb987, "dlgr", RRE, R2, FixedPoint::dlg);
        evenPair(d, 0xe387, "dlg", RXY, M64, FixedPoint::dlg);
        evenPair(d, 0xb997, "dlr", RRE, R2_32U, FixedPoint::dl);
        evenPair(d, 0xe397, "dl", RXY, M32U, FixedPoint::dl);
        evenPair(d, 0x1d00, "dr", RR, R2_32, FixedPoint::dr);
        evenPair(d, 0x5d00, "d", RX, M32, FixedPoint::dr);
    }

    /** An operation on the even/odd pair R1:R1+1 (a specification exception for an odd R1) and an operand. */
    private interface PairOp {
        void apply(Cpu c, Insn i, long operand);
    }

    private static void evenPair(Decoder d, int key, String name, Format f, Src s, PairOp op) {
        d.add(key, name, f, (c, i) -> {
            even(i.r1);
            op.apply(c, i, s.get(c, i));
        });
    }

    /** 128-bit product of R1+1 and the operand into the even/odd pair R1:R1+1. */
    private static void mlg(Cpu c, Insn i, long b) {
        long a = c.gr[i.r1 + 1];
        c.gr[i.r1] = Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
        c.gr[i.r1 + 1] = a * b;
    }

    private static void ml(Cpu c, Insn i, long b) {
        long p = (c.gr[i.r1 + 1] & 0xffffffffL) * b;
        set32(c, i.r1, p >>> 32);
        set32(c, i.r1 + 1, p);
    }

    private static void m(Cpu c, Insn i, long b) {
        long p = (long) (int) c.gr[i.r1 + 1] * b;
        set32(c, i.r1, p >>> 32);
        set32(c, i.r1 + 1, p);
    }

    /** Signed divide, 64-bit dividend in R1+1: remainder to R1, quotient to R1+1. */
    private static void dsg(Cpu c, Insn i, long b) {
        long a = c.gr[i.r1 + 1];
        if (b == 0 || (a == Long.MIN_VALUE && b == -1)) {
            throw new ProgramInterruption(ProgramInterruption.FIXED_POINT_DIVIDE);
        }
        c.gr[i.r1] = a % b;
        c.gr[i.r1 + 1] = a / b;
    }

    /** Logical divide of the 128-bit R1:R1+1 by a 64-bit divisor. */
    private static void dlg(Cpu c, Insn i, long b) {
        long hi = c.gr[i.r1];
        long lo = c.gr[i.r1 + 1];
        if (b == 0 || Long.compareUnsigned(hi, b) >= 0) {
            throw new ProgramInterruption(ProgramInterruption.FIXED_POINT_DIVIDE);
        }
        long[] qr = divideUnsigned128(hi, lo, b);
        c.gr[i.r1] = qr[1];
        c.gr[i.r1 + 1] = qr[0];
    }

    private static void dl(Cpu c, Insn i, long b) {
        long a = (c.gr[i.r1] << 32) | (c.gr[i.r1 + 1] & 0xffffffffL);
        if (b == 0 || Long.compareUnsigned(Long.divideUnsigned(a, b), 0xffffffffL) > 0) {
            throw new ProgramInterruption(ProgramInterruption.FIXED_POINT_DIVIDE);
        }
        set32(c, i.r1, Long.remainderUnsigned(a, b));
        set32(c, i.r1 + 1, Long.divideUnsigned(a, b));
    }

    private static void dr(Cpu c, Insn i, long b) {
        long a = (c.gr[i.r1] << 32) | (c.gr[i.r1 + 1] & 0xffffffffL);
        if (b == 0) {
            throw new ProgramInterruption(ProgramInterruption.FIXED_POINT_DIVIDE);
        }
        long q = a / b;
        if (q != (int) q) {
            throw new ProgramInterruption(ProgramInterruption.FIXED_POINT_DIVIDE);
        }
        set32(c, i.r1, a % b);
        set32(c, i.r1 + 1, q);
    }

    /** (hi:lo) / d for hi < d (unsigned): returns {quotient, remainder}. */
    static long[] divideUnsigned128(long hi, long lo, long d) {
        java.math.BigInteger n = new java.math.BigInteger(1, toBytes(hi, lo));
        java.math.BigInteger[] qr = n.divideAndRemainder(new java.math.BigInteger(Long.toUnsignedString(d)));
        return new long[] {qr[0].longValue(), qr[1].longValue()};
    }

    private static byte[] toBytes(long hi, long lo) {
        byte[] b = new byte[16];
        for (int k = 0; k < 8; k++) {
            b[k] = (byte) (hi >>> (56 - 8 * k));
            b[8 + k] = (byte) (lo >>> (56 - 8 * k));
        }
        return b;
    }
}
