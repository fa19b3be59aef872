package org.pvsim.kvm;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.pvsim.machine.storage.HostStorage;

/**
 * The address space of the user process (the VMM) that opened the KVM device: anonymous mappings whose
 * pages get a zeroed host frame on first touch. Memory slots point into it, user structs passed to ioctls
 * live in it, and every kernel copy from or to it goes through {@link SecurePages}, so a secure page is
 * made accessible (exported or pinned) before the host sees it.
 */
public final class UserMemory {
    /** User mappings start here, 1 MiB aligned as s390 memory slots require. */
    private static final long USER_BASE = 0x3ff_0000_0000L;
    private static final byte[] ZERO_PAGE = new byte[HostStorage.PAGE_SIZE];

    private final HostFrameAllocator allocator;
    private final SecurePages pages;
    private final KvmStats.Counters stats;
    /**
     * Each mapping under the key of every 1 MiB block it covers ({@link #blockKey}): mappings start 1 MiB
     * aligned, so a lookup is one hash probe. Lock-free, as every page fault of every vCPU of the process
     * looks here (the kernel's mm lock is a read lock there); a hash map rather than a sorted one, because in
     * a sorted map the VMs of one process, which map and unmap at the newest addresses, all changed the
     * same few nodes, and two VMs' lifecycles spent a quarter of their extra time there. A mapping costs
     * one entry per MiB, 1/256 of its page array. Sized for many: the bins of a small table share a few cache
     * lines, which two threads mapping and unmapping at once kept taking from each other.
     */
    private final ConcurrentHashMap<Long, Mapping> mappings = new ConcurrentHashMap<>(4096);
    /**
     * The listeners, as arrays replaced whole by compare-and-set, in stripes: every munmap reads them and every
     * VM adds and removes itself once, so reading must cost a load per stripe (a concurrent set's table, which
     * the other VMs' threads were writing, cost two VMs' lifecycles a cache miss per munmap), and changing
     * must not wait (a copy-on-write list's lock made VMs created and destroyed at once wait for each other).
     * A VM joins the stripe of the thread that creates it, each stripe on a cache line of its own: with one
     * array, two threads creating VMs failed each other's compare-and-set and fought over its line, which
     * made two threads' VM creates slower than one thread's. The order of the listeners does not matter.
     */
    private final AtomicReferenceArray<UnmapListener[]> unmapListeners = new AtomicReferenceArray<>(STRIPES * STRIDE);
    private static final int STRIPES = 8;
    /** Slots between two stripes: 16 references are at least 64 bytes, a cache line. */
    private static final int STRIDE = 16;
    /**
     * Where the next arena starts: each thread maps in an arena of its own ({@link #arena}), as two threads
     * that bumped one shared cursor on every mmap waited for each other's compare-and-set.
     */
    private final java.util.concurrent.atomic.AtomicLong nextArena = new java.util.concurrent.atomic.AtomicLong(USER_BASE);
    private static final long ARENA = 1L << 30;
    /** The calling thread's arena: {start of its free part, its end}. */
    private final ThreadLocal<long[]> arena = ThreadLocal.withInitial(() -> new long[2]);
    /** A page slot munmap has taken the frame from. */
    private static final long GONE = -1;

    /** Told when user pages go away, so that guest mappings of them are invalidated (the mmu notifier). */
    interface UnmapListener {
        void unmapped(long userAddress, long length);
    }

    private static final class Mapping {
        final long start;
        final long length;
        final AtomicLongArray frames; // host frame address per page, 0 = not present, GONE once unmapped
        /**
         * Set by munmap before it reads the slots, read by a fault after it installs a frame: one of the
         * two sees the other (both are volatile), so a frame a racing fault installs is never lost, and
         * munmap need not mark the slots that hold no frame (two thirds of its time on a 1 MiB mapping).
         */
        volatile boolean unmapped;

        Mapping(long start, long length) {
            this.start = start;
            this.length = length;
            this.frames = new AtomicLongArray((int) (length >>> HostStorage.PAGE_SHIFT));
        }

        int index(long userAddress) {
            return (int) ((userAddress - start) >>> HostStorage.PAGE_SHIFT);
        }
    }

    UserMemory(HostFrameAllocator allocator, SecurePages pages, KvmStats.Counters stats) {
        this.allocator = allocator;
        this.pages = pages;
        this.stats = stats;
        for (int i = 0; i < STRIPES; i++) {
            unmapListeners.set(i * STRIDE, new UnmapListener[0]);
        }
    }

