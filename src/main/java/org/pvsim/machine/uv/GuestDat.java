package org.pvsim.machine.uv;

import org.pvsim.machine.storage.Storage;

/**
 * Translation of a guest absolute address through the host's guest-mapping tables (the ASCE given
 * at Create Secure Configuration), as the UV does for import, unpack and guest UVCBs: z/Architecture
 * DAT with 4 KiB pages. Large (1 MiB) segments never hold secure pages, so they do not translate.
 */
final class GuestDat {
    static final long ASCE_ORIGIN_MASK = ~0xfffL;
    static final long ASCE_PRIVATE = 0x100;
    static final long ASCE_REAL_SPACE = 0x20;
    static final long ASCE_TYPE_MASK = 0x0c;
    static final long ENTRY_INVALID = 0x20;
    static final long SEGMENT_FC = 0x400;
    static final long PAGE_INVALID = 0x400;
    static final long NOT_MAPPED = -1;

    private static final java.lang.invoke.VarHandle BE_LONG = java.lang.invoke.MethodHandles
            .byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.BIG_ENDIAN);

    private GuestDat() {
    }

    /** The host absolute address of {@code gaddr}'s page (low 12 bits kept), or {@link #NOT_MAPPED}. */
    static long translate(Storage storage, long asce, long gaddr) {
        int type = (int) ((asce & ASCE_TYPE_MASK) >>> 2); // 3 region-first, 2 second, 1 third, 0 segment
        if (type < 3 && (gaddr >>> (31 + 11 * type)) != 0) {
            return NOT_MAPPED;
        }
        long origin = asce & ASCE_ORIGIN_MASK;
        for (int level = type; level >= 1; level--) {
            long index = (gaddr >>> (20 + 11 * level)) & 0x7ff;
            long entry = readLong(storage, origin + index * 8);
            if (entry == NOT_MAPPED || (entry & ENTRY_INVALID) != 0) {
                return NOT_MAPPED;
            }
            origin = entry & ~0xfffL;
        }
        long ste = readLong(storage, origin + ((gaddr >>> 20) & 0x7ff) * 8);
        if (ste == NOT_MAPPED || (ste & ENTRY_INVALID) != 0 || (ste & SEGMENT_FC) != 0) {
            return NOT_MAPPED;
        }
        long pte = readLong(storage, (ste & ~0x7ffL) + ((gaddr >>> 12) & 0xff) * 8);
        if (pte == NOT_MAPPED || (pte & PAGE_INVALID) != 0) {
            return NOT_MAPPED;
        }
        long frameAddress = pte & ~0xfffL;
        if (frameAddress >= storage.size()) {
            return NOT_MAPPED;
        }
        return frameAddress | (gaddr & 0xfff);
    }

    /** Table entries are read by the firmware without ownership checks; -1 if beyond storage. */
    private static long readLong(Storage storage, long address) {
        if (address < 0 || address + 8 > storage.size()) {
            return NOT_MAPPED;
        }
        byte[] f = storage.rawFrameForRead(address >>> Storage.PAGE_SHIFT);
        return (long) BE_LONG.get(f, (int) (address & Storage.PAGE_MASK)); // entries are 8-byte aligned
    }
}
