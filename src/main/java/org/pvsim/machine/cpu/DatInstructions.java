package org.pvsim.machine.cpu;

import static org.pvsim.machine.cpu.Attribute.PRIVILEGED;
import static org.pvsim.machine.cpu.Format.*;

import org.pvsim.machine.ProgramInterruption;
import org.pvsim.machine.storage.HostDat;
import org.pvsim.machine.storage.Storage;

/**
 * The instructions of dynamic address translation: TLB maintenance (IPTE, IDTE, CSP, CSPG; PTLB is with
 * the supervisor helpers), translation as an answer (LRA, LRAY, LRAG, STRAG, TPROT), the address-space
 * controls (SAC, SACF) and MOVE WITH OPTIONAL SPECIFICATIONS. All are control instructions: never in a
 * translated block, so a purge they make cannot leave a block running from the old mapping.
 */
final class DatInstructions {
    private DatInstructions() {
    }

    private static final long PAGE_INVALID = 0x400;
    private static final long ENTRY_INVALID = 0x20;

    static void register(Decoder d) {
        d.addControl(0xb221, "ipte", RRF, (c, i) -> {
            // the IPTE-range and local-clearing options (facilities 13, 51) are not offered: R3 and M4 are ignored
            long at = (c.gr[i.r1] & ~0x7ffL) + ((c.gr[i.r2] >>> 12) & 0xff) * 8;
            c.absStore(at, c.absLoad64(at) | PAGE_INVALID, 8);
            purge(c);
        }, PRIVILEGED);
        d.addControl(0xb98e, "idte", RRF, (c, i) -> {
            long opt = c.gr[i.r2];
            if ((opt & 0xff000L) != 0) {
                throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
            }
            if ((opt & 0x800) == 0) { // invalidation and clearing; otherwise clearing by ASCE only
                long designation = c.gr[i.r1];
                long origin = designation & ~0xfffL;
                int type = (int) (designation >>> 2) & 3;
                int first = (int) (opt >>> (20 + 11 * type)) & 0x7ff;
                int last = Math.min(0x7ff, first + (int) (opt & 0x7ff));
                for (int k = first; k <= last; k++) {
                    long at = origin + 8L * k;
                    c.absStore(at, c.absLoad64(at) | ENTRY_INVALID, 8);
                }
            }
            purge(c);
        }, PRIVILEGED);
        d.addControl(0xb250, "csp", RRE, (c, i) -> compareAndSwapAndPurge(c, i, false), PRIVILEGED);
        d.addControl(0xb98a, "cspg", RRE, (c, i) -> compareAndSwapAndPurge(c, i, true), PRIVILEGED);
        d.addControl(0xb100, "lra", RX, (c, i) -> loadReal(c, i, false), PRIVILEGED);
        d.addControl(0xe313, "lray", RXY, (c, i) -> loadReal(c, i, false), PRIVILEGED);
        d.addControl(0xe303, "lrag", RXY, (c, i) -> loadReal(c, i, true), PRIVILEGED);
        d.addControl(0xe502, "strag", SSE, (c, i) -> {
            long a2 = c.ea(i.b2, i.d2);
            long real = (c.pswMask & Psw.DAT) == 0 ? a2 : c.dat.realAddress(a2, Dat.space(Dat.asc(c.pswMask), false));
            long a1 = c.ea(i.b1, i.d1);
            if ((a1 & 7) != 0) {
                throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
            }
            c.store64(a1, real);
        }, PRIVILEGED);
        d.addControl(0xb219, "sac", S, DatInstructions::setAddressSpaceControl);
        d.addControl(0xb279, "sacf", S, DatInstructions::setAddressSpaceControl);
        d.addControl(0xc800, "mvcos", SSE, // SSF decodes as SSE: R3 in the R1 field
                 MoveWithOptionalSpecifications::execute);
    }

    private static void purge(Cpu c) {
        Dat.purgeAll(c.machine);
        c.endSlice();
    }

    /** CSP, CSPG: compare and swap at a logical address; bit 63 of R2 asks for the TLB purge. */
    private static void compareAndSwapAndPurge(Cpu c, Insn i, boolean wide) {
        if ((i.r1 & 1) != 0) {
            throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
        }
        long r2 = c.gr[i.r2];
        long a = r2 & c.amask & (wide ? ~7L : ~3L);
        c.checkWrite(a, wide ? 8 : 4);
        boolean equal;
        if (wide) {
            long v = c.load64(a);
            equal = v == c.gr[i.r1];
            if (equal) {
                c.store64(a, c.gr[i.r1 + 1]);
            } else {
                c.gr[i.r1] = v;
            }
        } else {
            int v = c.load32(a);
            equal = v == (int) c.gr[i.r1];
            if (equal) {
                c.store32(a, (int) c.gr[i.r1 + 1]);
            } else {
                c.gr[i.r1] = (c.gr[i.r1] & 0xffffffff00000000L) | (v & 0xffffffffL);
            }
        }
        c.cc = equal ? 0 : 1;
        if (equal && (r2 & 1) != 0) {
            purge(c);
        }
    }

