package org.pvsim.machine.cpu;

import static org.pvsim.machine.cpu.FixedPoint.ccCompareUnsigned;
import static org.pvsim.machine.cpu.FixedPoint.set32;
import static org.pvsim.machine.cpu.Attribute.BRANCHES;
import static org.pvsim.machine.cpu.Attribute.PRIVILEGED;
import static org.pvsim.machine.cpu.Format.*;

import org.pvsim.machine.Lowcore;
import org.pvsim.machine.ProgramInterruption;

/**
 * Instructions of the facilities the CPU reports beyond the base: interlocked access 1 and high word
 * (both in facility 45), load/store-on-condition 2 and load-and-zero-rightmost-byte (53), the
 * miscellaneous-instruction extensions (49: load and trap, compare logical and trap, NIAI, branch
 * prediction preload), prefetch (34), and access-register moves.
 */
final class Extensions {
    private Extensions() {
    }

    interface Op {
        long apply(long a, long b);
    }

    /** LOAD AND ADD/AND/OR/EXCLUSIVE OR: old value to R1, result (R3 op old) to storage, cc from result. */
    private static void interlocked(Decoder d, int key, String name, boolean wide, Op op, boolean logicalAdd, boolean arithmetic) {
        d.add(key, name, RSY, (c, i) -> {
            long a = c.ea(i.b2, i.d2);
            if ((a & (wide ? 7 : 3)) != 0) {
                throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
            }
            c.checkWrite(a, wide ? 8 : 4);
            long r3 = wide ? c.gr[i.r3] : (int) c.gr[i.r3];
            long old;
            long res;
            do { // the fetch and the store are one interlocked update: retried if another CPU stored between
                old = wide ? c.load64(a) : c.load32(a);
                c.overflowPending = false; // only the attempt that stores may report an overflow
                if (arithmetic) {
                    res = wide ? FixedPoint.add64(c, old, r3) : FixedPoint.add32(c, (int) old, (int) r3);
                } else if (logicalAdd) {
                    res = wide ? FixedPoint.addLogical64(c, old, r3, 0) : FixedPoint.addLogical32(c, old, r3, 0);
                } else {
                    res = op.apply(old, r3);
                    c.cc = (wide ? res : (int) res) == 0 ? 0 : 1;
                }
            } while (wide ? c.compareAndSwap64(a, old, res) != old : c.compareAndSwap32(a, (int) old, (int) res) != (int) old);
            if (wide) {
                c.gr[i.r1] = old;
            } else {
                set32(c, i.r1, old);
            }
            FixedPoint.finish(c);
        });
    }

    private static void trapIfZero(Cpu c, long v) {
        if (v == 0) {
            c.absStore(c.prefix + Lowcore.DXC, 0xff, 4);
            throw new ProgramInterruption(ProgramInterruption.DATA);
        }
    }

