package org.pvsim.machine.storage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.pvsim.machine.ProgramInterruption;

/**
 * Absolute storage of the machine: sparse 4 KiB frames, each with an owner tag that the Ultravisor
 * controls. A frame costs heap only once it is written; reads of untouched frames see zeros.
 *
 * <p>Every access names an access domain: {@link #HOST} for the host (the LPAR: KVM, host programs),
 * or the handle of a secure configuration for a secure guest. The ownership check is one int compare
 * against the frame's tag, so the CPU can afford it on every access.
 *
 * <p>{@code raw*} methods are for the firmware itself (the UV, the SIE state loader): they skip the
 * check. Nothing outside {@code machine} may call them (enforced by an architecture test).
 */
public final class Storage {
    public static final int PAGE_SHIFT = 12;
    public static final int PAGE_SIZE = 1 << PAGE_SHIFT;
    public static final long PAGE_MASK = PAGE_SIZE - 1;

    /** Access domain of the host. Secure configurations use their (non-zero) handle index. */
    public static final int HOST = 0;

    /** Frame states; a frame's tag is {@code owner << 2 | state}. */
    public static final int STATE_HOST = 0;
    public static final int STATE_SECURE = 1;
    public static final int STATE_SHARED = 2;
    public static final int STATE_UV = 3;

    /** Program-interruption code 0x3f, secure-storage violation (kvm-unit-tests asm/arch_def.h). */
    public static final int SECURE_STORAGE_VIOLATION = 0x3f;

    private static final int CHUNK_SHIFT = 16; // 65536 frames = 256 MiB per chunk
    private static final int CHUNK_FRAMES = 1 << CHUNK_SHIFT;
    private static final byte[] ZERO_FRAME = new byte[PAGE_SIZE];
    private static final VarHandle DOUBLEWORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final long size;
    private final long frameCount;
    private final byte[][][] frames;
    private final int[][] tags;
    private final HostStorage hostView = new HostStorage(this);

    /** The default machine size, 4 GiB. */
    public static final long DEFAULT_SIZE = 4L << 30;

    public Storage() {
        this(DEFAULT_SIZE);
    }

    public Storage(long size) {
        if (size <= 0 || (size & PAGE_MASK) != 0) {
            throw new IllegalArgumentException("storage size must be a positive multiple of 4 KiB: " + size);
        }
        if (size > (1L << 42)) {
            throw new IllegalArgumentException("storage size over 4 TiB: " + size);
        }
        this.size = size;
        this.frameCount = size >>> PAGE_SHIFT;
        int chunks = (int) ((frameCount + CHUNK_FRAMES - 1) >>> CHUNK_SHIFT);
        this.frames = new byte[chunks][][];
        this.tags = new int[chunks][];
    }

    public long size() {
        return size;
    }

    public long frameCount() {
        return frameCount;
    }

    /** The host's view of this storage: host-domain accesses only, the only form host layers are given. */
    public HostStorage hostView() {
        return hostView;
    }

    // ---- ownership ------------------------------------------------------------------------------

    public static int tag(int owner, int state) {
        return owner << 2 | state;
    }

    /** The frame's tag; the frame number must be valid (callers on hot paths have checked the range). */
    public int tagOf(long frame) {
        int[] t = tags[(int) (frame >>> CHUNK_SHIFT)];
        return t == null ? 0 : t[(int) (frame & (CHUNK_FRAMES - 1))];
    }

    public int stateOf(long frame) {
        checkFrame(frame);
        return tagOf(frame) & 3;
    }

    public int ownerOf(long frame) {
        checkFrame(frame);
        return tagOf(frame) >>> 2;
    }

    /** Only the Ultravisor changes ownership. */
    public void setTag(long frame, int tag) {
        storeTag(frame, tag);
        tagsChanged();
    }

    /**
     * {@link #setTag} for every frame of {@code [first, end)}, with one change of the tag generation for all:
     * the generation is one word every UV thread writes, so a donation of many frames that moved it once per
     * frame made two threads' creates wait on that cache line.
     */
    public void setTags(long first, long end, int tag) {
        for (long f = first; f < end; f++) {
            storeTag(f, tag);
        }
        tagsChanged();
    }

    /** The frames of {@code [first, end)} cleared ({@link #rawClearFrame}) and given tag 0, as {@link #setTags}. */
    public void clearAndRelease(long first, long end) {
        for (long f = first; f < end; f++) {
            rawClearFrame(f);
            storeTag(f, 0);
        }
        tagsChanged();
    }

    private void storeTag(long frame, int tag) {
        checkFrame(frame);
        if (tag < 0) {
            throw new IllegalArgumentException("negative frame tag: " + tag);
        }
        int c = (int) (frame >>> CHUNK_SHIFT);
        int[] t = tags[c];
        if (t == null) {
            if (tag == 0) {
                return;
            }
            t = tagChunk(c);
        }
        TAG.setRelease(t, (int) (frame & (CHUNK_FRAMES - 1)), tag);
    }

