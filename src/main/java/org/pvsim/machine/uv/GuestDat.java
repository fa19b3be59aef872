package org.pvsim.machine.uv;

import org.pvsim.machine.storage.HostDat;
import org.pvsim.machine.storage.Storage;

/**
 * Translation of a guest absolute address through the host's guest-mapping tables (the ASCE given
 * at Create Secure Configuration), as the UV does for import, unpack and guest UVCBs: z/Architecture
 * DAT with 4 KiB pages ({@link HostDat}).
 */
final class GuestDat {
    static final long ASCE_ORIGIN_MASK = ~0xfffL;
    static final long ASCE_PRIVATE = 0x100;
    static final long ASCE_REAL_SPACE = 0x20;
    static final long NOT_MAPPED = -1;

    private GuestDat() {
    }

    /** The host absolute address of {@code gaddr}'s page (low 12 bits kept), or {@link #NOT_MAPPED}. */
    static long translate(Storage storage, long asce, long gaddr) {
        long a = HostDat.translate(storage, asce, gaddr);
        return a < 0 ? NOT_MAPPED : a;
    }
}
