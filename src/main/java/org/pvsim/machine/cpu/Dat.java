package org.pvsim.machine.cpu;

import org.pvsim.machine.ProgramInterruption;
import org.pvsim.machine.storage.HostDat;
import org.pvsim.machine.storage.Storage;

/**
 * The CPU's way from a logical address to a machine frame: low-address protection, dynamic address
 * translation (PSW bit 5) through the ASCE of the address space the PSW selects, DAT and
 * instruction-execution protection, prefixing (real to absolute), and key-controlled and fetch
 * protection with the storage keys of the machine. It runs only on TLB misses and slow paths: a hit in
 * the CPU's TLBs costs what it cost without DAT, which is why every change of what a translation
 * depends on (PSW DAT, address-space and key bits; CR0, CR1, CR7, CR13; prefix; storage keys; IPTE,
 * IDTE, CSP, PTLB) purges the TLBs.
 *
 * <p>The walk itself is {@link HostDat#walk}, the machine's one DAT walker, with this CPU's controls;
 * tables are read at absolute addresses (under SIE: the guest's, through the host's mapping).
 */
final class Dat {
    static final int FETCH = 0;
    static final int STORE = 1;
    static final int IFETCH = 2;

    static final long CR0_LOW_ADDRESS_PROTECTION = 1L << (63 - 35);
    static final long CR0_SECONDARY_SPACE = 1L << (63 - 37);
    static final long CR0_FETCH_PROTECTION_OVERRIDE = 1L << (63 - 38);
    static final long CR0_STORAGE_PROTECTION_OVERRIDE = 1L << (63 - 39);
    static final long CR0_EDAT = 1L << (63 - 40);
    static final long CR0_IEP = 1L << (63 - 43);

    /** Address-space controls (PSW bits 16-17), also the TEID's bits 62-63. */
    static final int PRIMARY = 0;
    static final int ACCESS_REGISTER = 1;
    static final int SECONDARY = 2;
    static final int HOME = 3;

    static final long ASCE_PRIVATE = 0x100;
    /** TEID protection indications (bits 56, 60, 61, as with ESOP-2). */
    static final long TEID_LOW_ADDRESS = 0x80;
    static final long TEID_KEY = 0x08;
    static final long TEID_DAT = 0x04;
    static final long TEID_IEP = 0x84;

    private final Cpu cpu;
    private final HostDat.Walk walk = new HostDat.Walk();
    private final HostDat.Tables tables;
    /**
     * The last answer holds for part of its page only (low-address protection, the fetch-protection
     * override): it must not enter a TLB.
     */
    boolean partial;

    Dat(Cpu cpu) {
        this.cpu = cpu;
        this.tables = this::entry;
    }

    /** Table entries: absolute, 8-byte aligned; beyond storage an addressing exception. */
    private long entry(long abs) {
        long f = cpu.frameOf(abs, abs);
        if (cpu.guest == null) {
            cpu.storage.checkAccess(f, cpu.domain, abs);
        }
        return (long) Cpu.LONG.get(cpu.storage.rawFrameForRead(f), (int) (abs & Storage.PAGE_MASK & ~7L));
    }

    static int asc(long pswMask) {
        return (int) (pswMask >>> 46) & 3;
    }

    /** The ASCE of an address space (access-register mode uses the primary space, as for ALET 0). */
    long asce(int space) {
        return switch (space) {
            case SECONDARY -> cpu.cr[7];
            case HOME -> cpu.cr[13];
            default -> cpu.cr[1];
        };
    }

    /** The space a data access ({@code ifetch} false) or an instruction fetch uses in PSW mode {@code asc}. */
    static int space(int asc, boolean ifetch) {
        if (ifetch) {
            return asc == HOME ? HOME : PRIMARY;
        }
        return asc == ACCESS_REGISTER ? PRIMARY : asc;
    }

    HostDat.Controls controls() {
        long cr0 = cpu.cr[0];
        Facilities f = cpu.machine.facilities();
        boolean edat1 = (cr0 & CR0_EDAT) != 0 && f.has(Facilities.EDAT_1);
        return new HostDat.Controls(edat1, edat1 && f.has(Facilities.EDAT_2),
                (cr0 & CR0_IEP) != 0 && f.has(Facilities.INSTRUCTION_EXECUTION_PROTECTION), true);
    }

    /** The machine frame for an access of kind {@code access} at logical address {@code a}. */
    long frame(long a, int access) {
        long mask = cpu.pswMask;
        return frame(a, access, space(asc(mask), access == IFETCH), (int) (mask >>> 52) & 0xf);
    }

