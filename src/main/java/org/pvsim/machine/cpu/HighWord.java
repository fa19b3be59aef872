package org.pvsim.machine.cpu;

import static org.pvsim.machine.cpu.FixedPoint.ccCompare;
import static org.pvsim.machine.cpu.FixedPoint.ccCompareUnsigned;
import static org.pvsim.machine.cpu.Format.*;

import org.pvsim.machine.Lowcore;
import org.pvsim.machine.ProgramInterruption;

/**
 * The high-word facility (part of facility 45, which STFLE reports): arithmetic, compares, loads and
 * stores on bits 0-31 of a general register ("high"), the low word staying unchanged.
 * LFH, STFH, AIH, BRCTH, RISBHG/RISBLG and LOCFH are in {@link Extensions}.
 */
final class HighWord {
    private HighWord() {
    }

    static int high(Cpu c, int r) {
        return (int) (c.gr[r] >>> 32);
    }

    static void setHigh(Cpu c, int r, long v) {
        c.gr[r] = (c.gr[r] & 0xffffffffL) | (v << 32);
    }

    interface Operand {
        int get(Cpu c, Insn i);
    }

    static void register(Decoder d) {
        Operand r2h = (c, i) -> high(c, i.r2);
        Operand r3h = (c, i) -> high(c, i.r3);
        Operand r3l = (c, i) -> (int) c.gr[i.r3];
        // RRF-a: R1 high = R2 high op R3 (high or low)
        d.add(0xb9c8, "ahhhr", RRF, (c, i) -> arith(c, i, r3h, false, false));
        d.add(0xb9d8, "ahhlr", RRF, (c, i) -> arith(c, i, r3l, false, false));
        d.add(0xb9c9, "shhhr", RRF, (c, i) -> arith(c, i, r3h, true, false));
        d.add(0xb9d9, "shhlr", RRF, (c, i) -> arith(c, i, r3l, true, false));
        d.add(0xb9ca, "alhhhr", RRF, (c, i) -> arith(c, i, r3h, false, true));
        d.add(0xb9da, "alhhlr", RRF, (c, i) -> arith(c, i, r3l, false, true));
        d.add(0xb9cb, "slhhhr", RRF, (c, i) -> arith(c, i, r3h, true, true));
        d.add(0xb9db, "slhhlr", RRF, (c, i) -> arith(c, i, r3l, true, true));
        // compares of R1 high (RRE)
        d.add(0xb9cd, "chhr", RRE, (c, i) -> c.cc = ccCompare(high(c, i.r1), r2h.get(c, i)));
        d.add(0xb9dd, "chlr", RRE, (c, i) -> c.cc = ccCompare(high(c, i.r1), (int) c.gr[i.r2]));
        d.add(0xb9cf, "clhhr", RRE, (c, i) -> c.cc = ccCompareUnsigned(high(c, i.r1) & 0xffffffffL,
                r2h.get(c, i) & 0xffffffffL));
        d.add(0xb9df, "clhlr", RRE, (c, i) -> c.cc = ccCompareUnsigned(high(c, i.r1) & 0xffffffffL,
                c.gr[i.r2] & 0xffffffffL));
        d.add(0xe3cd, "chf", RXY, (c, i) -> c.cc = ccCompare(high(c, i.r1), c.load32(c.ea(i))));
        d.add(0xe3cf, "clhf", RXY, (c, i) -> c.cc = ccCompareUnsigned(high(c, i.r1) & 0xffffffffL,
                c.load32(c.ea(i)) & 0xffffffffL));
        d.add(0xcc0d, "cih", RIL, (c, i) -> c.cc = ccCompare(high(c, i.r1), i.i2));
        d.add(0xcc0f, "clih", RIL, (c, i) -> c.cc = ccCompareUnsigned(high(c, i.r1) & 0xffffffffL,
                i.i2 & 0xffffffffL));
        // add logical with signed immediate high, with and without a condition code
        d.add(0xcc0a, "alsih", RIL, (c, i) -> setHigh(c, i.r1, i.i2 >= 0
                ? FixedPoint.addLogical32(c, high(c, i.r1), i.i2, 0)
                : FixedPoint.subLogical32(c, high(c, i.r1), -i.i2, 0)));
        d.add(0xcc0b, "alsihn", RIL, (c, i) -> setHigh(c, i.r1, high(c, i.r1) + (int) i.i2));
        // loads and stores of the high word's bytes and halfwords
        d.add(0xe3c0, "lbh", RXY, (c, i) -> setHigh(c, i.r1, (byte) c.load8(c.ea(i))));
        d.add(0xe3c2, "llch", RXY, (c, i) -> setHigh(c, i.r1, c.load8(c.ea(i))));
        d.add(0xe3c4, "lhh", RXY, (c, i) -> setHigh(c, i.r1, (short) c.load16(c.ea(i))));
        d.add(0xe3c6, "llhh", RXY, (c, i) -> setHigh(c, i.r1, c.load16(c.ea(i))));
        d.add(0xe3c3, "stch", RXY, (c, i) -> c.store8(c.ea(i), high(c, i.r1)));
        d.add(0xe3c7, "sthh", RXY, (c, i) -> c.store16(c.ea(i), high(c, i.r1)));
        d.add(0xe3c8, "lfhat", RXY, (c, i) -> {
            int v = c.load32(c.ea(i));
            setHigh(c, i.r1, v);
            if (v == 0) {
                c.absStore(c.prefix + Lowcore.DXC, 0xff, 4);
                throw new ProgramInterruption(ProgramInterruption.DATA);
            }
        });
    }

    private static void arith(Cpu c, Insn i, Operand third, boolean subtract, boolean logical) {
        int a = high(c, i.r2);
        int b = third.get(c, i);
        long r;
        if (logical) {
            r = subtract ? FixedPoint.subLogical32(c, a, b, 0) : FixedPoint.addLogical32(c, a, b, 0);
        } else {
            r = subtract ? FixedPoint.sub32(c, a, b) : FixedPoint.add32(c, a, b);
        }
        setHigh(c, i.r1, r);
        FixedPoint.finish(c);
    }
}
