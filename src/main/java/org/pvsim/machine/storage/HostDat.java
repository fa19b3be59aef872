package org.pvsim.machine.storage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A walk of z/Architecture DAT tables in absolute storage with 4 KiB pages, as the firmware does for
 * the host's guest-mapping tables (the gmap): by the UV for import, unpack and guest UVCBs, and by SIE
 * for every guest access. Region-first to segment tables by the ASCE's type; a large (1 MiB) segment
 * entry does not translate (secure pages are never large, and KVM's gmap never writes one).
 *
 * <p>The answer is the absolute address, or a negative program-interruption code: the exception the
 * walk would raise in the host (0x38-0x3b region/ASCE type, 0x10 segment, 0x11 page translation).
 */
public final class HostDat {
    public static final int ASCE_TYPE = 0x38;
    public static final int REGION_FIRST = 0x39;
    public static final int REGION_SECOND = 0x3a;
    public static final int REGION_THIRD = 0x3b;
    public static final int SEGMENT_TRANSLATION = 0x10;
    public static final int PAGE_TRANSLATION = 0x11;

    private static final long ASCE_ORIGIN_MASK = ~0xfffL;
    private static final long ASCE_TYPE_MASK = 0x0c;
    private static final long ENTRY_INVALID = 0x20;
    private static final long SEGMENT_FC = 0x400;
    private static final long PAGE_INVALID = 0x400;
    private static final int[] REGION_CODE = {SEGMENT_TRANSLATION, REGION_THIRD, REGION_SECOND, REGION_FIRST};
    private static final VarHandle BE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private HostDat() {
    }

    /** The absolute address of {@code vaddr} (low 12 bits kept), or the negated exception code. */
    public static long translate(Storage storage, long asce, long vaddr) {
        int type = (int) ((asce & ASCE_TYPE_MASK) >>> 2); // 3 region-first, 2 second, 1 third, 0 segment
        if (type < 3 && (vaddr >>> (31 + 11 * type)) != 0) {
            return -ASCE_TYPE;
        }
        long origin = asce & ASCE_ORIGIN_MASK;
        for (int level = type; level >= 1; level--) {
            long entry = entry(storage, origin + ((vaddr >>> (20 + 11 * level)) & 0x7ff) * 8);
            if (entry == -1 || (entry & ENTRY_INVALID) != 0) {
                return -REGION_CODE[level];
            }
            origin = entry & ~0xfffL;
        }
        long ste = entry(storage, origin + ((vaddr >>> 20) & 0x7ff) * 8);
        if (ste == -1 || (ste & ENTRY_INVALID) != 0 || (ste & SEGMENT_FC) != 0) {
            return -SEGMENT_TRANSLATION;
        }
        long pte = entry(storage, (ste & ~0x7ffL) + ((vaddr >>> 12) & 0xff) * 8);
        // unsigned: a frame address with bit 0 set must not pass as a (negative) exception code
        if (pte == -1 || (pte & PAGE_INVALID) != 0 || Long.compareUnsigned(pte & ~0xfffL, storage.size()) >= 0) {
            return -PAGE_TRANSLATION;
        }
        return (pte & ~0xfffL) | (vaddr & 0xfff);
    }

    /** Table entries are read by the firmware without ownership checks; -1 if beyond storage. */
    private static long entry(Storage storage, long address) {
        if (address < 0 || address + 8 > storage.size()) {
            return -1;
        }
        byte[] f = storage.rawFrameForRead(address >>> Storage.PAGE_SHIFT);
        return (long) BE_LONG.get(f, (int) (address & Storage.PAGE_MASK)); // entries are 8-byte aligned
    }
}
