package org.pvsim.machine.cpu;

import static org.pvsim.machine.cpu.FixedPoint.ccCompare;
import static org.pvsim.machine.cpu.FixedPoint.ccCompareUnsigned;
import static org.pvsim.machine.cpu.FixedPoint.set32;
import static org.pvsim.machine.cpu.Format.*;

import org.pvsim.machine.ProgramInterruption;

/**
 * Branches: on condition, and save, on count, on index, compare and branch, EXECUTE, SVC.
 * A relative target is the instruction's own address plus twice the signed immediate.
 */
final class Branch {
    private Branch() {
    }

    static long target(Cpu c, Insn i) {
        return (c.insnAddress(i) + 2 * i.i2) & c.amask;
    }

    /** Sets the link register: the whole register in 64-bit mode, the low word otherwise. */
    static void link(Cpu c, int r) {
        if (c.amask == -1L) {
            c.gr[r] = c.ia;
        } else {
            set32(c, r, c.linkInfo());
        }
    }

    static void register(Decoder d) {
        d.add(0xa704, "brc", RI, (c, i) -> {
            if ((i.r1 & (8 >>> c.cc)) != 0) {
                c.ia = target(c, i);
            }
        });
        d.add(0xc004, "brcl", RIL, (c, i) -> {
            if ((i.r1 & (8 >>> c.cc)) != 0) {
                c.ia = target(c, i);
            }
        });
        d.add(0x0700, "bcr", RR, (c, i) -> {
            if (i.r2 != 0 && (i.r1 & (8 >>> c.cc)) != 0) {
                c.branchTo(c.gr[i.r2]);
            }
        });
        d.add(0x4700, "bc", RX, (c, i) -> {
            if ((i.r1 & (8 >>> c.cc)) != 0) {
                c.branchTo(c.ea(i));
            }
        });
        d.add(0xa705, "bras", RI, (c, i) -> {
            link(c, i.r1);
            c.ia = target(c, i);
        });
        d.add(0xc005, "brasl", RIL, (c, i) -> {
            long t = target(c, i);
            link(c, i.r1);
            c.ia = t;
        });
        d.add(0x0d00, "basr", RR, (c, i) -> {
            long t = c.gr[i.r2];
            link(c, i.r1);
            if (i.r2 != 0) {
                c.branchTo(t);
            }
        });
        d.add(0x4d00, "bas", RX, (c, i) -> {
            long t = c.ea(i);
            link(c, i.r1);
            c.branchTo(t);
        });
        d.add(0x0500, "balr", RR, (c, i) -> {
            long t = c.gr[i.r2];
            link(c, i.r1);
            if (i.r2 != 0) {
                c.branchTo(t);
            }
        });
        d.add(0x4500, "bal", RX, (c, i) -> {
            long t = c.ea(i);
            link(c, i.r1);
            c.branchTo(t);
        });
        // on count
        d.add(0xa707, "brctg", RI, (c, i) -> {
            if (--c.gr[i.r1] != 0) {
                c.ia = (c.insnAddress(i) + 2 * i.i2) & c.amask;
            }
        });
        d.add(0xa706, "brct", RI, (c, i) -> {
            int v = (int) c.gr[i.r1] - 1;
            set32(c, i.r1, v);
            if (v != 0) {
                c.ia = target(c, i);
            }
        });
        d.add(0x0600, "bctr", RR, (c, i) -> {
            int v = (int) c.gr[i.r1] - 1;
            long t = c.gr[i.r2];
            set32(c, i.r1, v);
            if (v != 0 && i.r2 != 0) {
                c.branchTo(t);
            }
        });
        d.add(0xb946, "bctgr", RRE, (c, i) -> {
            long t = c.gr[i.r2];
            if (--c.gr[i.r1] != 0 && i.r2 != 0) {
                c.branchTo(t);
            }
        });
        d.add(0x4600, "bct", RX, (c, i) -> {
            long t = c.ea(i);
            int v = (int) c.gr[i.r1] - 1;
            set32(c, i.r1, v);
            if (v != 0) {
                c.branchTo(t);
            }
        });
        d.add(0xe346, "bctg", RXY, (c, i) -> {
            long t = c.ea(i);
            if (--c.gr[i.r1] != 0) {
                c.branchTo(t);
            }
        });
        // on index: R1 += R3; compare with R3|1
        d.add(0x8400, "brxh", RS, (c, i) -> {
            int inc = (int) c.gr[i.r3];
            int cmp = (int) c.gr[i.r3 | 1];
            int v = (int) c.gr[i.r1] + inc;
            set32(c, i.r1, v);
            if (v > cmp) {
                c.ia = (c.insnAddress(i) + 2 * (short) ((i.b2 << 12) | i.d2)) & c.amask;
            }
        });
        d.add(0x8500, "brxle", RS, (c, i) -> {
            int inc = (int) c.gr[i.r3];
            int cmp = (int) c.gr[i.r3 | 1];
            int v = (int) c.gr[i.r1] + inc;
            set32(c, i.r1, v);
            if (v <= cmp) {
                c.ia = (c.insnAddress(i) + 2 * (short) ((i.b2 << 12) | i.d2)) & c.amask;
            }
        });
        d.add(0x8600, "bxh", RS, (c, i) -> {
            long t = c.ea(i.b2, i.d2);
            int inc = (int) c.gr[i.r3];
            int cmp = (int) c.gr[i.r3 | 1];
            int v = (int) c.gr[i.r1] + inc;
            set32(c, i.r1, v);
            if (v > cmp) {
                c.branchTo(t);
            }
        });
        d.add(0x8700, "bxle", RS, (c, i) -> {
            long t = c.ea(i.b2, i.d2);
            int inc = (int) c.gr[i.r3];
            int cmp = (int) c.gr[i.r3 | 1];
            int v = (int) c.gr[i.r1] + inc;
            set32(c, i.r1, v);
            if (v <= cmp) {
                c.branchTo(t);
            }
        });
        d.add(0xeb44, "bxhg", RSY, (c, i) -> {
            long t = c.ea(i.b2, i.d2);
            long inc = c.gr[i.r3];
            long cmp = c.gr[i.r3 | 1];
            long v = c.gr[i.r1] += inc;
            if (v > cmp) {
                c.branchTo(t);
            }
        });
        d.add(0xeb45, "bxleg", RSY, (c, i) -> {
            long t = c.ea(i.b2, i.d2);
            long inc = c.gr[i.r3];
            long cmp = c.gr[i.r3 | 1];
            long v = c.gr[i.r1] += inc;
            if (v <= cmp) {
                c.branchTo(t);
            }
        });
        // compare and branch relative (RIE-b: M3 in i.m; RIE-c: M3 in r2 field, I2 in i5)
        d.add(0xec64, "cgrj", RIE, (c, i) -> {
            if ((i.m & (8 >>> ccCompare(c.gr[i.r1], c.gr[i.r2]))) != 0) {
                c.ia = target(c, i);
            }
        });
        d.add(0xec76, "crj", RIE, (c, i) -> {
            if ((i.m & (8 >>> ccCompare((int) c.gr[i.r1], (int) c.gr[i.r2]))) != 0) {
                c.ia = target(c, i);
            }
        });
        d.add(0xec65, "clgrj", RIE, (c, i) -> {
            if ((i.m & (8 >>> ccCompareUnsigned(c.gr[i.r1], c.gr[i.r2]))) != 0) {
                c.ia = target(c, i);
            }
        });
        d.add(0xec77, "clrj", RIE, (c, i) -> {
            if ((i.m & (8 >>> ccCompareUnsigned(c.gr[i.r1] & 0xffffffffL, c.gr[i.r2] & 0xffffffffL))) != 0) {
                c.ia = target(c, i);
            }
        });
        d.add(0xec7c, "cgij", RIE, (c, i) -> {
            if ((i.r2 & (8 >>> ccCompare(c.gr[i.r1], (byte) i.i5))) != 0) {
                c.ia = target(c, i);
            }
        });
        d.add(0xec7e, "cij", RIE, (c, i) -> {
            if ((i.r2 & (8 >>> ccCompare((int) c.gr[i.r1], (byte) i.i5))) != 0) {
                c.ia = target(c, i);
            }
        });
        d.add(0xec7d, "clgij", RIE, (c, i) -> {
            if ((i.r2 & (8 >>> ccCompareUnsigned(c.gr[i.r1], i.i5))) != 0) {
                c.ia = target(c, i);
            }
        });
        d.add(0xec7f, "clij", RIE, (c, i) -> {
            if ((i.r2 & (8 >>> ccCompareUnsigned(c.gr[i.r1] & 0xffffffffL, i.i5))) != 0) {
                c.ia = target(c, i);
            }
        });
        // compare and branch to B4+D4 (RRS: M3 in bits 32-35 = i3; RIS: M3 in r2 field, I2 in bits 32-39)
        d.add(0xece4, "cgrb", RRS, (c, i) -> {
            if ((i.i3 & (8 >>> ccCompare(c.gr[i.r1], c.gr[i.r2]))) != 0) {
                c.branchTo(c.ea(i.b2, i.d2));
            }
        });
        d.add(0xecf6, "crb", RRS, (c, i) -> {
            if ((i.i3 & (8 >>> ccCompare((int) c.gr[i.r1], (int) c.gr[i.r2]))) != 0) {
                c.branchTo(c.ea(i.b2, i.d2));
            }
        });
        d.add(0x0a00, "svc", I, (c, i) -> {
            Interruptions.svc(c, (int) i.i2, 2);
        });
        d.add(0x4400, "ex", RX, (c, i) -> execute(c, i, c.ea(i)));
        d.add(0xc600, "exrl", RIL, (c, i) -> execute(c, i, target(c, i)));
    }

    /** EXECUTE: run the target instruction with bits 8-15 ORed with R1's low byte. */
    private static void execute(Cpu c, Insn ex, long address) {
        if ((address & 1) != 0) {
            throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
        }
        long bits = c.fetchBytes(address);
        int op = (int) (bits >>> 56) & 0xff;
        if (op == 0x44 || (op == 0xc6 && ((bits >>> 48) & 0xf) == 0)) {
            throw new ProgramInterruption(ProgramInterruption.EXECUTE);
        }
        if (ex.r1 != 0) {
            bits |= (c.gr[ex.r1] & 0xff) << 48;
        }
        Insn target = c.machine.decoder().decode(bits);
        // a relative target of the executed instruction is relative to its own address, not EX's
        c.executeAddress = address;
        try {
            target.handler.exec(c, target);
        } finally {
            c.executeAddress = -1;
        }
    }
}
