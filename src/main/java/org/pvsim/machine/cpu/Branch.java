package org.pvsim.machine.cpu;

import static org.pvsim.machine.cpu.FixedPoint.ccCompare;
import static org.pvsim.machine.cpu.FixedPoint.ccCompareUnsigned;
import static org.pvsim.machine.cpu.FixedPoint.set32;
import static org.pvsim.machine.cpu.Attribute.BRANCHES;
import static org.pvsim.machine.cpu.Attribute.INTERPRETED;
import static org.pvsim.machine.cpu.Format.*;
import static org.pvsim.machine.cpu.Inline.Operand.*;

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
        Ops.link(c, r, c.ia, c.amask);
    }

    static void register(Decoder d) {
        d.add(0xa704, "brc", RI, Inline.branch(Ops::brc, R1), BRANCHES);
        d.add(0xc004, "brcl", RIL, Inline.branch(Ops::brc, R1), BRANCHES);
        d.add(0x0700, "bcr", RR, Inline.registerBranch(Ops::bcr, R1, R2), BRANCHES);
        d.add(0x4700, "bc", RX, (c, i) -> {
            if ((i.r1 & (8 >>> c.cc)) != 0) {
                c.branchTo(c.ea(i));
            }
        }, BRANCHES);
        d.add(0xa705, "bras", RI, (c, i) -> {
            link(c, i.r1);
            c.ia = target(c, i);
        }, BRANCHES);
        d.add(0xc005, "brasl", RIL, Inline.branchAndLink(Ops::brasl), BRANCHES);
        d.add(0x0d00, "basr", RR, (c, i) -> {
            long t = c.gr[i.r2];
            link(c, i.r1);
            if (i.r2 != 0) {
                c.branchTo(t);
            }
        }, BRANCHES);
        d.add(0x4d00, "bas", RX, (c, i) -> {
            long t = c.ea(i);
            link(c, i.r1);
            c.branchTo(t);
        }, BRANCHES);
        d.add(0x0500, "balr", RR, (c, i) -> {
            long t = c.gr[i.r2];
            link(c, i.r1);
            if (i.r2 != 0) {
                c.branchTo(t);
            }
        }, BRANCHES);
        d.add(0x4500, "bal", RX, (c, i) -> {
            long t = c.ea(i);
            link(c, i.r1);
            c.branchTo(t);
        }, BRANCHES);
        // on count
        d.add(0xa707, "brctg", RI, Inline.branch(Ops::brctg, R1), BRANCHES);
        d.add(0xa706, "brct", RI, Inline.branch(Ops::brct, R1), BRANCHES);
        d.add(0x0600, "bctr", RR, (c, i) -> {
            int v = (int) c.gr[i.r1] - 1;
            long t = c.gr[i.r2];
            set32(c, i.r1, v);
            if (v != 0 && i.r2 != 0) {
                c.branchTo(t);
            }
        }, BRANCHES);
        d.add(0xb946, "bctgr", RRE, (c, i) -> {
            long t = c.gr[i.r2];
            if (--c.gr[i.r1] != 0 && i.r2 != 0) {
                c.branchTo(t);
            }
        }, BRANCHES);
        d.add(0x4600, "bct", RX, (c, i) -> {
            long t = c.ea(i);
            int v = (int) c.gr[i.r1] - 1;
            set32(c, i.r1, v);
            if (v != 0) {
                c.branchTo(t);
            }
        }, BRANCHES);
        d.add(0xe346, "bctg", RXY, (c, i) -> {
            long t = c.ea(i);
            if (--c.gr[i.r1] != 0) {
                c.branchTo(t);
            }
        }, BRANCHES);
        // on index: R1 += R3; compare with R3|1
        d.add(0x8400, "brxh", RS, (c, i) -> {
            int inc = (int) c.gr[i.r3];
            int cmp = (int) c.gr[i.r3 | 1];
            int v = (int) c.gr[i.r1] + inc;
            set32(c, i.r1, v);
            if (v > cmp) {
                c.ia = (c.insnAddress(i) + 2 * (short) ((i.b2 << 12) | i.d2)) & c.amask;
            }
        }, BRANCHES);
        d.add(0x8500, "brxle", RS, (c, i) -> {
            int inc = (int) c.gr[i.r3];
            int cmp = (int) c.gr[i.r3 | 1];
            int v = (int) c.gr[i.r1] + inc;
            set32(c, i.r1, v);
            if (v <= cmp) {
                c.ia = (c.insnAddress(i) + 2 * (short) ((i.b2 << 12) | i.d2)) & c.amask;
            }
        }, BRANCHES);
        d.add(0x8600, "bxh", RS, (c, i) -> {
            long t = c.ea(i.b2, i.d2);
            int inc = (int) c.gr[i.r3];
            int cmp = (int) c.gr[i.r3 | 1];
            int v = (int) c.gr[i.r1] + inc;
            set32(c, i.r1, v);
            if (v > cmp) {
                c.branchTo(t);
            }
        }, BRANCHES);
        d.add(0x8700, "bxle", RS, (c, i) -> {
            long t = c.ea(i.b2, i.d2);
            int inc = (int) c.gr[i.r3];
            int cmp = (int) c.gr[i.r3 | 1];
            int v = (int) c.gr[i.r1] + inc;
            set32(c, i.r1, v);
            if (v <= cmp) {
                c.branchTo(t);
            }
        }, BRANCHES);
        d.add(0xeb44, "bxhg", RSY, (c, i) -> {
            long t = c.ea(i.b2, i.d2);
            long inc = c.gr[i.r3];
            long cmp = c.gr[i.r3 | 1];
            long v = c.gr[i.r1] += inc;
            if (v > cmp) {
                c.branchTo(t);
            }
        }, BRANCHES);
        d.add(0xeb45, "bxleg", RSY, (c, i) -> {
            long t = c.ea(i.b2, i.d2);
            long inc = c.gr[i.r3];
            long cmp = c.gr[i.r3 | 1];
            long v = c.gr[i.r1] += inc;
            if (v <= cmp) {
                c.branchTo(t);
            }
        }, BRANCHES);
        // compare and branch relative (RIE-b: M3 in i.m; RIE-c: M3 in r2 field, I2 in i5)
        d.add(0xec64, "cgrj", RIE, Inline.branch(Ops::cgrj, R1, R2, M), BRANCHES);
        d.add(0xec76, "crj", RIE, Inline.branch(Ops::crj, R1, R2, M), BRANCHES);
        d.add(0xec65, "clgrj", RIE, Inline.branch(Ops::clgrj, R1, R2, M), BRANCHES);
        d.add(0xec77, "clrj", RIE, (c, i) -> {
            if ((i.m & (8 >>> ccCompareUnsigned(c.gr[i.r1] & 0xffffffffL, c.gr[i.r2] & 0xffffffffL))) != 0) {
                c.ia = target(c, i);
            }
        }, BRANCHES);
        d.add(0xec7c, "cgij", RIE, Inline.branch(Ops::cgij, R1, R2, I5), BRANCHES);
        d.add(0xec7e, "cij", RIE, Inline.branch(Ops::cij, R1, R2, I5), BRANCHES);
        d.add(0xec7d, "clgij", RIE, Inline.branch(Ops::clgij, R1, R2, I5), BRANCHES);
        d.add(0xec7f, "clij", RIE, Inline.branch(Ops::clij, R1, R2, I5), BRANCHES);
        // compare and branch to B4+D4 (RRS: M3 in bits 32-35 = i3; RIS: M3 in r2 field, I2 in bits 32-39)
        d.add(0xece4, "cgrb", RRS, (c, i) -> {
            if ((i.i3 & (8 >>> ccCompare(c.gr[i.r1], c.gr[i.r2]))) != 0) {
                c.branchTo(c.ea(i.b2, i.d2));
            }
        }, BRANCHES);
        d.add(0xecf6, "crb", RRS, (c, i) -> {
            if ((i.i3 & (8 >>> ccCompare((int) c.gr[i.r1], (int) c.gr[i.r2]))) != 0) {
                c.branchTo(c.ea(i.b2, i.d2));
            }
        }, BRANCHES);
        d.add(0x0a00, "svc", I, (c, i) -> {
            Interruptions.svc(c, (int) i.i2, 2);
        }, INTERPRETED);
        d.add(0x4400, "ex", RX, (c, i) -> execute(c, i, c.ea(i)), INTERPRETED);
        d.add(0xc600, "exrl", RIL, (c, i) -> execute(c, i, target(c, i)), INTERPRETED);
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
