package org.pvsim.machine.cpu;

import org.pvsim.machine.ProgramInterruption;
import org.pvsim.machine.storage.Storage;
import org.pvsim.se.Ipib;

/**
 * DIAGNOSE 308, the IPL functions, as the machine itself (no hypervisor) answers them. The checks and
 * return codes are QEMU's (target/s390x/diag.c, handle_diag_308), which kvm-unit-tests' diag308 test
 * holds hardware to: the subcode in R3 (bits 0-47 must be zero), the IPL parameter block's address in
 * R1 (an even register; the block page aligned and a whole page inside storage), the return code to
 * R1 + 1.
 * <ul>
 * <li>0 (modified clear) and 1 (load normal): every CPU is reset (0: clear reset; 1: the others a
 *     CPU reset, this one an initial CPU reset), then this CPU loads the short PSW at absolute 0 and
 *     runs. Storage is kept.
 * <li>3 (load clear): storage is cleared and the program IPLed again; 4 (load normal with dump):
 *     the program is IPLed again over the storage as it is (no dump device: what a dump would read
 *     stays in place).
 * <li>5 and 6: set and store the IPL parameter block. A block is accepted if its length fits a page
 *     (else rc 0x0402) and its type's minimum length is met: FCP (0) 384 bytes, CCW (2) 200 (else rc
 *     0x0402). Store without a block set: rc 0x0102.
 * <li>8, 9 and 10 (Secure Execution, only with facility 161 reported, else a specification
 *     exception): set and store the PV block (type 5, at least 148 bytes, components page aligned with
 *     increasing tweak prefixes); PV start answers rc 0x0902 without a PV block, and rc 0x0a02 with one:
 *     a machine without a hypervisor has nobody to start a secure guest.
 * </ul>
 * Every other subcode (2, 7, 11 and up) is a specification exception.
 */
final class IplDiagnose {
    static final long RC_OK = 0x0001;
    static final long RC_NO_CONF = 0x0102;
    static final long RC_INVALID = 0x0402;
    static final long RC_NO_PV_CONF = 0x0902;
    static final long RC_INVAL_FOR_PV = 0x0a02;

    static final int PBT_FCP = 0x00;
    static final int PBT_CCW = 0x02;
    static final int PBT_PV = 0x05;
    static final int MIN_FCP_LEN = 384;
    static final int MIN_CCW_LEN = 200;
    static final int MIN_PV_LEN = 148;
    static final int IPLB_MAX = 4096;

    /** What the machine does for a reset subcode. */
    enum Reset { MODIFIED_CLEAR, LOAD_NORMAL, LOAD_CLEAR, LOAD_NORMAL_DUMP }

    private final Machine machine;
    private byte[] iplb;
    private byte[] pvIplb;

    IplDiagnose(Machine machine) {
        this.machine = machine;
    }

    void diagnose(Cpu c, int r1, int r3) {
        long subcode = c.gr[r3];
        if ((subcode & ~0xffffL) != 0) {
            throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
        }
        if (subcode >= 8 && !machine.facilities().has(Facilities.SECURE_EXECUTION_UNPACK)) {
            throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
        }
        long addr = c.gr[r1];
        switch ((int) subcode) {
            case 0 -> machine.diagReset(c, Reset.MODIFIED_CLEAR);
            case 1 -> machine.diagReset(c, Reset.LOAD_NORMAL);
            case 3 -> machine.diagReset(c, Reset.LOAD_CLEAR);
            case 4 -> machine.diagReset(c, Reset.LOAD_NORMAL_DUMP);
            case 5, 8 -> {
                checkBlockAddress(c, r1, addr);
                long len = c.storage.readInt(addr, c.domain) & 0xffffffffL;
                if (len > IPLB_MAX) {
                    c.gr[r1 + 1] = RC_INVALID;
                    return;
                }
                byte[] block = c.storage.read(addr, (int) Math.max(len, 8), c.domain);
                boolean valid = subcode == 5 ? valid(block, len) : validPv(block, len);
                if (valid) {
                    if (subcode == 5) {
                        iplb = block;
                    } else {
                        pvIplb = block;
                    }
                }
                c.gr[r1 + 1] = valid ? RC_OK : RC_INVALID;
            }
            case 6, 9 -> {
                checkBlockAddress(c, r1, addr);
                byte[] block = subcode == 6 ? iplb : pvIplb;
                if (block == null) {
                    c.gr[r1 + 1] = RC_NO_CONF;
                    return;
                }
                c.storage.checkAccess(addr >>> Storage.PAGE_SHIFT, c.domain, addr);
                c.storage.write(addr, block, 0, block.length, c.domain);
                machine.storageChanged(addr, block.length);
                c.gr[r1 + 1] = RC_OK;
            }
            case 10 -> c.gr[r1 + 1] = pvIplb == null ? RC_NO_PV_CONF : RC_INVAL_FOR_PV;
            default -> throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
        }
    }

    private static void checkBlockAddress(Cpu c, int r1, long addr) {
        if ((r1 & 1) != 0 || (addr & Storage.PAGE_MASK) != 0) {
            throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
        }
        if (Long.compareUnsigned(addr, c.storage.size() - IPLB_MAX) > 0) {
            throw new ProgramInterruption(ProgramInterruption.ADDRESSING, addr);
        }
    }

    private static boolean valid(byte[] block, long len) {
        return switch (block[12] & 0xff) {
            case PBT_FCP -> len >= MIN_FCP_LEN;
            case PBT_CCW -> len >= MIN_CCW_LEN;
            default -> false;
        };
    }

    /** iplb_valid_pv(): type PV, long enough, at least one component, components page aligned, increasing tweaks. */
    private static boolean validPv(byte[] block, long len) {
        if (len < MIN_PV_LEN || (block[12] & 0xff) != PBT_PV) {
            return false;
        }
        Ipib pv;
        try {
            pv = Ipib.parse(block);
        } catch (RuntimeException e) { // SeFormatException included
            return false;
        }
        if (pv.components().isEmpty()) {
            return false;
        }
        long last = 0;
        boolean first = true;
        for (Ipib.Component k : pv.components()) {
            if ((k.address() & Storage.PAGE_MASK) != 0 || (!first && Long.compareUnsigned(k.tweakPrefix(), last) <= 0)) {
                return false;
            }
            last = k.tweakPrefix();
            first = false;
        }
        return true;
    }
}
