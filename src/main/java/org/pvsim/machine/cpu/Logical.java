package org.pvsim.machine.cpu;

import static org.pvsim.machine.cpu.FixedPoint.set32;
import static org.pvsim.machine.cpu.Format.*;

import org.pvsim.machine.ProgramInterruption;

/** Boolean operations, immediates on register halves, shifts, rotates (RISBG family), TM and ICM. */
final class Logical {
    private Logical() {
    }

    static int ccZero(long v) {
        return v == 0 ? 0 : 1;
    }

    /** Mask of bits start..end (0 = leftmost), wrapping around when start > end. */
    static long bitRange(int start, int end) {
        long left = -1L >>> start;
        long right = -1L << (63 - end);
        return start <= end ? left & right : left | right;
    }

    interface Op {
        long apply(long a, long b);
    }

    private static final Op AND = (a, b) -> a & b;
    private static final Op OR = (a, b) -> a | b;
    private static final Op XOR = (a, b) -> a ^ b;

    private static void rr64(Decoder d, int key, String name, Op op) {
        d.add(key, name, RRE, (c, i) -> c.cc = ccZero(c.gr[i.r1] = op.apply(c.gr[i.r1], c.gr[i.r2])));
    }

    private static void rrk64(Decoder d, int key, String name, Op op) {
        d.add(key, name, RRF, (c, i) -> c.cc = ccZero(c.gr[i.r1] = op.apply(c.gr[i.r2], c.gr[i.r3])));
    }

    private static void rx64(Decoder d, int key, String name, Op op) {
        d.add(key, name, RXY, (c, i) -> c.cc = ccZero(c.gr[i.r1] = op.apply(c.gr[i.r1], c.load64(c.ea(i)))));
    }

    private static void rr32(Decoder d, int key, String name, Format f, Op op) {
        d.add(key, name, f, (c, i) -> {
            int v = (int) op.apply(c.gr[i.r1], c.gr[i.r2]);
            set32(c, i.r1, v);
            c.cc = ccZero(v);
        });
    }

    private static void rrk32(Decoder d, int key, String name, Op op) {
        d.add(key, name, RRF, (c, i) -> {
            int v = (int) op.apply(c.gr[i.r2], c.gr[i.r3]);
            set32(c, i.r1, v);
            c.cc = ccZero(v);
        });
    }

    private static void rx32(Decoder d, int key, String name, Format f, Op op) {
        d.add(key, name, f, (c, i) -> {
            int v = (int) op.apply(c.gr[i.r1], c.load32(c.ea(i)));
            set32(c, i.r1, v);
            c.cc = ccZero(v);
        });
    }

    /** Immediate on a 16-bit (shift 0/16/32/48) or 32-bit field of R1; cc from that field. */
    private static void imm(Decoder d, int key, String name, Format f, Op op, int shift, int bits) {
        long fieldMask = (bits == 64 ? -1L : (1L << bits) - 1) << shift;
        d.add(key, name, f, (c, i) -> {
            long imm = (i.i2 << shift) & fieldMask;
            long v = op.apply(c.gr[i.r1], imm | ~fieldMask);
            if (op == OR || op == XOR) {
                v = op.apply(c.gr[i.r1], imm);
            }
            c.gr[i.r1] = v;
            c.cc = ccZero(v & fieldMask);
        });
    }

    private static void storageImm(Decoder d, int key, String name, Format f, Op op) {
        d.add(key, name, f, (c, i) -> {
            long a = c.ea(i.b1, i.d1);
            int v = (int) op.apply(c.load8(a), i.i2 & 0xff) & 0xff;
            c.store8(a, v);
            c.cc = ccZero(v);
        });
    }

    /** TEST UNDER MASK on selected bits: 0 all zero, 1 mixed (leftmost selected zero), 2 mixed (one), 3 ones. */
    static int testUnderMask(long value, long mask) {
        long sel = value & mask;
        if (mask == 0 || sel == 0) {
            return 0;
        }
        if (sel == mask) {
            return 3;
        }
        long leftmost = Long.highestOneBit(mask);
        return (sel & leftmost) != 0 ? 2 : 1;
    }

    /** TM/TMY on a storage byte: 0 all zero (or mask zero), 1 mixed, 3 all ones; never 2. */
    static int testUnderMaskStorage(int value, int mask) {
        int sel = value & mask;
        return mask == 0 || sel == 0 ? 0 : sel == mask ? 3 : 1;
    }

