package org.pvsim.kvm;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import org.pvsim.machine.storage.HostStorage;

/**
 * The host's page allocator over absolute storage: a bitmap of 4 KiB frames with next-fit search (from
 * the lowest frame freed since) and accounting by use. Frames below {@link #FIRST_FRAME} (lowcore, the
 * boot area) are never handed out.
 *
 * <p>Striped, as the kernel keeps per-CPU page lists: storage is cut into chunks of {@link #CHUNK_FRAMES}
 * frames dealt round-robin to up to {@link #MAX_STRIPES} stripes, each with its own lock and next-fit
 * cursor, and a thread allocates from its own stripe first, so that two VMs of one process fault and
 * free pages without waiting for each other. A run that does not fit in one chunk of the thread's stripe
 * (large or aligned runs, a full stripe) is searched over all storage with every stripe locked, as one
 * lock did before. Storage too small for two stripes has one, and behaves exactly as one locked bitmap.
 * The counts are per stripe under its lock, so a total read while calls are in flight may be off by them.
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
    /** Frames per chunk (16 MiB): a whole number of bitmap words, so no word is shared by two stripes. */
    static final long CHUNK_FRAMES = 4096;
    static final int MAX_STRIPES = 4;
    /** Storage gets stripes only with at least this many chunks per stripe (so tiny storages keep one). */
    private static final long MIN_CHUNKS_PER_STRIPE = 8;

    private final long frames;
    /**
     * The bitmap: frame f's bit is in word {@code HEADER_GAP + f / 64}, which the lock of the stripe that
     * owns f's chunk guards. The gap keeps the words that change off the cache lines of the array's header,
     * whose length every thread reads on every access (the bounds check): with frame 256's word on them,
     * the thread allocating from the first chunk made every other thread's allocator calls miss.
     */
    private final long[] used;
    private static final int HEADER_GAP = 16;
    private final Stripe[] stripes;
    /** Where the all-storage search starts (a hint written under the locks it needs, read under all). */
    private final AtomicLong cursor = new AtomicLong(FIRST_FRAME);
    /**
     * Frames in use per stripe and {@link Use#ordinal}, at {@code (stripe + 1) * COUNT_STRIDE + use}, each guarded
     * by its stripe's lock. Not shared adders: two threads whose adder cells happened to collide wrote one
     * cache line on every call without ever noticing (an adder spreads only after a failed update), which
     * made allocating on two threads slower than on one. The stride keeps each stripe's counts off the
     * lines of the others' and of the array's header (see {@link #used}). A run is counted in the stripe of
     * its first frame, when taken and when freed.
     */
    private final long[] inUse;
    private static final int COUNT_STRIDE = 16;

    /**
     * One stripe: its lock guards its chunks' bitmap words and its cursor. The stripe is its own lock (the
     * mutex of {@link AbstractQueuedSynchronizer}'s documentation, not reentrant): a {@code ReentrantLock}
     * keeps its state in a second object, and the garbage collector packs those of all stripes together
     * when it copies them, so two threads locking their own stripes wrote one cache line, and allocating
     * and freeing on two threads took twice the time of one. The padding keeps the next object (the next
     * stripe) off the lines this one's lock state and cursor are on.
     */
    @SuppressWarnings({"serial", "unused"}) // never serialized; the padding is never read
    private static final class Stripe extends AbstractQueuedSynchronizer {
        final int index;
        /** Next-fit start inside this stripe's chunks. */
        long cursor;
        private long p0, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15;

        Stripe(int index, long cursor) {
            this.index = index;
            this.cursor = cursor;
        }

        void lock() {
            acquire(1);
        }

        void unlock() {
            release(1);
        }

        @Override
        protected boolean tryAcquire(int ignored) {
            return compareAndSetState(0, 1);
        }

        @Override
        protected boolean tryRelease(int ignored) {
            setState(0);
            return true;
        }
    }

    public HostFrameAllocator(long storageSize) {
        this.frames = storageSize >>> HostStorage.PAGE_SHIFT;
        this.used = new long[HEADER_GAP + (int) ((frames + 63) >>> 6)];
        for (long f = 0; f < Math.min(FIRST_FRAME, frames); f++) {
            set(f);
        }
        long chunks = (frames + CHUNK_FRAMES - 1) / CHUNK_FRAMES;
        int n = (int) Math.max(1, Math.min(MAX_STRIPES, chunks / MIN_CHUNKS_PER_STRIPE));
        this.stripes = new Stripe[n];
        for (int i = 0; i < n; i++) {
            stripes[i] = new Stripe(i, Math.max(FIRST_FRAME, i * CHUNK_FRAMES));
        }
        this.inUse = new long[(n + 1) * COUNT_STRIDE];
    }

    /**
     * {@code pages} contiguous frames aligned to {@code alignPages} (a power of two): the absolute address of
     * the first, or -1 when no such run is free (the caller reports ENOMEM).
     */
    public long allocate(long pages, long alignPages, Use use) {
        if (pages <= 0 || Long.bitCount(alignPages) != 1) {
            throw new IllegalArgumentException("allocate " + pages + " pages aligned to " + alignPages);
        }
        if (stripes.length > 1 && pages <= CHUNK_FRAMES && alignPages <= CHUNK_FRAMES) {
            long a = allocateInStripe(home(), pages, alignPages, use);
            if (a >= 0) {
                return a;
            }
        }
        lockAll();
        try {
            long from = cursor.get();
            long start = find(from, frames, pages, alignPages);
            if (start < 0) {
                start = find(FIRST_FRAME, from + pages, pages, alignPages);
            }
            if (start < 0) {
                return -1;
            }
            take(start, pages, use);
            cursor.set(start + pages);
            return start << HostStorage.PAGE_SHIFT;
        } finally {
            unlockAll();
        }
    }

    /** Like {@link #allocate(long, long, Use)} but at or above {@code minAddress} (e.g. UV base storage above 2 GiB). */
    public long allocateAbove(long minAddress, long pages, long alignPages, Use use) {
        lockAll();
        try {
            long start = find(Math.max(FIRST_FRAME, minAddress >>> HostStorage.PAGE_SHIFT), frames, pages, alignPages);
            if (start < 0) {
                return -1;
            }
            take(start, pages, use);
            return start << HostStorage.PAGE_SHIFT;
        } finally {
            unlockAll();
        }
    }

    public long allocate(long pages, Use use) {
        return allocate(pages, 1, use);
    }

    /** The calling thread's stripe: threads spread over the stripes by {@link ThreadNumber}. */
    private Stripe home() {
        return stripes[ThreadNumber.modulo(stripes.length)];
    }

    /** Next-fit over the stripe's own chunks, a run never crossing a chunk; -1 if none fits. */
    private long allocateInStripe(Stripe s, long pages, long align, Use use) {
        s.lock();
        try {
            long n = stripes.length;
            long chunks = (frames + CHUNK_FRAMES - 1) / CHUNK_FRAMES;
            long from = s.cursor;
            long first = from / CHUNK_FRAMES;
            if (first % n != s.index) { // the cursor ran off the end of one of its chunks: its next chunk
                first += Math.floorMod(s.index - first, n);
                from = first * CHUNK_FRAMES;
            }
            long start = -1;
            for (long c = first; c < chunks && start < 0; c += n) {
                start = find(Math.max(from, c * CHUNK_FRAMES), (c + 1) * CHUNK_FRAMES, pages, align);
            }
            for (long c = s.index; c <= first && start < 0; c += n) {
                start = find(c * CHUNK_FRAMES, Math.min((c + 1) * CHUNK_FRAMES, from + pages), pages, align);
            }
            if (start < 0) {
                return -1;
            }
            take(start, pages, use);
            s.cursor = start + pages;
            return start << HostStorage.PAGE_SHIFT;
        } finally {
            s.unlock();
        }
    }

    /** Marks a free run used and counts it (the caller holds the locks of its chunks). */
    private void take(long start, long pages, Use use) {
        for (long f = start; f < start + pages; f++) {
            set(f);
        }
        inUse[countIndex(start, use)] += pages;
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
    public void free(long address, long pages, Use use) {
        long start = address >>> HostStorage.PAGE_SHIFT;
        if ((address & HostStorage.PAGE_MASK) != 0 || start < FIRST_FRAME || start + pages > frames) {
            throw new IllegalArgumentException(String.format("free of 0x%x (%d pages): not an allocated range", address, pages));
        }
        long end = start + pages;
        int lo = stripeIndex(start);
        int count = Math.min(stripes.length, (int) ((end - 1) / CHUNK_FRAMES - start / CHUNK_FRAMES + 1));
        lockRange(lo, count);
        try {
            for (long f = start; f < end; f++) {
                if (!isSet(f)) {
                    throw new IllegalStateException(String.format("double free of frame 0x%x", f << HostStorage.PAGE_SHIFT));
                }
            }
            for (long f = start; f < end; f++) {
                used[HEADER_GAP + (int) (f >>> 6)] &= ~(1L << (f & 63));
            }
            inUse[countIndex(start, use)] -= pages;
            // Freed frames are the next ones handed out, as the kernel reuses hot pages: a pure next-fit would
            // walk all storage, and every frame it ever wrote stays materialised in the simulator's heap.
            Stripe s = stripes[lo];
            s.cursor = Math.min(s.cursor, start);
            for (long c = start / CHUNK_FRAMES + 1; c <= (end - 1) / CHUNK_FRAMES && c < start / CHUNK_FRAMES + stripes.length; c++) {
                Stripe t = stripes[(int) (c % stripes.length)];
                t.cursor = Math.min(t.cursor, c * CHUNK_FRAMES);
            }
            lowerCursor(start);
        } finally {
            unlockRange(lo, count);
        }
    }

    /** The all-storage cursor only moves down here; read first, so the common case writes nothing shared. */
    private void lowerCursor(long frame) {
        long c = cursor.get();
        while (frame < c && !cursor.compareAndSet(c, frame)) {
            c = cursor.get();
        }
    }

    public boolean isAllocated(long address) {
        long f = address >>> HostStorage.PAGE_SHIFT;
        if (f >= frames || f < 0) {
            return false;
        }
        Stripe s = stripes[stripeIndex(f)];
        s.lock();
        try {
            return isSet(f);
        } finally {
            s.unlock();
        }
    }

    public long freeBytes() {
        long used = 0;
        for (Use u : Use.values()) {
            used += framesInUse(u);
        }
        return (Math.max(0, frames - FIRST_FRAME) - used) << HostStorage.PAGE_SHIFT;
    }

    /** Bytes in use for {@code use}. */
    public long bytesInUse(Use use) {
        return framesInUse(use) << HostStorage.PAGE_SHIFT;
    }

    /** Frames in use for {@code use}, summed stripe by stripe under each one's lock. */
    private long framesInUse(Use use) {
        long n = 0;
        for (Stripe s : stripes) {
            s.lock();
            try {
                n += inUse[(s.index + 1) * COUNT_STRIDE + use.ordinal()];
            } finally {
                s.unlock();
            }
        }
        return n;
    }

    private int countIndex(long startFrame, Use use) {
        return (stripeIndex(startFrame) + 1) * COUNT_STRIDE + use.ordinal();
    }

    private int stripeIndex(long frame) {
        return (int) ((frame / CHUNK_FRAMES) % stripes.length);
    }

    /** Locks {@code count} stripes starting at {@code lo}, wrapping, always in ascending index order. */
    private void lockRange(int lo, int count) {
        for (int i = 0; i < stripes.length; i++) {
            if (inRange(i, lo, count)) {
                stripes[i].lock();
            }
        }
    }

    private void unlockRange(int lo, int count) {
        for (int i = stripes.length - 1; i >= 0; i--) {
            if (inRange(i, lo, count)) {
                stripes[i].unlock();
            }
        }
    }

    private boolean inRange(int i, int lo, int count) {
        return Math.floorMod(i - lo, stripes.length) < count;
    }

    private void lockAll() {
        lockRange(0, stripes.length);
    }

    private void unlockAll() {
        unlockRange(0, stripes.length);
    }

    private boolean isSet(long f) {
        return (used[HEADER_GAP + (int) (f >>> 6)] & (1L << (f & 63))) != 0;
    }

    private void set(long f) {
        used[HEADER_GAP + (int) (f >>> 6)] |= 1L << (f & 63);
    }
}