    private static final java.lang.invoke.VarHandle TAG = java.lang.invoke.MethodHandles.arrayElementVarHandle(int[].class);

    /**
     * Sets the frame's tag to {@code tag} only if it is {@code expected} now, atomically: the Ultravisor runs
     * calls of different configurations at once, and two of them (or a donation) may race for one host frame.
     */
    public boolean casTag(long frame, int expected, int tag) {
        if (!compareAndStoreTag(frame, expected, tag)) {
            return false;
        }
        tagsChanged();
        return true;
    }

    /**
     * {@link #casTag} from 0 for every frame of {@code [first, end)}, all or none: if one is not 0, the frames
     * taken before it get 0 again and the answer is false. The tag generation moves once (see {@link #setTags}).
     */
    public boolean claimFrames(long first, long end, int tag) {
        for (long f = first; f < end; f++) {
            if (!compareAndStoreTag(f, 0, tag)) {
                for (long g = first; g < f; g++) {
                    storeTag(g, 0);
                }
                tagsChanged();
                return false;
            }
        }
        tagsChanged();
        return true;
    }

    private boolean compareAndStoreTag(long frame, int expected, int tag) {
        checkFrame(frame);
        if (tag < 0) {
            throw new IllegalArgumentException("negative frame tag: " + tag);
        }
        int c = (int) (frame >>> CHUNK_SHIFT);
        int[] t = tags[c];
        if (t == null) {
            if (expected != 0) {
                return false;
            }
            t = tagChunk(c);
        }
        return TAG.compareAndSet(t, (int) (frame & (CHUNK_FRAMES - 1)), expected, tag);
    }

    /**
     * Counts tag changes, so that a CPU may keep a frame it has checked in its TLB and compare this one
     * number on each access instead of the frame's tag: a different number means some tag changed since,
     * and the CPU checks its entries again. Written by an atomic add after the tag itself, or after all tags
     * of a range, before the UV call that changed them returns (two UV threads must not lose an increment,
     * or one change could go unseen), read by {@link #tagGeneration()}. It
     * lives in the middle of an array of its own, alone on its cache line: as a field of this object it
     * shared a line with the fields every access reads (the size, the chunk tables), and each increment by
     * one UV thread made the other thread's next storage access miss.
     */
    private final long[] generation = new long[2 * GENERATION_SLOT];
    private static final int GENERATION_SLOT = 8; // 8 longs, 64 bytes, on either side

    private static final VarHandle GENERATION = MethodHandles.arrayElementVarHandle(long[].class);

    private void tagsChanged() {
        GENERATION.getAndAdd(generation, GENERATION_SLOT, 1L);
    }

    /**
     * The tag generation, read plainly: cheap enough for every CPU access. A tag change that happens-before
     * the read is seen (the increment comes after the tag write in the writer's program order, and the
     * Java memory model lets no read miss a write that happens-before it); a change racing with the read
     * may or may not be, as a plain read of the tag itself may or may not see it.
     */
    public long tagGeneration() {
        return generation[GENERATION_SLOT];
    }

    /**
     * The tag generation with acquire semantics: every tag read after it sees at least the tags written
     * before the increments it counts. For the CPU before it checks its TLB entries again.
     */
    public long tagGenerationAcquire() {
        return (long) GENERATION.getAcquire(generation, GENERATION_SLOT);
    }

    /**
     * Throws the program interruption an access by {@code domain} to {@code frame} raises, if any.
     * Host: the frame must be non-secure or shared, else 0x3d. Guest: the frame must be its own, secure
     * or shared; a non-secure frame gives 0x3e (the host must import it), a frame that belongs to the UV
     * or to another configuration gives 0x3f (secure-storage violation: the host mapped it wrongly).
     */
    public void checkAccess(long frame, int domain, long address) {
        int tag = tagOf(frame);
        if (permitted(tag, domain)) {
            return;
        }
        int code = domain == HOST ? ProgramInterruption.SECURE_STORAGE_ACCESS
                : (tag & 3) == STATE_HOST ? ProgramInterruption.NON_SECURE_STORAGE_ACCESS
                : SECURE_STORAGE_VIOLATION;
        throw new ProgramInterruption(code, address);
    }

    /** Whether an access by {@code domain} to {@code frame} raises nothing ({@link #checkAccess}'s test). */
    public boolean permits(long frame, int domain) {
        return permitted(tagOf(frame), domain);
    }

    private static boolean permitted(int tag, int domain) {
        if (domain == HOST) {
            int state = tag & 3;
            return state != STATE_SECURE && state != STATE_UV;
        }
        return tag == (domain << 2 | STATE_SECURE) || tag == (domain << 2 | STATE_SHARED);
    }