    static void register(Decoder d) {
        rr64(d, 0xb980, "ngr", AND);
        rr64(d, 0xb981, "ogr", OR);
        rr64(d, 0xb982, "xgr", XOR);
        rrk64(d, 0xb9e4, "ngrk", AND);
        rrk64(d, 0xb9e6, "ogrk", OR);
        rrk64(d, 0xb9e7, "xgrk", XOR);
        rx64(d, 0xe380, "ng", AND);
        rx64(d, 0xe381, "og", OR);
        rx64(d, 0xe382, "xg", XOR);
        d.add(0x1400, "nr", RR, Inline.registers(Ops::nr));
        rr32(d, 0x1600, "or", RR, OR);
        d.add(0x1700, "xr", RR, Inline.registers(Ops::xr));
        rrk32(d, 0xb9f4, "nrk", AND);
        rrk32(d, 0xb9f6, "ork", OR);
        rrk32(d, 0xb9f7, "xrk", XOR);
        rx32(d, 0x5400, "n", RX, AND);
        rx32(d, 0x5600, "o", RX, OR);
        rx32(d, 0x5700, "x", RX, XOR);
        rx32(d, 0xe354, "ny", RXY, AND);
        rx32(d, 0xe356, "oy", RXY, OR);
        rx32(d, 0xe357, "xy", RXY, XOR);
        // immediates on halfwords (A5x) and words (C0x)
        String[] halves = {"hh", "hl", "lh", "ll"};
        for (int h = 0; h < 4; h++) {
            int shift = 48 - 16 * h;
            imm(d, 0xa504 + h, "ni" + halves[h], RI, AND, shift, 16);
            imm(d, 0xa508 + h, "oi" + halves[h], RI, OR, shift, 16);
            final int sh = shift;
            d.add(0xa500 + h, "ii" + halves[h], RI, (c, i) ->
                    c.gr[i.r1] = (c.gr[i.r1] & ~(0xffffL << sh)) | ((i.i2 & 0xffff) << sh));
            d.add(0xa50c + h, "lli" + halves[h], RI, (c, i) -> c.gr[i.r1] = (i.i2 & 0xffff) << sh);
        }
        imm(d, 0xc00a, "nihf", RIL, AND, 32, 32);
        imm(d, 0xc00b, "nilf", RIL, AND, 0, 32);
        imm(d, 0xc00c, "oihf", RIL, OR, 32, 32);
        imm(d, 0xc00d, "oilf", RIL, OR, 0, 32);
        imm(d, 0xc006, "xihf", RIL, XOR, 32, 32);
        imm(d, 0xc007, "xilf", RIL, XOR, 0, 32);
        d.add(0xc008, "iihf", RIL, (c, i) -> c.gr[i.r1] = (c.gr[i.r1] & 0xffffffffL) | (i.i2 << 32));
        d.add(0xc00e, "llihf", RIL, (c, i) -> c.gr[i.r1] = (i.i2 & 0xffffffffL) << 32);
        d.add(0xc00f, "llilf", RIL, (c, i) -> c.gr[i.r1] = i.i2 & 0xffffffffL);
        // storage immediates
        storageImm(d, 0x9400, "ni", SI, AND);
        storageImm(d, 0x9600, "oi", SI, OR);
        storageImm(d, 0x9700, "xi", SI, XOR);
        storageImm(d, 0xeb54, "niy", SIY, AND);
        storageImm(d, 0xeb56, "oiy", SIY, OR);
        storageImm(d, 0xeb57, "xiy", SIY, XOR);
        d.add(0x9100, "tm", SI, (c, i) -> c.cc = testUnderMaskStorage(c.load8(c.ea(i.b1, i.d1)), (int) i.i2 & 0xff));
        d.add(0xeb51, "tmy", SIY, (c, i) -> c.cc = testUnderMaskStorage(c.load8(c.ea(i.b1, i.d1)), (int) i.i2 & 0xff));
        for (int h = 0; h < 4; h++) {
            int shift = 48 - 16 * h;
            d.add(0xa702 + (h == 0 ? 0 : h == 1 ? 1 : h == 2 ? -2 : -1), "tm" + halves[h], RI, (c, i) ->
                    c.cc = testUnderMask((c.gr[i.r1] >>> shift) & 0xffff, i.i2 & 0xffff));
        }
        registerShifts(d);
        registerRotateInsert(d);
        registerInsertCharacters(d);
        d.add(0xb983, "flogr", RRE, (c, i) -> {
            Fixed.even(i.r1);
            long v = c.gr[i.r2];
            if (v == 0) {
                c.gr[i.r1] = 64;
                c.gr[i.r1 + 1] = 0;
                c.cc = 0;
            } else {
                int n = Long.numberOfLeadingZeros(v);
                c.gr[i.r1] = n;
                c.gr[i.r1 + 1] = v & ~(Long.MIN_VALUE >>> n);
                c.cc = 2;
            }
        });
        d.add(0xb9e1, "popcnt", RRF, (c, i) -> {
            long v = c.gr[i.r2];
            long r = 0;
            for (int k = 0; k < 8; k++) {
                r |= (long) Long.bitCount((v >>> (8 * k)) & 0xff) << (8 * k);
            }
            c.gr[i.r1] = r;
            c.cc = ccZero(v);
        });
    }