    static void register(Decoder d) {
        registerMore(d);
        interlocked(d, 0xebf8, "laa", false, null, false, true);
        interlocked(d, 0xebe8, "laag", true, null, false, true);
        interlocked(d, 0xebfa, "laal", false, null, true, false);
        interlocked(d, 0xebea, "laalg", true, null, true, false);
        interlocked(d, 0xebf4, "lan", false, (a, b) -> a & b, false, false);
        interlocked(d, 0xebe4, "lang", true, (a, b) -> a & b, false, false);
        interlocked(d, 0xebf6, "lao", false, (a, b) -> a | b, false, false);
        interlocked(d, 0xebe6, "laog", true, (a, b) -> a | b, false, false);
        interlocked(d, 0xebf7, "lax", false, (a, b) -> a ^ b, false, false);
        interlocked(d, 0xebe7, "laxg", true, (a, b) -> a ^ b, false, false);

        // high word: bits 0-31 of a general register
        d.add(0xe3ca, "lfh", RXY, (c, i) -> c.gr[i.r1] = (c.gr[i.r1] & 0xffffffffL) | ((long) c.load32(c.ea(i)) << 32));
        d.add(0xe3cb, "stfh", RXY, (c, i) -> c.store32(c.ea(i), (int) (c.gr[i.r1] >>> 32)));
        d.add(0xcc08, "aih", RIL, (c, i) -> {
            int v = FixedPoint.add32(c, (int) (c.gr[i.r1] >>> 32), (int) i.i2);
            c.gr[i.r1] = (c.gr[i.r1] & 0xffffffffL) | ((long) v << 32);
            FixedPoint.finish(c);
        });
        d.add(0xcc06, "brcth", RIL, (c, i) -> {
            int v = (int) (c.gr[i.r1] >>> 32) - 1;
            c.gr[i.r1] = (c.gr[i.r1] & 0xffffffffL) | ((long) v << 32);
            if (v != 0) {
                c.ia = Branch.target(c, i);
            }
        }, BRANCHES);
        d.add(0xec5d, "risbhg", RIE, (c, i) -> {
            long mask = Logical.bitRange(i.i3 & 31, i.i4 & 31);
            long rot = Long.rotateLeft(c.gr[i.r2], i.i5 & 63);
            long keep = (i.i4 & 0x80) != 0 ? c.gr[i.r1] & 0xffffffffL : c.gr[i.r1] & ~mask;
            c.gr[i.r1] = keep | (rot & mask);
        });
        d.add(0xec51, "risblg", RIE, (c, i) -> {
            long mask = Logical.bitRange(32 + (i.i3 & 31), 32 + (i.i4 & 31));
            long rot = Long.rotateLeft(c.gr[i.r2], i.i5 & 63);
            long keep = (i.i4 & 0x80) != 0 ? c.gr[i.r1] & 0xffffffff00000000L : c.gr[i.r1] & ~mask;
            c.gr[i.r1] = keep | (rot & mask);
        });
        d.add(0xb9e0, "locfhr", RRF, (c, i) -> {
            if ((i.r3 & (8 >>> c.cc)) != 0) {
                c.gr[i.r1] = (c.gr[i.r1] & 0xffffffffL) | (c.gr[i.r2] & 0xffffffff00000000L);
            }
        });
        d.add(0xebe0, "locfh", RSY, (c, i) -> {
            if ((i.r3 & (8 >>> c.cc)) != 0) {
                c.gr[i.r1] = (c.gr[i.r1] & 0xffffffffL) | ((long) c.load32(c.ea(i.b2, i.d2)) << 32);
            }
        });
        d.add(0xebe1, "stocfh", RSY, (c, i) -> {
            if ((i.r3 & (8 >>> c.cc)) != 0) {
                c.store32(c.ea(i.b2, i.d2), (int) (c.gr[i.r1] >>> 32));
            }
        });
        d.add(0xec4e, "lochhi", RIE, (c, i) -> {
            if ((i.r2 & (8 >>> c.cc)) != 0) {
                c.gr[i.r1] = (c.gr[i.r1] & 0xffffffffL) | (i.i2 << 32);
            }
        });
        // load and zero rightmost byte
        d.add(0xe32a, "lzrg", RXY, (c, i) -> c.gr[i.r1] = c.load64(c.ea(i)) & ~0xffL);
        d.add(0xe33b, "lzrf", RXY, (c, i) -> set32(c, i.r1, c.load32(c.ea(i)) & ~0xff));
        d.add(0xe33a, "llzrgf", RXY, (c, i) -> c.gr[i.r1] = c.load32(c.ea(i)) & 0xffffff00L);
        // load and trap
        d.add(0xe385, "lgat", RXY, (c, i) -> {
            long v = c.load64(c.ea(i));
            c.gr[i.r1] = v;
            trapIfZero(c, v);
        });
        d.add(0xe39f, "lat", RXY, (c, i) -> {
            int v = c.load32(c.ea(i));
            set32(c, i.r1, v);
            trapIfZero(c, v);
        });
        d.add(0xe39d, "llgfat", RXY, (c, i) -> {
            long v = c.load32(c.ea(i)) & 0xffffffffL;
            c.gr[i.r1] = v;
            trapIfZero(c, v);
        });
        d.add(0xe39c, "llgtat", RXY, (c, i) -> {
            long v = c.load32(c.ea(i)) & 0x7fffffffL;
            c.gr[i.r1] = v;
            trapIfZero(c, v);
        });
        d.add(0xeb2b, "clgt", RSY, (c, i) -> trap(c, i.r3, ccCompareUnsigned(c.gr[i.r1], c.load64(c.ea(i.b2, i.d2)))));
        d.add(0xeb23, "clt", RSY, (c, i) -> trap(c, i.r3,
                ccCompareUnsigned(c.gr[i.r1] & 0xffffffffL, c.load32(c.ea(i.b2, i.d2)) & 0xffffffffL)));
        // hints: no architected effect
        d.add(0xb2fa, "niai", RRE, (c, i) -> { });
        d.add(0xc700, "bpp", SS, (c, i) -> { });
        d.add(0xc500, "bprp", SS, (c, i) -> { });
        d.add(0xe336, "pfd", RXY, (c, i) -> { });
        d.add(0xc602, "pfdrl", RIL, (c, i) -> { });
        // access registers
        d.add(0xb24e, "sar", RRE, (c, i) -> c.ar[i.r1] = (int) c.gr[i.r2]);
        d.add(0xb24f, "ear", RRE, (c, i) -> set32(c, i.r1, c.ar[i.r2]));
        d.add(0xb24d, "cpya", RRE, (c, i) -> c.ar[i.r1] = c.ar[i.r2]);
        Handler lam = (c, i) -> {
            long a = c.ea(i.b2, i.d2);
            if ((a & 3) != 0) {
                throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
            }
            int n = ((i.r3 - i.r1) & 15) + 1;
            c.checkRead(a, 4L * n);
            for (int k = 0; k < n; k++) {
                c.ar[(i.r1 + k) & 15] = c.load32((a + 4L * k) & c.amask);
            }
        };
        Handler stam = (c, i) -> {
            long a = c.ea(i.b2, i.d2);
            if ((a & 3) != 0) {
                throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
            }
            int n = ((i.r3 - i.r1) & 15) + 1;
            c.checkWrite(a, 4L * n);
            for (int k = 0; k < n; k++) {
                c.store32((a + 4L * k) & c.amask, c.ar[(i.r1 + k) & 15]);
            }
        };
        d.add(0x9a00, "lam", RS, lam);
        d.add(0xeb9a, "lamy", RSY, lam);
        d.add(0x9b00, "stam", RS, stam);
        d.add(0xeb9b, "stamy", RSY, stam);
        // supervisor helpers a small kernel uses
        d.addControl(0xb20d, "ptlb", S, (c, i) -> c.flushTlb(), PRIVILEGED);
        d.addControl(0xe501, "tprot", SSE, (c, i) -> c.cc = DatInstructions.testProtection(c,
                c.ea(i.b1, i.d1), (int) (c.ea(i.b2, i.d2) >>> 4) & 0xf), PRIVILEGED);
    }