    // ---- frames ---------------------------------------------------------------------------------

    /** The frame's bytes for reading; untouched frames share one zero frame that must not be written. */
    public byte[] rawFrameForRead(long frame) {
        checkFrame(frame);
        byte[][] chunk = frames[(int) (frame >>> CHUNK_SHIFT)];
        if (chunk == null) {
            return ZERO_FRAME;
        }
        byte[] f = chunk[(int) (frame & (CHUNK_FRAMES - 1))];
        return f == null ? ZERO_FRAME : f;
    }

    /** Whether the frame holds bytes of its own (has been written), rather than reading as zeros. */
    public boolean materialised(long frame) {
        return rawFrameForRead(frame) != ZERO_FRAME;
    }

    /**
     * Told of every write into a frame that does not come from a CPU's own stores (host code through the
     * checked accessors, firmware through the raw ones), so that code decoded from the frame can be
     * forgotten. Called before a raw frame is handed out, since its holder may write at any time after.
     */
    @FunctionalInterface
    public interface WriteObserver {
        void written(long frame, int offset, int length);
    }

    private volatile WriteObserver[] observers = new WriteObserver[0];

    public synchronized void observeWrites(WriteObserver observer) {
        WriteObserver[] o = java.util.Arrays.copyOf(observers, observers.length + 1);
        o[o.length - 1] = java.util.Objects.requireNonNull(observer, "observer");
        observers = o;
    }

    private void written(long frame, int offset, int length) {
        for (WriteObserver o : observers) {
            o.written(frame, offset, length);
        }
    }

    /** The frame's bytes for writing; materialises the frame and tells the observers it may change. */
    public byte[] rawFrameForWrite(long frame) {
        byte[] f = rawFrameForCpu(frame);
        written(frame, 0, PAGE_SIZE);
        return f;
    }

    /**
     * The frame's bytes, materialised, without telling the observers: only for the CPU, which invalidates
     * the code its own stores overlap itself and must not pay for (or be hit by) a whole-frame notice on
     * every TLB fill.
     */
    public byte[] rawFrameForCpu(long frame) {
        checkFrame(frame);
        int c = (int) (frame >>> CHUNK_SHIFT);
        byte[][] chunk = frames[c];
        int i = (int) (frame & (CHUNK_FRAMES - 1));
        byte[] f = chunk == null ? null : chunk[i];
        return f != null ? f : materialise(c, i);
    }

    private static final java.lang.invoke.VarHandle FRAME = java.lang.invoke.MethodHandles.arrayElementVarHandle(byte[][].class);

    // Two CPUs (or UV calls of two configurations) touching a new frame at once must get the same array:
    // the frame is installed by a compare-and-set, so that frames of different callers need no common lock.
    private byte[] materialise(int c, int i) {
        byte[][] chunk = frames[c];
        if (chunk == null) {
            chunk = frameChunk(c);
        }
        byte[] f = new byte[PAGE_SIZE];
        byte[] won = (byte[]) FRAME.compareAndExchange(chunk, i, (byte[]) null, f);
        return won == null ? f : won;
    }

    private synchronized byte[][] frameChunk(int c) {
        byte[][] chunk = frames[c];
        if (chunk == null) {
            chunk = frames[c] = new byte[CHUNK_FRAMES][];
        }
        return chunk;
    }

    private synchronized int[] tagChunk(int c) {
        int[] t = tags[c];
        if (t == null) {
            t = tags[c] = new int[CHUNK_FRAMES];
        }
        return t;
    }

    /** Zeroes a frame by dropping its bytes (the UV's "clear on first import", destroy). */
    public void rawClearFrame(long frame) {
        checkFrame(frame);
        byte[][] chunk = frames[(int) (frame >>> CHUNK_SHIFT)];
        if (chunk != null) {
            chunk[(int) (frame & (CHUNK_FRAMES - 1))] = null;
        }
        written(frame, 0, PAGE_SIZE);
    }

    /** How many frames hold bytes (for tests of sparseness and for statistics). */
    public long materialisedFrames() {
        long n = 0;
        for (byte[][] chunk : frames) {
            if (chunk != null) {
                for (byte[] f : chunk) {
                    if (f != null) {
                        n++;
                    }
                }
            }
        }
        return n;
    }

    // ---- checked access -------------------------------------------------------------------------

