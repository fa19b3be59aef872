package org.pvsim.machine.cpu;

import static org.pvsim.machine.cpu.Format.*;

import org.pvsim.machine.Lowcore;
import org.pvsim.machine.ProgramInterruption;

/**
 * The floating-point-register moves compilers emit for spills and copies (LD/STD/LDR, LGDR/LDGR, LZDR,
 * short forms). Arithmetic is not modelled: those opcodes stay operation exceptions. Using an FPR other
 * than 0, 2, 4, 6 needs the AFP-register control (CR0 bit 45), else a data exception with DXC 1.
 */
final class FloatingPoint {
    private FloatingPoint() {
    }

    private static final long CR0_AFP = 1L << 18;

    static void check(Cpu c, int... regs) {
        if ((c.cr[0] & CR0_AFP) != 0) {
            return;
        }
        for (int r : regs) {
            if ((r & 9) != 0) {
                c.absStore(c.prefix + Lowcore.DXC, 0x01, 4);
                throw new ProgramInterruption(ProgramInterruption.DATA);
            }
        }
    }

    static void register(Decoder d) {
        d.add(0x6800, "ld", RX, (c, i) -> {
            check(c, i.r1);
            c.fpr[i.r1] = c.load64(c.ea(i));
        });
        d.add(0xed65, "ldy", RXY, (c, i) -> {
            check(c, i.r1);
            c.fpr[i.r1] = c.load64(c.ea(i));
        });
        d.add(0x6000, "std", RX, (c, i) -> {
            check(c, i.r1);
            c.store64(c.ea(i), c.fpr[i.r1]);
        });
        d.add(0xed67, "stdy", RXY, (c, i) -> {
            check(c, i.r1);
            c.store64(c.ea(i), c.fpr[i.r1]);
        });
        d.add(0x7800, "le", RX, (c, i) -> {
            check(c, i.r1);
            c.fpr[i.r1] = (c.fpr[i.r1] & 0xffffffffL) | ((long) c.load32(c.ea(i)) << 32);
        });
        d.add(0x7000, "ste", RX, (c, i) -> {
            check(c, i.r1);
            c.store32(c.ea(i), (int) (c.fpr[i.r1] >>> 32));
        });
        d.add(0x2800, "ldr", RR, (c, i) -> {
            check(c, i.r1, i.r2);
            c.fpr[i.r1] = c.fpr[i.r2];
        });
        d.add(0x3800, "ler", RR, (c, i) -> {
            check(c, i.r1, i.r2);
            c.fpr[i.r1] = (c.fpr[i.r1] & 0xffffffffL) | (c.fpr[i.r2] & 0xffffffff00000000L);
        });
        d.add(0xb3c1, "ldgr", RRE, (c, i) -> {
            check(c, i.r1);
            c.fpr[i.r1] = c.gr[i.r2];
        });
        d.add(0xb3cd, "lgdr", RRE, (c, i) -> {
            check(c, i.r2);
            c.gr[i.r1] = c.fpr[i.r2];
        });
        d.add(0xb375, "lzdr", RRE, (c, i) -> {
            check(c, i.r1);
            c.fpr[i.r1] = 0;
        });
        d.add(0xb374, "lzer", RRE, (c, i) -> {
            check(c, i.r1);
            c.fpr[i.r1] &= 0xffffffffL;
        });
        // LOAD LENGTHENED (short HFP to long): exact, the low word becomes zero; gcc moves 4 bytes with it
        d.add(0xed24, "lde", RXE, (c, i) -> {
            check(c, i.r1);
            c.fpr[i.r1] = (long) c.load32(c.ea(i)) << 32;
        });
        d.add(0xb324, "lder", RRE, (c, i) -> {
            check(c, i.r1, i.r2);
            c.fpr[i.r1] = c.fpr[i.r2] & 0xffffffff00000000L;
        });
        d.add(0xb29d, "lfpc", S, (c, i) -> c.fpc = c.load32(c.ea(i.b2, i.d2)));
        d.add(0xb29c, "stfpc", S, (c, i) -> c.store32(c.ea(i.b2, i.d2), c.fpc));
        d.add(0xb38c, "efpc", RRE, (c, i) -> FixedPoint.set32(c, i.r1, c.fpc));
        d.add(0xb384, "sfpc", RRE, (c, i) -> c.fpc = (int) c.gr[i.r1]);
    }
}