    /** COMPARE DOUBLE AND SWAP: R1:R1+1 against the double-size operand; R3:R3+1 stored when equal. */
    private static void compareDoubleAndSwap(Cpu c, Insn i, boolean wide) {
        Logical.Fixed.even(i.r1);
        Logical.Fixed.even(i.r3);
        long a = c.ea(i.b2, i.d2);
        int size = wide ? 16 : 8;
        if ((a & (size - 1)) != 0) {
            throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
        }
        c.checkWrite(a, size);
        if (wide) {
            // no 128-bit compare-and-exchange in the JVM: CDSG is interlocked against other CDSGs only
            synchronized (QUADWORD_LOCK) {
                long hi = c.load64(a);
                long lo = c.load64((a + 8) & c.amask);
                if (hi == c.gr[i.r1] && lo == c.gr[i.r1 + 1]) {
                    c.store64(a, c.gr[i.r3]);
                    c.store64((a + 8) & c.amask, c.gr[i.r3 + 1]);
                    c.cc = 0;
                } else {
                    c.gr[i.r1] = hi;
                    c.gr[i.r1 + 1] = lo;
                    c.cc = 1;
                }
            }
        } else {
            long expected = c.gr[i.r1] << 32 | c.gr[i.r1 + 1] & 0xffffffffL;
            long cur = c.compareAndSwap64(a, expected, c.gr[i.r3] << 32 | c.gr[i.r3 + 1] & 0xffffffffL);
            if (cur == expected) {
                c.cc = 0;
            } else {
                set32(c, i.r1, cur >>> 32);
                set32(c, i.r1 + 1, (int) cur);
                c.cc = 1;
            }
        }
    }

