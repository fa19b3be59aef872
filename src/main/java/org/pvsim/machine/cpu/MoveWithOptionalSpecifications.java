package org.pvsim.machine.cpu;

import org.pvsim.machine.ProgramInterruption;
import org.pvsim.machine.storage.Storage;

/**
 * MVCOS: moves up to 4096 bytes between two address spaces, each operand with the address space and
 * access key its operand-access control in GR0 names (bits 32-47 the first operand's, 48-63 the
 * second's: key in bits 0-3, address space in bits 8-9, K bit 14 and A bit 15 say whether they apply),
 * else the PSW's. Every page of both operands is checked before a byte moves, so an access exception
 * leaves the destination unchanged. Access-register mode translates as the primary space (ALET 0).
 */
final class MoveWithOptionalSpecifications {
    private MoveWithOptionalSpecifications() {
    }

    private static final long MAX = 4096;

    static void execute(Cpu c, Insn i) {
        if ((c.pswMask & Psw.DAT) == 0) {
            throw new ProgramInterruption(ProgramInterruption.SPECIAL_OPERATION);
        }
        long dst = c.ea(i.b1, i.d1);
        long src = c.ea(i.b2, i.d2);
        int oac1 = (int) (c.gr[0] >>> 16) & 0xffff;
        int oac2 = (int) c.gr[0] & 0xffff;
        int pswKey = (int) (c.pswMask >>> 52) & 0xf;
        int asc = Dat.asc(c.pswMask);
        int key1 = (oac1 & 2) != 0 ? oac1 >>> 12 : pswKey;
        int key2 = (oac2 & 2) != 0 ? oac2 >>> 12 : pswKey;
        int as1 = (oac1 & 1) != 0 ? (oac1 >>> 6) & 3 : asc;
        int as2 = (oac2 & 1) != 0 ? (oac2 >>> 6) & 3 : asc;
        if (c.problemState()) {
            long keyMask = c.cr[3] >>> 16; // PSW-key mask, CR3 bits 32-47
            if (as1 == Dat.HOME || as2 == Dat.HOME || (keyMask & (0x8000L >>> key1)) == 0
                    || (keyMask & (0x8000L >>> key2)) == 0) {
                throw new ProgramInterruption(ProgramInterruption.PRIVILEGED_OPERATION);
            }
        }
        long len = c.amask == -1L ? c.gr[i.r1] : c.gr[i.r1] & 0xffffffffL;
        int cc = Long.compareUnsigned(len, MAX) > 0 ? 3 : 0;
        int n = (int) (cc == 3 ? MAX : len);
        int space1 = Dat.space(as1, false);
        int space2 = Dat.space(as2, false);
        // first every page of both operands, then the bytes
        for (long k = 0; k < n; k = next(src, k, n)) {
            frame(c, (src + k) & c.amask, Dat.FETCH, space2, key2);
        }
        for (long k = 0; k < n; k = next(dst, k, n)) {
            frame(c, (dst + k) & c.amask, Dat.STORE, space1, key1);
        }
        for (int k = 0; k < n; ) {
            long s = (src + k) & c.amask;
            long d = (dst + k) & c.amask;
            int chunk = (int) Math.min(n - k, Math.min(Storage.PAGE_SIZE - (s & Storage.PAGE_MASK),
                    Storage.PAGE_SIZE - (d & Storage.PAGE_MASK)));
            byte[] from = c.storage.rawFrameForRead(frame(c, s, Dat.FETCH, space2, key2));
            long df = frame(c, d, Dat.STORE, space1, key1);
            byte[] to = c.storage.rawFrameForCpu(df);
            int so = (int) (s & Storage.PAGE_MASK);
            int dof = (int) (d & Storage.PAGE_MASK);
            for (int b = 0; b < chunk; b++) {
                to[dof + b] = from[so + b];
            }
            c.machine.storageChanged(df << Storage.PAGE_SHIFT | dof, chunk);
            k += chunk;
        }
        c.cc = cc;
    }

    /** The offset of the next page's first byte of the operand at {@code base}, after offset {@code k}. */
    private static long next(long base, long k, int n) {
        long a = base + k;
        return Math.min(n, k + (Storage.PAGE_SIZE - (a & Storage.PAGE_MASK)));
    }

    private static long frame(Cpu c, long a, int access, int space, int key) {
        long f = c.dat.frame(a, access, space, key);
        c.storage.checkAccess(f, c.domain, a);
        return f;
    }
}