    void addUnmapListener(UnmapListener l) {
        int slot = ThreadNumber.modulo(STRIPES) * STRIDE;
        unmapListeners.updateAndGet(slot, a -> {
            UnmapListener[] b = Arrays.copyOf(a, a.length + 1);
            b[a.length] = l;
            return b;
        });
    }

    /** Removes {@code l} from whichever stripe holds it (a VM may be destroyed by another thread than its creator). */
    void removeUnmapListener(UnmapListener l) {
        for (int slot = 0; slot < STRIPES * STRIDE; slot += STRIDE) {
            if (Arrays.asList(unmapListeners.get(slot)).contains(l)) {
                unmapListeners.updateAndGet(slot, a -> {
                    UnmapListener[] b = new UnmapListener[a.length];
                    int n = 0;
                    for (UnmapListener x : a) {
                        if (x != l) {
                            b[n++] = x;
                        }
                    }
                    return Arrays.copyOf(b, n);
                });
                return;
            }
        }
    }

    /** mmap(MAP_ANONYMOUS): a fresh 1 MiB aligned range of {@code length} bytes (rounded up to pages). */
    public long mmap(long length) {
        if (length <= 0 || length > (1L << 40)) {
            throw new KvmException("mmap", Errno.EINVAL, "length " + length + " out of range");
        }
        long len = (length + HostStorage.PAGE_MASK) & ~HostStorage.PAGE_MASK;
        long start = reserve(len);
        Mapping m = new Mapping(start, len);
        for (long b = start; b < start + len; b += BLOCK) {
            mappings.put(blockKey(b), m);
        }
        return start;
    }

    /** A 1 MiB aligned range of {@code len} addresses nobody has had, from the thread's arena. */
    private long reserve(long len) {
        long[] a = arena.get();
        long blocks = (len + BLOCK - 1) & -BLOCK;
        if (a[1] - a[0] < blocks) {
            long size = Math.max(ARENA, blocks);
            a[0] = nextArena.getAndAdd(size);
            a[1] = a[0] + size;
        }
        long start = a[0];
        a[0] += blocks;
        return start;
    }

    /** munmap() of a whole mapping: its frames are made non-secure and freed. */
    public void munmap(long address) {
        Mapping m = mappings.get(blockKey(address));
        if (m == null || m.start != address || !mappings.remove(blockKey(address), m)) {
            throw new KvmException("munmap", Errno.EINVAL, String.format("no mapping starts at 0x%x", address));
        }
        for (long b = address + BLOCK; b < address + m.length; b += BLOCK) {
            mappings.remove(blockKey(b));
        }
        m.unmapped = true;
        for (int slot = 0; slot < STRIPES * STRIDE; slot += STRIDE) {
            for (UnmapListener l : unmapListeners.get(slot)) {
                l.unmapped(m.start, m.length);
            }
        }
        for (int i = 0; i < m.frames.length(); i++) {
            long frame = m.frames.get(i);
            if (frame != 0 && frame != GONE && m.frames.compareAndSet(i, frame, GONE)) { // else a racing fault took it back
                // ptep_get_and_clear on a protected mm: a secure page never goes back to the allocator
                if (pages.release(frame)) {
                    allocator.free(frame, 1, HostFrameAllocator.Use.GUEST);
                } else {
                    stats.leaked(KvmStats.LeakReason.SECURE_PAGE, HostStorage.PAGE_SIZE);
                }
            }
        }
    }

    /**
     * The host frame behind {@code userAddress}, faulting it in (a zeroed frame); EFAULT if unmapped. As
     * the kernel's fault path, the frame is allocated and zeroed without a lock and installed by
     * compare-and-set (the page-table lock's job there) if no other thread installed one meanwhile, and
     * given back if munmap ran meanwhile, so that VMs of one process fault in parallel.
     */
    long faultIn(String command, long userAddress) {
        Mapping m = mapping(command, userAddress);
        int i = m.index(userAddress);
        long frame = m.frames.get(i);
        if (frame != 0) {
            return present(command, userAddress, frame);
        }
        long fresh = allocator.allocate(1, HostFrameAllocator.Use.GUEST);
        if (fresh < 0) {
            throw new KvmException(command, Errno.ENOMEM, "no host frame for user memory");
        }
        pages.write(command, fresh, ZERO_PAGE, 0, HostStorage.PAGE_SIZE);
        if (!m.frames.compareAndSet(i, 0, fresh)) {
            allocator.free(fresh, 1, HostFrameAllocator.Use.GUEST); // another thread faulted it in first
            return present(command, userAddress, m.frames.get(i));
        }
        if (m.unmapped) { // munmap ran meanwhile and may not have seen the frame: whoever takes it back frees it
            // another vCPU may have found the frame meanwhile and imported it: freed as munmap frees
            if (m.frames.compareAndSet(i, fresh, GONE) && pages.release(fresh)) {
                allocator.free(fresh, 1, HostFrameAllocator.Use.GUEST);
            }
            return present(command, userAddress, GONE);
        }
        return fresh;
    }