    public void read(long address, byte[] dst, int off, int len, int domain) {
        checkRange(address, len);
        // check every frame first, so that a faulting read leaves dst untouched
        for (long f = address >>> PAGE_SHIFT; len > 0 && f <= (address + len - 1) >>> PAGE_SHIFT; f++) {
            checkAccess(f, domain, Math.max(address, f << PAGE_SHIFT));
        }
        while (len > 0) {
            long frame = address >>> PAGE_SHIFT;
            int inPage = (int) (address & PAGE_MASK);
            int n = Math.min(len, PAGE_SIZE - inPage);
            System.arraycopy(rawFrameForRead(frame), inPage, dst, off, n);
            address += n;
            off += n;
            len -= n;
        }
    }

    public void write(long address, byte[] src, int off, int len, int domain) {
        checkRange(address, len);
        if (len == 0) {
            return;
        }
        // check every frame first, so that a faulting write changes nothing
        for (long f = address >>> PAGE_SHIFT; f <= (address + len - 1) >>> PAGE_SHIFT; f++) {
            checkAccess(f, domain, Math.max(address, f << PAGE_SHIFT));
        }
        while (len > 0) {
            long frame = address >>> PAGE_SHIFT;
            int inPage = (int) (address & PAGE_MASK);
            int n = Math.min(len, PAGE_SIZE - inPage);
            System.arraycopy(src, off, rawFrameForCpu(frame), inPage, n);
            written(frame, inPage, n);
            address += n;
            off += n;
            len -= n;
        }
    }

    public byte[] read(long address, int len, int domain) {
        byte[] b = new byte[len];
        read(address, b, 0, len, domain);
        return b;
    }

    public long readLong(long address, int domain) {
        return readUnsigned(address, 8, domain);
    }

    public int readInt(long address, int domain) {
        return (int) readUnsigned(address, 4, domain);
    }

    public int readShort(long address, int domain) {
        return (int) readUnsigned(address, 2, domain);
    }

    public int readByte(long address, int domain) {
        return (int) readUnsigned(address, 1, domain);
    }

    public void writeLong(long address, long value, int domain) {
        writeUnsigned(address, value, 8, domain);
    }

    public void writeInt(long address, int value, int domain) {
        writeUnsigned(address, value, 4, domain);
    }

    public void writeShort(long address, int value, int domain) {
        writeUnsigned(address, value, 2, domain);
    }

    public void writeByte(long address, int value, int domain) {
        writeUnsigned(address, value, 1, domain);
    }

    /** Big-endian read of 1..8 bytes. */
    public long readUnsigned(long address, int len, int domain) {
        checkWidth(len);
        checkRange(address, len);
        int inPage = (int) (address & PAGE_MASK);
        if (inPage + len <= PAGE_SIZE) {
            long frame = address >>> PAGE_SHIFT;
            checkAccess(frame, domain, address);
            byte[] f = rawFrameForRead(frame);
            long v = 0;
            for (int i = 0; i < len; i++) {
                v = v << 8 | (f[inPage + i] & 0xff);
            }
            return v;
        }
        byte[] b = read(address, len, domain);
        long v = 0;
        for (byte x : b) {
            v = v << 8 | (x & 0xff);
        }
        return v;
    }

    /** Big-endian write of the low {@code len} (1..8) bytes of value. */
    public void writeUnsigned(long address, long value, int len, int domain) {
        checkWidth(len);
        byte[] b = new byte[len];
        for (int i = len - 1; i >= 0; i--) {
            b[i] = (byte) value;
            value >>>= 8;
        }
        write(address, b, 0, len, domain);
    }

    /**
     * Atomic compare-and-set of the doubleword at {@code address} (8-aligned): what a store by another
     * thread (another CPU, a host thread kicking a vCPU) cannot tear or lose, unlike a read-modify-write.
     * False, with storage unchanged, if the doubleword is not {@code expected}.
     */
    public boolean compareAndSetLong(long address, long expected, long replacement, int domain) {
        if ((address & 7) != 0) {
            throw new IllegalArgumentException(String.format("compare-and-set at 0x%x: not on a doubleword boundary", address));
        }
        checkRange(address, 8);
        long frame = address >>> PAGE_SHIFT;
        checkAccess(frame, domain, address);
        int inPage = (int) (address & PAGE_MASK);
        if (!DOUBLEWORDS.compareAndSet(rawFrameForCpu(frame), inPage, expected, replacement)) {
            return false;
        }
        written(frame, inPage, 8);
        return true;
    }

    private static void checkWidth(int len) {
        if (len < 1 || len > 8) {
            throw new IllegalArgumentException("access width must be 1..8 bytes: " + len);
        }
    }

    private void checkRange(long address, long len) {
        if (len < 0 || address < 0 || address > size - len) {
            throw new ProgramInterruption(ProgramInterruption.ADDRESSING,
                    address < 0 || address >= size ? address : size);
        }
    }

    private void checkFrame(long frame) {
        if (frame < 0 || frame >= frameCount) {
            throw new ProgramInterruption(ProgramInterruption.ADDRESSING, frame << PAGE_SHIFT);
        }
    }
}
