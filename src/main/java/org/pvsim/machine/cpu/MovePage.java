package org.pvsim.machine.cpu;

import org.pvsim.machine.ProgramInterruption;

/**
 * MOVE PAGE (B254): copies the 4 KiB page whose address R2 holds to the page R1 holds (low 12 bits
 * ignored). General register 0 controls it: bits 49-53 the key-function control (0: the PSW key, 1:
 * the key in bits 56-59 for the destination, 2: for the source; others, without the move-page-and-set-key
 * facility, are a specification exception), bit 55 the condition-code option. With the option, an
 * operand page that DAT cannot reach (page translation; with EDAT also segment and region translation)
 * sets cc 2 (source, checked first) or cc 1 (destination) instead of the exception; protection and
 * addressing exceptions are raised either way. Without it, a translation exception stores the operand
 * access identification (the R1/R2 byte) at real location 162. Storage keys are not enforced by this
 * CPU (see {@link StorageKeys}), so the key only decides the problem-state authorization.
 */
final class MovePage {
    private MovePage() {
    }

    static final long CCO = 0x100;
    static final int OPERAND_ACCESS_ID = 0xa2;
    private static final long CR0_EDAT = 1L << 23;

    static void mvpg(Cpu c, Insn i) {
        long r0 = c.gr[0];
        int kfc = (int) (r0 >>> 10) & 0x1f;
        if (kfc > 2) {
            throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
        }
        int key = (int) (r0 >>> 4) & 0xf;
        if (kfc != 0 && c.problemState() && (c.cr[3] & (1L << (31 - key))) == 0) {
            throw new ProgramInterruption(ProgramInterruption.PRIVILEGED_OPERATION);
        }
        boolean cco = (r0 & CCO) != 0;
        long dst = c.gr[i.r1] & c.amask & ~0xfffL;
        long src = c.gr[i.r2] & c.amask & ~0xfffL;
        try {
            c.checkRead(src, 4096);
        } catch (ProgramInterruption pi) {
            if (cco && notAvailable(c, pi.code())) {
                c.cc = 2;
                return;
            }
            throw identified(c, i, pi);
        }
        try {
            c.checkWrite(dst, 4096);
        } catch (ProgramInterruption pi) {
            if (cco && notAvailable(c, pi.code())) {
                c.cc = 1;
                return;
            }
            throw identified(c, i, pi);
        }
        if (dst != src) { // the operands are the same page or do not overlap at all
            for (int k = 0; k < 4096; k += 8) {
                c.store64(dst + k, c.load64(src + k));
            }
        }
        c.cc = 0;
    }

    /** The translation exceptions the condition-code option turns into cc 1 or 2. */
    static boolean notAvailable(Cpu c, int code) {
        if (code == 0x11) {
            return true;
        }
        boolean edat = (c.cr[0] & CR0_EDAT) != 0;
        return edat && (code == 0x10 || code == 0x39 || code == 0x3a || code == 0x3b);
    }

    private static ProgramInterruption identified(Cpu c, Insn i, ProgramInterruption pi) {
        int code = pi.code();
        if (code == 0x10 || code == 0x11 || (code >= 0x38 && code <= 0x3b)) {
            c.absStore(c.prefix + OPERAND_ACCESS_ID, i.r1 << 4 | i.r2, 1);
        }
        return pi;
    }
}