    /** The machine frame for an access in an explicit address space with an explicit access key (MVCOS). */
    long frame(long a, int access, int space, int key) {
        partial = false;
        boolean dat = (cpu.pswMask & Psw.DAT) != 0;
        if (access == STORE && (cpu.cr[0] & CR0_LOW_ADDRESS_PROTECTION) != 0 && (a >>> 12) <= 1
                && !(dat && (asce(space) & ASCE_PRIVATE) != 0)) {
            partial = true;
            if ((a & Storage.PAGE_MASK) < 512) {
                throw protection(a, TEID_LOW_ADDRESS | (dat ? space : 0));
            }
        }
        long abs;
        if (!dat) {
            abs = cpu.realToAbsolute(a);
        } else {
            abs = translate(a, space, access);
        }
        long frame = cpu.frameOf(abs, a);
        if (key != 0 && cpu.guest == null) {
            checkKey(frame, a, access, key, dat ? space : 0, dat);
        }
        return frame;
    }

    /**
     * The absolute address at which the Ultravisor reads and answers the UVCB at logical {@code a}: with
     * DAT on, a home-space virtual address (as kvm-unit-tests' host programs give it: CR13 = CR1). Both
     * the header's page and the page of the UVCB's last byte (by the header's length) must translate, so
     * a UVCB on an invalid page, or one whose body crosses onto one, is that page's translation exception
     * (uv-host's access-exception test). Not modelled: a UVCB that crosses into a frame that is not the
     * next one in absolute storage is read from the next one.
     */
    long uvcbAbsolute(long a) {
        if ((cpu.pswMask & Psw.DAT) == 0) {
            return cpu.realToAbsolute(a);
        }
        long abs = translate(a, HOME, STORE);
        int len = Math.max(8, (int) Cpu.SHORT.get(cpu.storage.rawFrameForRead(cpu.frameOf(abs, a)),
                (int) (abs & Storage.PAGE_MASK & ~7L)) & 0xffff);
        long last = (a + len - 1) & cpu.amask;
        if ((last ^ a) >>> Storage.PAGE_SHIFT != 0) {
            translate(last, HOME, STORE);
        }
        return abs;
    }

    /** DAT for an access: the absolute address, or the access's translation or protection exception. */
    private long translate(long a, int space, int access) {
        HostDat.walk(tables, asce(space), a, controls(), walk);
        if (walk.code != 0) {
            throw exception(walk.code, a, space);
        }
        if (access == STORE && walk.protect) {
            throw protection(a, TEID_DAT | space);
        }
        if (access == IFETCH && walk.noExec) {
            throw protection(a, TEID_IEP | space);
        }
        long addr = walk.address | (a & Storage.PAGE_MASK);
        return walk.absolute ? addr : cpu.realToAbsolute(addr);
    }

    /**
     * Translates {@code a} in {@code space} without any protection check (LOAD REAL ADDRESS and friends);
     * the outcome is the CPU's reused walk: the caller decides what an exception means.
     */
    HostDat.Walk walk(long a, int space) {
        HostDat.walk(tables, asce(space), a, controls(), walk);
        return walk;
    }

    /** The real (or, for an EDAT frame, absolute) address of {@code a} in {@code space}, or its exception. */
    long realAddress(long a, int space) {
        HostDat.Walk w = walk(a, space);
        if (w.code != 0) {
            throw exception(w.code, a, space);
        }
        return w.address | (a & Storage.PAGE_MASK);
    }

    static ProgramInterruption exception(int code, long a, int space) {
        if (code == ProgramInterruption.TRANSLATION_SPECIFICATION || code == ProgramInterruption.ADDRESSING) {
            return new ProgramInterruption(code, a);
        }
        return ProgramInterruption.access(code, a, (a & ~Storage.PAGE_MASK) | space);
    }

    static ProgramInterruption protection(long a, long bits) {
        return ProgramInterruption.access(ProgramInterruption.PROTECTION, a, (a & ~Storage.PAGE_MASK) | bits);
    }

    /**
     * Key-controlled protection: a store needs the frame's access key to match the PSW key; a fetch too
     * when the frame is fetch-protected. Key 9 frames pass with the storage-protection override; fetches
     * at 0-2047 with the fetch-protection override (then the answer is only for that part of the page).
     */
    void checkKey(long frame, long a, int access, int key, int space, boolean dat) {
        Byte stored = cpu.machine.storageKeys().get(frame);
        int sk = stored == null ? 0 : stored & 0xff;
        int acc = sk >>> 4;
        long cr0 = cpu.cr[0];
        if (acc == key || (acc == 9 && (cr0 & CR0_STORAGE_PROTECTION_OVERRIDE) != 0)) {
            return;
        }
        if (access != STORE) {
            if ((sk & 0x08) == 0) {
                return;
            }
            if ((cr0 & CR0_FETCH_PROTECTION_OVERRIDE) != 0 && (a >>> 12) == 0
                    && !(dat && (asce(space) & ASCE_PRIVATE) != 0)) {
                partial = true;
                if (a < 2048) {
                    return;
                }
            }
        }
        throw protection(a, TEID_KEY | space);
    }

    /** Purges the TLBs of every CPU of the machine (IPTE, IDTE, CSP, SSKE: the broadcast forms). */
    static void purgeAll(Machine m) {
        for (Cpu c : m.cpus()) {
            c.flushTlb();
        }
        for (Cpu c : m.guestCpus()) {
            c.flushTlb();
        }
    }
}
