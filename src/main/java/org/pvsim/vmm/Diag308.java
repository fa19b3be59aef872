package org.pvsim.vmm;

import java.nio.ByteBuffer;
import org.pvsim.kvm.KvmRun;
import org.pvsim.se.Ipib;
import org.pvsim.se.SeFormatException;

/**
 * DIAGNOSE 308 (IPL functions) as QEMU's handle_diag_308 answers a normal guest: SET/STORE of the IPL
 * parameter block (subcodes 5/6) and of the PV one (8/9), PV_START (10) and the re-IPLs (0, 1; 3 and 4
 * arrive from the kernel as KVM_EXIT_S390_RESET). The rc goes to R1+1. What is to happen next the caller
 * learns from the returned {@link Action}.
 */
final class Diag308 {
    static final long RC_OK = 0x0001;
    static final long RC_NO_CONF = 0x0102;
    static final long RC_INVALID = 0x0402;
    static final long RC_NO_PV_CONF = 0x0902;
    static final long RC_INVAL_FOR_PV = 0x0a02;
    private static final int PGM_SPECIFICATION = 0x06;
    private static final int PGM_ADDRESSING = 0x05;
    private static final int IPLB_MAX = 4096;
    private static final int IPLB_MIN_PV_LEN = 148;

    /** What the diag asks of the machine. */
    enum Action { CONTINUE, PROGRAM_SPECIFICATION, PROGRAM_ADDRESSING, REIPL_CLEAR, REIPL_NORMAL, PV_START }

    private final GuestMachine m;
    private byte[] iplb;
    private Ipib pvIplb;

    Diag308(GuestMachine m) {
        this.m = m;
    }

    /** The stored PV IPL block (subcode 8), or null. */
    Ipib pvIplb() {
        return pvIplb;
    }

    /** A normal guest's diag 308 (icpt 0x04): r1 and r3 from IPA. */
    Action handle(KvmRun run) {
        int r1 = run.ipa >>> 4 & 0xf;
        int r3 = run.ipa & 0xf;
        long subcode = run.gprs[r3];
        if ((subcode & ~0xffffL) != 0) {
            return Action.PROGRAM_SPECIFICATION;
        }
        boolean unpack = m.config.confidential();
        if (subcode >= 8 && !unpack) {
            return Action.PROGRAM_SPECIFICATION; // without confidential-guest-support the CPU model has no unpack
        }
        long addr = run.gprs[r1];
        switch ((int) subcode) {
            case 0 -> {
                return Action.REIPL_CLEAR;
            }
            case 1 -> {
                return Action.REIPL_NORMAL;
            }
            case 5, 8 -> {
                if ((r1 & 1) != 0 || (addr & 0xfff) != 0) {
                    return Action.PROGRAM_SPECIFICATION;
                }
                byte[] len = m.readAbsolute(addr, 4);
                if (len == null) {
                    return Action.PROGRAM_ADDRESSING;
                }
                long n = ByteBuffer.wrap(len).getInt() & 0xffffffffL;
                if (n > IPLB_MAX || n < 8) {
                    run.gprs[r1 + 1] = RC_INVALID;
                    return Action.CONTINUE;
                }
                byte[] block = m.readAbsolute(addr, (int) n);
                if (block == null) {
                    return Action.PROGRAM_ADDRESSING;
                }
                if (subcode == 5) {
                    iplb = block;
                    run.gprs[r1 + 1] = RC_OK;
                } else {
                    Ipib pv = validPv(block);
                    if (pv == null) {
                        run.gprs[r1 + 1] = RC_INVALID;
                    } else {
                        pvIplb = pv;
                        run.gprs[r1 + 1] = RC_OK;
                    }
                }
                return Action.CONTINUE;
            }
            case 6, 9 -> {
                if ((r1 & 1) != 0 || (addr & 0xfff) != 0) {
                    return Action.PROGRAM_SPECIFICATION;
                }
                byte[] block = subcode == 6 ? iplb : pvIplb == null ? null : pvIplb.encode();
                if (block == null) {
                    run.gprs[r1 + 1] = RC_NO_CONF;
                } else if (!m.writeAbsolute(addr, block)) {
                    return Action.PROGRAM_ADDRESSING;
                } else {
                    run.gprs[r1 + 1] = RC_OK;
                }
                return Action.CONTINUE;
            }
            case 10 -> {
                if (pvIplb == null) {
                    run.gprs[r1 + 1] = RC_NO_PV_CONF;
                    return Action.CONTINUE;
                }
                return Action.PV_START;
            }
            default -> {
                return Action.PROGRAM_SPECIFICATION; // 4 (dump) included: defined, not implemented
            }
        }
    }

    /** iplb_valid_pv(): type PV, long enough, a header that fits guest memory, aligned increasing components. */
    private Ipib validPv(byte[] block) {
        if (block.length < IPLB_MIN_PV_LEN || block[12] != Ipib.PBT_PV) {
            return null;
        }
        Ipib pv;
        try {
            pv = Ipib.parse(block);
        } catch (SeFormatException e) {
            return null;
        }
        if (pv.headerSize() > 2 * 4096 || pv.headerAddress() < 0
                || pv.headerAddress() + pv.headerSize() > m.config.memory()) {
            return null;
        }
        long lastTweak = Long.MIN_VALUE;
        boolean first = true;
        for (Ipib.Component c : pv.components()) {
            if ((c.address() & 0xfff) != 0 || (!first && Long.compareUnsigned(c.tweakPrefix(), lastTweak) <= 0)) {
                return null;
            }
            lastTweak = c.tweakPrefix();
            first = false;
        }
        return pv;
    }
}