    private static long present(String command, long userAddress, long frame) {
        if (frame == GONE) {
            throw new KvmException(command, Errno.EFAULT, String.format("user address 0x%x is not mapped", userAddress));
        }
        return frame;
    }

    /** The host frame behind {@code userAddress} if it is present, else 0. */
    long frameIfPresent(long userAddress) {
        Mapping m = covering(userAddress);
        if (m == null) {
            return 0;
        }
        long frame = m.frames.get(m.index(userAddress));
        return frame == GONE ? 0 : frame;
    }

    /** Whether {@code [address, address+length)} lies inside one mapping. */
    boolean isMapped(long address, long length) {
        Mapping m = covering(address);
        return m != null && length >= 0 && address + length <= m.start + m.length;
    }

    private Mapping mapping(String command, long userAddress) {
        Mapping m = covering(userAddress);
        if (m == null) {
            throw new KvmException(command, Errno.EFAULT, String.format("user address 0x%x is not mapped", userAddress));
        }
        return m;
    }

    /** The mapping that holds {@code userAddress}, or null. */
    private Mapping covering(long userAddress) {
        Mapping m = mappings.get(blockKey(userAddress));
        return m != null && userAddress >= m.start && userAddress < m.start + m.length ? m : null;
    }

    private static final long BLOCK = 1L << 20;

    /**
     * The key of the 1 MiB block holding {@code address}: the block number times an odd constant (a
     * bijection), because consecutive numbers fill consecutive bins of the table, and the VMs of one
     * process map consecutive blocks at once, so they would write the same cache lines of it.
     */
    private static Long blockKey(long address) {
        return (address >>> 20) * 0x9E3779B97F4A7C15L;
    }

    // ---- copies, as copy_from_user / copy_to_user (and the VMM's own loads and stores) ----------

    /** The VMM reading its own memory (or the kernel's copy_from_user). */
    public byte[] read(long userAddress, int length) {
        byte[] b = new byte[length];
        read("read", userAddress, b, 0, length);
        return b;
    }

    /** The VMM writing its own memory (or the kernel's copy_to_user). */
    public void write(long userAddress, byte[] src) {
        write("write", userAddress, src, 0, src.length);
    }

    void read(String command, long userAddress, byte[] dst, int off, int len) {
        copyPageByPage(command, userAddress, dst, off, len, pages::read);
    }

    void write(String command, long userAddress, byte[] src, int off, int len) {
        copyPageByPage(command, userAddress, src, off, len, pages::write);
    }

    /** One direction of a host copy at a host address: {@link SecurePages#read} or {@link SecurePages#write}. */
    private interface HostCopy {
        void copy(String command, long hostAddress, byte[] buffer, int off, int len);
    }

    /** Splits a user range at page boundaries, since consecutive user pages need not be consecutive frames. */
    private void copyPageByPage(String command, long userAddress, byte[] buffer, int off, int len, HostCopy copy) {
        if (len < 0 || userAddress + len < userAddress) {
            throw new KvmException(command, Errno.EFAULT, "bad user buffer length " + len);
        }
        while (len > 0) {
            int inPage = (int) (userAddress & HostStorage.PAGE_MASK);
            int n = Math.min(len, HostStorage.PAGE_SIZE - inPage);
            long frame = faultIn(command, userAddress);
            copy.copy(command, frame + inPage, buffer, off, n);
            userAddress += n;
            off += n;
            len -= n;
        }
    }

    /** Allocates user memory holding {@code bytes} (a convenience for passing structs to ioctls). */
    public long put(byte[] bytes) {
        long a = mmap(Math.max(bytes.length, 1));
        write(a, bytes);
        return a;
    }
}