    /**
     * LOAD REAL ADDRESS: the translation of the second operand in the PSW's address space, DAT on or off.
     * cc 0 the real address; cc 1 the segment-table entry is invalid, cc 2 the page-table entry is invalid
     * (R1 the entry's address); cc 3 any other translation exception (R1 bits 32-63: bit 32 and the code).
     */
    private static void loadReal(Cpu c, Insn i, boolean wide) {
        long a = c.ea(i);
        HostDat.Walk w = c.dat.walk(a, Dat.space(Dat.asc(c.pswMask), false));
        long answer;
        switch (w.code) {
            case 0 -> {
                answer = w.address | (a & Storage.PAGE_MASK);
                if (!wide && (answer >>> 31) != 0) {
                    throw new ProgramInterruption(ProgramInterruption.SPECIAL_OPERATION);
                }
                c.cc = 0;
            }
            case ProgramInterruption.TRANSLATION_SPECIFICATION, ProgramInterruption.ADDRESSING ->
                    throw new ProgramInterruption(w.code, a);
            default -> {
                if (w.invalidEntry && (w.code == HostDat.SEGMENT_TRANSLATION || w.code == HostDat.PAGE_TRANSLATION)) {
                    answer = w.entryAddress;
                    c.cc = w.code == HostDat.SEGMENT_TRANSLATION ? 1 : 2;
                } else {
                    c.gr[i.r1] = (c.gr[i.r1] & 0xffffffff00000000L) | 0x80000000L | w.code;
                    c.cc = 3;
                    return;
                }
            }
        }
        c.gr[i.r1] = wide ? answer : (c.gr[i.r1] & 0xffffffff00000000L) | (answer & 0xffffffffL);
    }

    /**
     * SAC, SACF: primary (0), secondary (1) or home (3) mode from bits 20-23 of the operand address.
     * Access-register mode (2) is not modelled and is a specification exception, as undefined values are.
     */
    private static void setAddressSpaceControl(Cpu c, Insn i) {
        int mode = switch ((int) (c.ea(i.b2, i.d2) >>> 8) & 0xf) { // the operand's codes, not the PSW's
            case 0 -> Dat.PRIMARY;
            case 1 -> Dat.SECONDARY;
            case 2 -> Dat.ACCESS_REGISTER;
            case 3 -> Dat.HOME;
            default -> -1;
        };
        if ((c.pswMask & Psw.DAT) == 0) {
            throw new ProgramInterruption(ProgramInterruption.SPECIAL_OPERATION);
        }
        switch (mode) {
            case Dat.PRIMARY -> { }
            case Dat.SECONDARY -> {
                if ((c.cr[0] & Dat.CR0_SECONDARY_SPACE) == 0) {
                    throw new ProgramInterruption(ProgramInterruption.SPECIAL_OPERATION);
                }
            }
            case Dat.HOME -> c.privileged();
            default -> throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
        }
        long mask = (c.pswMask & ~Psw.AS) | (long) mode << 46;
        c.setPsw(mask | (long) c.cc << Psw.CC_SHIFT, c.ia);
    }

    /**
     * TEST PROTECTION: cc 0 fetch and store permitted, 1 only fetch, 2 neither, 3 the address does not
     * translate. {@code key} is the access key to test with (bits 56-59 of the second-operand address).
     */
    static int testProtection(Cpu c, long a, int key) {
        long abs;
        boolean datProtected = false;
        if ((c.pswMask & Psw.DAT) != 0) {
            HostDat.Walk w = c.dat.walk(a, Dat.space(Dat.asc(c.pswMask), false));
            if (w.code == ProgramInterruption.TRANSLATION_SPECIFICATION || w.code == ProgramInterruption.ADDRESSING) {
                throw new ProgramInterruption(w.code, a);
            }
            if (w.code != 0) {
                return 3;
            }
            datProtected = w.protect;
            long addr = w.address | (a & Storage.PAGE_MASK);
            abs = w.absolute ? addr : c.realToAbsolute(addr);
        } else {
            abs = c.realToAbsolute(a);
        }
        long frame = c.frameOf(abs, a);
        boolean store = !datProtected;
        boolean fetch = true;
        if (key != 0) {
            Byte stored = c.machine.storageKeys().get(frame);
            int sk = stored == null ? 0 : stored & 0xff;
            boolean match = (sk >>> 4) == key || ((sk >>> 4) == 9 && (c.cr[0] & Dat.CR0_STORAGE_PROTECTION_OVERRIDE) != 0);
            store &= match;
            fetch = match || (sk & 0x08) == 0;
        }
        return !fetch ? 2 : !store ? 1 : 0;
    }
}