    private static final Object QUADWORD_LOCK = new Object();

    private static void registerMore(Decoder d) {
        d.add(0xbb00, "cds", RS, (c, i) -> compareDoubleAndSwap(c, i, false));
        d.add(0xeb31, "cdsy", RSY, (c, i) -> compareDoubleAndSwap(c, i, false));
        d.add(0xeb3e, "cdsg", RSY, (c, i) -> compareDoubleAndSwap(c, i, true));
        d.add(0x9300, "ts", S, (c, i) -> {
            // the byte is set within an interlocked update of its aligned word (as spinlocks on other CPUs need)
            long a = c.ea(i.b2, i.d2);
            long word = a & ~3L;
            int shift = 8 * (3 - (int) (a & 3));
            int w;
            do {
                w = c.load32(word);
            } while (c.compareAndSwap32(word, w, w | 0xff << shift) != w);
            c.cc = (w >>> shift & 0x80) != 0 ? 1 : 0;
        });
        d.add(0xe38f, "lpq", RXY, (c, i) -> {
            Logical.Fixed.even(i.r1);
            long a = c.ea(i);
            if ((a & 15) != 0) {
                throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
            }
            c.checkRead(a, 16);
            c.gr[i.r1] = c.load64(a);
            c.gr[i.r1 + 1] = c.load64((a + 8) & c.amask);
        });
        d.add(0xe38e, "stpq", RXY, (c, i) -> {
            Logical.Fixed.even(i.r1);
            long a = c.ea(i);
            if ((a & 15) != 0) {
                throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
            }
            c.checkWrite(a, 16);
            c.store64(a, c.gr[i.r1]);
            c.store64((a + 8) & c.amask, c.gr[i.r1 + 1]);
        });
        d.add(0xe31f, "lrvh", RXY, (c, i) -> c.gr[i.r1] = (c.gr[i.r1] & ~0xffffL)
                | (Integer.reverseBytes(c.load16(c.ea(i))) >>> 16));
        d.add(0xe33f, "strvh", RXY, (c, i) -> c.store16(c.ea(i), Integer.reverseBytes((int) c.gr[i.r1]) >>> 16));
        d.add(0xe37c, "mhy", RXY, (c, i) -> set32(c, i.r1, (int) c.gr[i.r1] * (short) c.load16(c.ea(i))));
        d.add(0xeb20, "clmh", RSY, (c, i) -> {
            long a = c.ea(i.b2, i.d2);
            int result = 0;
            int k = 0;
            for (int b = 0; b < 4; b++) {
                if ((i.r3 & (8 >>> b)) != 0) {
                    int reg = (int) (c.gr[i.r1] >>> (56 - 8 * b)) & 0xff;
                    int mem = c.load8((a + k++) & c.amask);
                    if (reg != mem && result == 0) {
                        result = reg < mem ? 1 : 2;
                    }
                }
            }
            c.cc = result;
        });
        // branch relative on index, 64-bit (RIE-e: R1, R3, RI2)
        d.add(0xec44, "brxhg", RIE, (c, i) -> {
            long inc = c.gr[i.r3];
            long cmp = c.gr[i.r3 | 1];
            long v = c.gr[i.r1] += inc;
            if (v > cmp) {
                c.ia = Branch.target(c, i);
            }
        }, BRANCHES);
        d.add(0xec45, "brxlg", RIE, (c, i) -> {
            long inc = c.gr[i.r3];
            long cmp = c.gr[i.r3 | 1];
            long v = c.gr[i.r1] += inc;
            if (v <= cmp) {
                c.ia = Branch.target(c, i);
            }
        }, BRANCHES);
        // compare (immediate) and branch to B4+D4: RRS (M3 in bits 32-35) and RIS (M3 in bits 12-15, I2 in 32-39)
        d.add(0xecf7, "clrb", RRS, (c, i) -> {
            if ((i.i3 & (8 >>> ccCompareUnsigned(c.gr[i.r1] & 0xffffffffL, c.gr[i.r2] & 0xffffffffL))) != 0) {
                c.branchTo(c.ea(i.b2, i.d2));
            }
        }, BRANCHES);
        d.add(0xece5, "clgrb", RRS, (c, i) -> {
            if ((i.i3 & (8 >>> ccCompareUnsigned(c.gr[i.r1], c.gr[i.r2]))) != 0) {
                c.branchTo(c.ea(i.b2, i.d2));
            }
        }, BRANCHES);
        d.add(0xecfe, "cib", RIS, (c, i) -> {
            if ((i.m & (8 >>> FixedPoint.ccCompare((int) c.gr[i.r1], i.i2))) != 0) {
                c.branchTo(c.ea(i.b2, i.d2));
            }
        }, BRANCHES);
        d.add(0xecfc, "cgib", RIS, (c, i) -> {
            if ((i.m & (8 >>> FixedPoint.ccCompare(c.gr[i.r1], i.i2))) != 0) {
                c.branchTo(c.ea(i.b2, i.d2));
            }
        }, BRANCHES);
        d.add(0xecff, "clib", RIS, (c, i) -> {
            if ((i.m & (8 >>> ccCompareUnsigned(c.gr[i.r1] & 0xffffffffL, i.i2 & 0xff))) != 0) {
                c.branchTo(c.ea(i.b2, i.d2));
            }
        }, BRANCHES);
        d.add(0xecfd, "clgib", RIS, (c, i) -> {
            if ((i.m & (8 >>> ccCompareUnsigned(c.gr[i.r1], i.i2 & 0xff))) != 0) {
                c.branchTo(c.ea(i.b2, i.d2));
            }
        }, BRANCHES);
        // TRANSLATE AND TEST: first nonzero function byte ends it (cc 1, or 2 on the last byte)
        d.add(0xdd00, "trt", SS, (c, i) -> {
            int len = (int) i.i2 + 1;
            long a1 = c.ea(i.b1, i.d1);
            long a2 = c.ea(i.b2, i.d2);
            for (int k = 0; k < len; k++) {
                long p = (a1 + k) & c.amask;
                int f = c.load8((a2 + c.load8(p)) & c.amask);
                if (f != 0) {
                    FixedPoint.setAddress(c, 1, p);
                    c.gr[2] = (c.gr[2] & ~0xffL) | f;
                    c.cc = k == len - 1 ? 2 : 1;
                    return;
                }
            }
            c.cc = 0;
        });
        d.add(0xe800, "mvcin", SS, (c, i) -> {
            int len = (int) i.i2 + 1;
            long a1 = c.ea(i.b1, i.d1);
            long a2 = c.ea(i.b2, i.d2); // the rightmost byte of the source
            c.checkRead((a2 - len + 1) & c.amask, len);
            c.checkWrite(a1, len);
            for (int k = 0; k < len; k++) {
                c.store8((a1 + k) & c.amask, c.load8((a2 - k) & c.amask));
            }
        });
        // PSW key (no storage keys are modelled, but the key field is kept)
        d.addControl(0xb20b, "ipk", S, (c, i) -> c.gr[2] = (c.gr[2] & ~0xffL) | ((c.pswMask & Psw.KEY) >>> 48));
        d.addControl(0xb20a, "spka", S, (c, i) -> {
            long key = (c.ea(i.b2, i.d2) >>> 4) & 0xf;
            c.pswMask = (c.pswMask & ~Psw.KEY) | key << 52;
            c.flushTlb(); // key-controlled protection was checked with the old key
        });
    }

    private static void trap(Cpu c, int mask, int result) {
        if ((mask & (8 >>> result)) != 0) {
            c.absStore(c.prefix + Lowcore.DXC, 0xff, 4);
            throw new ProgramInterruption(ProgramInterruption.DATA);
        }
    }
}
