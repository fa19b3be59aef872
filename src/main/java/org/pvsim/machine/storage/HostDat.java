package org.pvsim.machine.storage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The one walk of z/Architecture DAT tables in this machine: region-first to segment tables by the ASCE's
 * designation type, then the page table; used by the CPU for its own dynamic address translation (with
 * the controls its CR0 enables: EDAT-1 1 MiB segment frames, EDAT-2 2 GiB region-third frames,
 * instruction-execution protection, and every table-length, table-offset and table-type check), and by
 * the firmware for the host's guest-mapping tables (the gmap): by the UV for import, unpack and guest
 * UVCBs, and by SIE for every guest access ({@link #translate}).
 *
 * <p>The firmware's walk is the lenient one ({@link Controls#FIRMWARE}): 4 KiB pages only (secure pages
 * are never large, and KVM's gmap never writes a large entry), no length or type checks, and an entry
 * beyond storage counts as invalid. Its answer is the absolute address, or a negative
 * program-interruption code: the exception the walk would raise in the host (0x38-0x3b region/ASCE
 * type, 0x10 segment, 0x11 page translation).
 */
public final class HostDat {
    public static final int ASCE_TYPE = 0x38;
    public static final int REGION_FIRST = 0x39;
    public static final int REGION_SECOND = 0x3a;
    public static final int REGION_THIRD = 0x3b;
    public static final int SEGMENT_TRANSLATION = 0x10;
    public static final int PAGE_TRANSLATION = 0x11;
    public static final int TRANSLATION_SPECIFICATION = 0x12;

    private static final long ASCE_ORIGIN_MASK = ~0xfffL;
    private static final long ASCE_TYPE_MASK = 0x0c;
    private static final long ASCE_PRIVATE = 0x100;
    private static final long ASCE_REAL_SPACE = 0x20;
    private static final long ENTRY_INVALID = 0x20;
    private static final long ENTRY_PROTECT = 0x200;
    private static final long ENTRY_NOEXEC = 0x100;
    private static final long ENTRY_COMMON = 0x10;
    private static final long SEGMENT_FC = 0x400;
    private static final long REGION_FC = 0x400;
    private static final long PAGE_INVALID = 0x400;
    private static final long PAGE_BIT52 = 0x800;
    private static final int[] LEVEL_CODE = {SEGMENT_TRANSLATION, REGION_THIRD, REGION_SECOND, REGION_FIRST};
    private static final VarHandle BE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private HostDat() {
    }

    /** Reads the 8-byte table entry at an absolute address (throwing the access's exception, if any). */
    @FunctionalInterface
    public interface Tables {
        long entry(long absolute);
    }

    /**
     * What a walk honours. {@code strict}: the architecture's table-length, table-offset, table-type,
     * common-segment and real-space checks; without it, the firmware's lenient walk.
     */
    public record Controls(boolean edat1, boolean edat2, boolean iep, boolean strict) {
        public static final Controls FIRMWARE = new Controls(false, false, false, false);
    }

    /**
     * The outcome of one walk. Mutable and reused (one per CPU), as walks run on every TLB miss. On
     * success {@code code} is 0 and {@code address} the frame's page: a real address for a 4 KiB page
     * (prefixing follows), an absolute one for an EDAT frame ({@code absolute}).
     */
    public static final class Walk {
        public int code;
        public long address;
        public boolean absolute;
        /** A DAT-protection bit was on in an entry of the path (stores are protection exceptions). */
        public boolean protect;
        /** An instruction-execution-protection bit was on (instruction fetches are protection exceptions). */
        public boolean noExec;
        /** The exception came from an entry's invalid bit (not from a length or type check). */
        public boolean invalidEntry;
        /** Absolute address of the last entry read (LOAD REAL ADDRESS's answer for cc 1 and 2). */
        public long entryAddress;

        void reset() {
            code = 0;
            address = 0;
            absolute = false;
            protect = false;
            noExec = false;
            invalidEntry = false;
            entryAddress = -1;
        }

        void fail(int code, boolean invalidEntry) {
            this.code = code;
            this.invalidEntry = invalidEntry;
        }
    }

    /** The absolute address of {@code vaddr} (low 12 bits kept), or the negated exception code. */
    public static long translate(Storage storage, long asce, long vaddr) {
        Walk w = new Walk();
        walk(a -> entry(storage, a), asce, vaddr, Controls.FIRMWARE, w);
        if (w.code != 0) {
            return -w.code;
        }
        // unsigned: a frame address with bit 0 set must not pass as a (negative) exception code
        if (Long.compareUnsigned(w.address, storage.size()) >= 0) {
            return -PAGE_TRANSLATION;
        }
        return w.address | (vaddr & 0xfff);
    }

    /** Index of {@code vaddr} into the table of {@code level} (3 region-first .. 1 region-third, 0 segment). */
    private static int index(long vaddr, int level) {
        return (int) (vaddr >>> (20 + 11 * level)) & 0x7ff;
    }

    /** Walks the tables of {@code asce} for {@code vaddr} into {@code w}. */
    public static void walk(Tables tables, long asce, long vaddr, Controls c, Walk w) {
        w.reset();
        if (c.strict && (asce & ASCE_REAL_SPACE) != 0) {
            w.address = vaddr & ~0xfffL; // a real space: the logical address is the real address
            return;
        }
        int type = (int) ((asce & ASCE_TYPE_MASK) >>> 2); // 3 region-first, 2 second, 1 third, 0 segment
        if (type < 3 && (vaddr >>> (31 + 11 * type)) != 0) {
            w.fail(ASCE_TYPE, false);
            return;
        }
        if (c.strict && (index(vaddr, type) >>> 9) > (asce & 3)) {
            w.fail(LEVEL_CODE[type], false);
            return;
        }
        long origin = asce & ASCE_ORIGIN_MASK;
        for (int level = type; level >= 1; level--) {
            long at = origin + index(vaddr, level) * 8L;
            long entry = tables.entry(at);
            w.entryAddress = at;
            if ((entry & ENTRY_INVALID) != 0) {
                w.fail(LEVEL_CODE[level], true);
                return;
            }
            if (c.strict && ((entry >>> 2) & 3) != level) {
                w.fail(TRANSLATION_SPECIFICATION, false);
                return;
            }
            if (c.edat1 && (entry & ENTRY_PROTECT) != 0) {
                w.protect = true;
            }
            if (level == 1 && c.edat2 && (entry & REGION_FC) != 0) {
                if (c.strict && (entry & ENTRY_COMMON) != 0 && (asce & ASCE_PRIVATE) != 0) {
                    w.fail(TRANSLATION_SPECIFICATION, false);
                    return;
                }
                w.noExec |= c.iep && (entry & ENTRY_NOEXEC) != 0;
                w.address = (entry & ~0x7fffffffL) | (vaddr & 0x7ffff000L);
                w.absolute = true;
                return;
            }
            if (c.strict) {
                int next = index(vaddr, level - 1) >>> 9;
                if (next < ((entry >>> 6) & 3) || next > (entry & 3)) {
                    w.fail(LEVEL_CODE[level - 1], false);
                    return;
                }
            }
            origin = entry & ~0xfffL;
        }
        long at = origin + index(vaddr, 0) * 8L;
        long ste = tables.entry(at);
        w.entryAddress = at;
        if ((ste & ENTRY_INVALID) != 0) {
            w.fail(SEGMENT_TRANSLATION, true);
            return;
        }
        if (c.strict && (((ste >>> 2) & 3) != 0 || ((ste & ENTRY_COMMON) != 0 && (asce & ASCE_PRIVATE) != 0))) {
            w.fail(TRANSLATION_SPECIFICATION, false);
            return;
        }
        w.protect |= (ste & ENTRY_PROTECT) != 0 && c.strict;
        if ((ste & SEGMENT_FC) != 0) {
            if (c.edat1) {
                w.noExec |= c.iep && (ste & ENTRY_NOEXEC) != 0;
                w.address = (ste & ~0xfffffL) | (vaddr & 0xff000L);
                w.absolute = true;
                return;
            }
            if (!c.strict) { // the firmware's tables never hold large entries
                w.fail(SEGMENT_TRANSLATION, true);
                return;
            }
        }
        at = (ste & ~0x7ffL) + ((vaddr >>> 12) & 0xff) * 8;
        long pte = tables.entry(at);
        w.entryAddress = at;
        if ((pte & PAGE_INVALID) != 0) {
            w.fail(PAGE_TRANSLATION, true);
            return;
        }
        if (c.strict && (pte & PAGE_BIT52) != 0) {
            w.fail(TRANSLATION_SPECIFICATION, false);
            return;
        }
        w.protect |= (pte & ENTRY_PROTECT) != 0 && c.strict;
        w.noExec |= c.iep && (pte & ENTRY_NOEXEC) != 0;
        w.address = pte & ~0xfffL;
    }

    /** Table entries are read by the firmware without ownership checks; -1 (invalid everywhere) if beyond storage. */
    private static long entry(Storage storage, long address) {
        if (address < 0 || address + 8 > storage.size()) {
            return -1;
        }
        byte[] f = storage.rawFrameForRead(address >>> Storage.PAGE_SHIFT);
        return (long) BE_LONG.get(f, (int) (address & Storage.PAGE_MASK)); // entries are 8-byte aligned
    }
}