    private static int shiftAmount(Cpu c, Insn i) {
        return (int) c.ea(i.b2, i.d2) & 63;
    }

    private static void registerShifts(Decoder d) {
        d.add(0xeb0d, "sllg", RSY, Inline.shift(Ops::sllg));
        d.add(0xeb0c, "srlg", RSY, Inline.shift(Ops::srlg));
        d.add(0xeb0a, "srag", RSY, (c, i) -> c.cc = FixedPoint.ccSigned(c.gr[i.r1] = c.gr[i.r3] >> shiftAmount(c, i)));
        d.add(0xeb0b, "slag", RSY, (c, i) -> c.gr[i.r1] = shiftLeftArithmetic64(c, c.gr[i.r3], shiftAmount(c, i)));
        d.add(0xeb1c, "rllg", RSY, (c, i) -> c.gr[i.r1] = Long.rotateLeft(c.gr[i.r3], shiftAmount(c, i)));
        d.add(0xeb1d, "rll", RSY, (c, i) -> set32(c, i.r1, Integer.rotateLeft((int) c.gr[i.r3], shiftAmount(c, i))));
        d.add(0x8900, "sll", RS, (c, i) -> set32(c, i.r1, shiftAmount(c, i) > 31 ? 0 : (int) c.gr[i.r1] << shiftAmount(c, i)));
        d.add(0x8800, "srl", RS, (c, i) -> set32(c, i.r1, shiftAmount(c, i) > 31 ? 0 : (int) c.gr[i.r1] >>> shiftAmount(c, i)));
        d.add(0x8a00, "sra", RS, (c, i) -> {
            int v = (int) c.gr[i.r1] >> Math.min(31, shiftAmount(c, i));
            set32(c, i.r1, v);
            c.cc = FixedPoint.ccSigned(v);
        });
        d.add(0x8b00, "sla", RS, (c, i) -> set32(c, i.r1, shiftLeftArithmetic32(c, (int) c.gr[i.r1], shiftAmount(c, i))));
        d.add(0xebdf, "sllk", RSY, (c, i) -> set32(c, i.r1, shiftAmount(c, i) > 31 ? 0 : (int) c.gr[i.r3] << shiftAmount(c, i)));
        d.add(0xebde, "srlk", RSY, (c, i) -> set32(c, i.r1, shiftAmount(c, i) > 31 ? 0 : (int) c.gr[i.r3] >>> shiftAmount(c, i)));
        d.add(0xebdc, "srak", RSY, (c, i) -> {
            int v = (int) c.gr[i.r3] >> Math.min(31, shiftAmount(c, i));
            set32(c, i.r1, v);
            c.cc = FixedPoint.ccSigned(v);
        });
        d.add(0xebdd, "slak", RSY, (c, i) -> set32(c, i.r1, shiftLeftArithmetic32(c, (int) c.gr[i.r3], shiftAmount(c, i))));
        // double shifts of the even/odd pair
        d.add(0x8d00, "sldl", RS, (c, i) -> {
            Fixed.even(i.r1);
            long v = pair(c, i.r1) << shiftAmount(c, i);
            setPair(c, i.r1, v);
        });
        d.add(0x8c00, "srdl", RS, (c, i) -> {
            Fixed.even(i.r1);
            setPair(c, i.r1, pair(c, i.r1) >>> shiftAmount(c, i));
        });
        d.add(0x8e00, "srda", RS, (c, i) -> {
            Fixed.even(i.r1);
            long v = pair(c, i.r1) >> shiftAmount(c, i);
            setPair(c, i.r1, v);
            c.cc = FixedPoint.ccSigned(v);
        });
        d.add(0x8f00, "slda", RS, (c, i) -> {
            Fixed.even(i.r1);
            setPair(c, i.r1, shiftLeftArithmetic64(c, pair(c, i.r1), shiftAmount(c, i)));
        });
    }

