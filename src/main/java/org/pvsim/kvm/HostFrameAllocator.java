package org.pvsim.kvm;

import org.pvsim.machine.storage.HostStorage;

/**
 * The host's page allocator over absolute storage: a bitmap of 4 KiB frames with next-fit search (from
 * the lowest frame freed since) and accounting by use. Frames below {@link #FIRST_FRAME} (lowcore, the boot area) are never handed out.
 */
public final class HostFrameAllocator {
    /** What a frame is used for, for the statistics. */
    public enum Use {
        /** Guest memory (anonymous user memory backing memory slots). */
        GUEST,
        /** Storage donated to the Ultravisor (INIT, configurations, CPUs). */
        UV_DONATION,
        /** Guest DAT tables (the gmap). */
        DAT,
        /** Kernel data: SIE blocks, SCAs, SIDAs, bounce buffers, UVCB scratch frames. */
        KERNEL
    }

    /** The first frame the allocator manages: 1 MiB, above lowcore and the IPL area. */
    public static final long FIRST_FRAME = (1L << 20) >>> HostStorage.PAGE_SHIFT;

    private final long frames;
    private final long[] used;
    /** Frames in use per {@link Use#ordinal} (no boxing on the allocation path). */
    private final long[] inUse = new long[Use.values().length];
    private long freeFrames;
    private long cursor = FIRST_FRAME;

    public HostFrameAllocator(long storageSize) {
        this.frames = storageSize >>> HostStorage.PAGE_SHIFT;
        this.used = new long[(int) ((frames + 63) >>> 6)];
        for (long f = 0; f < Math.min(FIRST_FRAME, frames); f++) {
            set(f);
        }
        this.freeFrames = Math.max(0, frames - FIRST_FRAME);
    }

    /**
     * {@code pages} contiguous frames aligned to {@code alignPages} (a power of two): the absolute address of
     * the first, or -1 when no such run is free (the caller reports ENOMEM).
     */
    public synchronized long allocate(long pages, long alignPages, Use use) {
        if (pages <= 0 || Long.bitCount(alignPages) != 1) {
            throw new IllegalArgumentException("allocate " + pages + " pages aligned to " + alignPages);
        }
        long start = find(cursor, frames, pages, alignPages);
        if (start < 0) {
            start = find(FIRST_FRAME, cursor + pages, pages, alignPages);
        }
        if (start < 0) {
            return -1;
        }
        for (long f = start; f < start + pages; f++) {
            set(f);
        }
        cursor = start + pages;
        freeFrames -= pages;
        inUse[use.ordinal()] += pages;
        return start << HostStorage.PAGE_SHIFT;
    }

    /** Like {@link #allocate(long, long, Use)} but at or above {@code minAddress} (e.g. UV base storage above 2 GiB). */
    public synchronized long allocateAbove(long minAddress, long pages, long alignPages, Use use) {
        long start = find(Math.max(FIRST_FRAME, minAddress >>> HostStorage.PAGE_SHIFT), frames, pages, alignPages);
        if (start < 0) {
            return -1;
        }
        for (long f = start; f < start + pages; f++) {
            set(f);
        }
        freeFrames -= pages;
        inUse[use.ordinal()] += pages;
        return start << HostStorage.PAGE_SHIFT;
    }

    public long allocate(long pages, Use use) {
        return allocate(pages, 1, use);
    }

    private long find(long from, long limit, long pages, long align) {
        limit = Math.min(limit, frames);
        long f = (from + align - 1) & -align;
        while (f + pages <= limit) {
            long bad = firstUsed(f, pages);
            if (bad < 0) {
                return f;
            }
            f = (bad + 1 + align - 1) & -align;
        }
        return -1;
    }

    private long firstUsed(long start, long pages) {
        for (long f = start; f < start + pages; f++) {
            if (isSet(f)) {
                return f;
            }
        }
        return -1;
    }

    /** Gives {@code pages} frames at {@code address} back; they must have been allocated for {@code use}. */
    public synchronized void free(long address, long pages, Use use) {
        long start = address >>> HostStorage.PAGE_SHIFT;
        if ((address & HostStorage.PAGE_MASK) != 0 || start < FIRST_FRAME || start + pages > frames) {
            throw new IllegalArgumentException(String.format("free of 0x%x (%d pages): not an allocated range", address, pages));
        }
        for (long f = start; f < start + pages; f++) {
            if (!isSet(f)) {
                throw new IllegalStateException(String.format("double free of frame 0x%x", f << HostStorage.PAGE_SHIFT));
            }
            used[(int) (f >>> 6)] &= ~(1L << (f & 63));
        }
        freeFrames += pages;
        inUse[use.ordinal()] -= pages;
        // Freed frames are the next ones handed out, as the kernel reuses hot pages: a pure next-fit would
        // walk all storage, and every frame it ever wrote stays materialised in the simulator's heap.
        cursor = Math.min(cursor, start);
    }

    public synchronized boolean isAllocated(long address) {
        long f = address >>> HostStorage.PAGE_SHIFT;
        return f < frames && isSet(f);
    }

    public synchronized long freeBytes() {
        return freeFrames << HostStorage.PAGE_SHIFT;
    }

    /** Bytes in use for {@code use}. */
    public synchronized long bytesInUse(Use use) {
        return inUse[use.ordinal()] << HostStorage.PAGE_SHIFT;
    }

    private boolean isSet(long f) {
        return (used[(int) (f >>> 6)] & (1L << (f & 63))) != 0;
    }

    private void set(long f) {
        used[(int) (f >>> 6)] |= 1L << (f & 63);
    }
}