    private static long pair(Cpu c, int r) {
        return (c.gr[r] << 32) | (c.gr[r + 1] & 0xffffffffL);
    }

    private static void setPair(Cpu c, int r, long v) {
        set32(c, r, v >>> 32);
        set32(c, r + 1, v);
    }

    private static long shiftLeftArithmetic64(Cpu c, long v, int n) {
        long sign = v & Long.MIN_VALUE;
        long r = v;
        boolean overflow = false;
        for (int k = 0; k < n; k++) {
            r <<= 1;
            if ((r & Long.MIN_VALUE) != sign) {
                overflow = true;
            }
        }
        r = (r & Long.MAX_VALUE) | sign;
        if (overflow) {
            c.cc = 3;
            if ((c.pswMask & Psw.FIXED_POINT_OVERFLOW_MASK) != 0) {
                c.overflowPending = true;
            }
        } else {
            c.cc = FixedPoint.ccSigned(r);
        }
        return r;
    }

    private static int shiftLeftArithmetic32(Cpu c, int v, int n) {
        long r = shiftLeftArithmetic64(c, (long) v << 32, n);
        return (int) (r >> 32);
    }

    private static void registerRotateInsert(Decoder d) {
        // RISBG: rotate R2 by I5, insert bits I3..I4 into R1; I4 bit 0x80 zeroes the rest
        d.add(0xec55, "risbg", RIE, Inline.rotate(Ops::risbg));
        d.add(0xec59, "risbgn", RIE, Inline.rotate(Ops::risbgn));
        d.add(0xec54, "rnsbg", RIE, Inline.rotate(Ops::rnsbg));
        d.add(0xec56, "rosbg", RIE, Inline.rotate(Ops::rosbg));
        d.add(0xec57, "rxsbg", RIE, Inline.rotate(Ops::rxsbg));
    }

    private static void registerInsertCharacters(Decoder d) {
        Handler icm = (c, i) -> insertCharacters(c, i, 0);
        d.add(0xbf00, "icm", RS, icm);
        d.add(0xeb81, "icmy", RSY, icm);
        d.add(0xeb80, "icmh", RSY, (c, i) -> insertCharacters(c, i, 32));
        Handler stcm = (c, i) -> storeCharacters(c, i, 0);
        d.add(0xbe00, "stcm", RS, stcm);
        d.add(0xeb2d, "stcmy", RSY, stcm);
        d.add(0xeb2c, "stcmh", RSY, (c, i) -> storeCharacters(c, i, 32));
        Handler clm = (c, i) -> {
            long a = c.ea(i.b2, i.d2);
            int mask = i.r3;
            int result = 0;
            int k = 0;
            for (int b = 0; b < 4; b++) {
                if ((mask & (8 >>> b)) != 0) {
                    int reg = (int) (c.gr[i.r1] >>> (24 - 8 * b)) & 0xff;
                    int mem = c.load8((a + k++) & c.amask);
                    if (reg != mem && result == 0) {
                        result = reg < mem ? 1 : 2;
                    }
                }
            }
            c.cc = result;
        };
        d.add(0xbd00, "clm", RS, clm);
        d.add(0xeb21, "clmy", RSY, clm);
    }

    private static void insertCharacters(Cpu c, Insn i, int base) {
        long a = c.ea(i.b2, i.d2);
        int mask = i.r3;
        long v = c.gr[i.r1];
        int k = 0;
        boolean first = true;
        int cc = 0;
        for (int b = 0; b < 4; b++) {
            if ((mask & (8 >>> b)) != 0) {
                int byteVal = c.load8((a + k++) & c.amask);
                int shift = base + 24 - 8 * b;
                v = (v & ~(0xffL << shift)) | ((long) byteVal << shift);
                if (first) {
                    cc = (byteVal & 0x80) != 0 ? 1 : 0;
                    first = false;
                }
                if (byteVal != 0 && cc == 0) {
                    cc = 2;
                }
            }
        }
        c.gr[i.r1] = v;
        c.cc = cc;
    }

    private static void storeCharacters(Cpu c, Insn i, int base) {
        long a = c.ea(i.b2, i.d2);
        int mask = i.r3;
        int k = 0;
        for (int b = 0; b < 4; b++) {
            if ((mask & (8 >>> b)) != 0) {
                c.store8((a + k++) & c.amask, (int) (c.gr[i.r1] >>> (base + 24 - 8 * b)));
            }
        }
    }

    /** Register-pair checks shared by the families. */
    static final class Fixed {
        private Fixed() {
        }

        static void even(int r) {
            if ((r & 1) != 0) {
                throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
            }
        }
    }
}
