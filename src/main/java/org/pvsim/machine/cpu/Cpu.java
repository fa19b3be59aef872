package org.pvsim.machine.cpu;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.pvsim.machine.ProgramInterruption;
import org.pvsim.machine.storage.Storage;

/**
 * One z/Architecture CPU: its registers, PSW, prefix, timers, and the run loop that executes
 * pre-decoded instructions from the {@link CodeCache}.
 *
 * <p>Storage is reached through small direct-mapped TLBs keyed by the real page, so that prefixing is
 * applied once per page and a hit costs the page compare plus one compare of the storage's tag generation
 * ({@link Storage#tagGeneration}): the frame's ownership was checked when the entry was filled, and is
 * checked again when any tag changes; an entry whose frame fails then goes to {@link Storage#checkAccess}
 * on every access, which raises the architected exception. Pages holding decoded code never enter the
 * write TLB, so a store into code takes the slow path, which drops the decoded page (self-modifying
 * code stays correct).
 *
 * <p>With DAT on (PSW bit 5) the TLBs are keyed by the logical page and filled through {@link Dat}
 * (translation, prefixing, protection); what a fill depends on purges them when it changes. A translated
 * block runs only at the address it was translated for, so a frame mapped at two addresses (or reached
 * with DAT on and off) never runs a block built for the other one.
 */
public final class Cpu {
    static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);

    private static final int TLB_SIZE = 64;
    private static final int TLB_MASK = TLB_SIZE - 1;

    public enum State { STOPPED, OPERATING }

    // ---- architected state --------------------------------------------------------------------
    public final long[] gr = new long[16];
    public final long[] cr = new long[16];
    public final int[] ar = new int[16];
    public final long[] fpr = new long[16];
    /**
     * The vector registers beyond the FPRs: bits 0-63 of VR n are {@code fpr[n]} for n < 16 (the FPRs
     * overlay the VRs' leftmost halves) and {@code vrHigh[n - 16]} above; bits 64-127 are {@code vrLow[n]}.
     */
    public final long[] vrHigh = new long[16];
    public final long[] vrLow = new long[32];
    public int fpc;
    /** PSW mask without the condition code (kept in {@link #cc}). */
    long pswMask;
    /** Instruction address; during execution already advanced past the current instruction. */
    public long ia;
    public int cc;
    /** Effective-address mask of the addressing mode (24, 31 or 64 bits). */
    long amask;
    long prefix;
    final int cpuAddress;
    State state = State.STOPPED;
    final Clocks.CpuTimers timers;

    // ---- machine links ---------------------------------------------------------------------------
    final Machine machine;
    final Storage storage;
    int domain;
    /** The tag that passes the ownership check without a call (host frame for the host domain). */
    private int fastTag;
    /** A hypervisor's view of control instructions (null: the CPU executes them itself). */
    InterceptionHook interceptionHook;
    /** The SIE context while this CPU runs a guest (null: a CPU of the machine itself). */
    GuestMode guest;

    // ---- run-loop state -------------------------------------------------------------------------
    long insnCount;
    long limit;
    private long codeBase = -1;
    private Insn[] codeSlots;
    private CodeCache.Page codePage;
    /** Address of the target of EXECUTE while it runs, else -1. */
    long executeAddress = -1;
    /** Length of the instruction being decoded, for the ILC of an operation exception. */
    int decodeLength;
    /** An overflow with the program mask on: raised (completing) once the result is stored. */
    boolean overflowPending;
    /** Translated blocks entered (each may repeat itself many times inside). */
    long blockRuns;
    /** Run hot blocks as translated JVM bytecode ({@link Translator}); set by the machine. */
    boolean translate;
    /** Why the CPU stopped by itself (check stop), or null. */
    String checkStop;
    /**
     * The PSW loaded last has a format error: the specification exception is recognized as soon as it is
     * active, before any instruction or interruption, with the invalid PSW as the old PSW (early exception).
     */
    boolean pswInvalid;

    /** In a TLB entry's page: the frame failed the ownership check when the tags last changed. */
    private static final long RECHECK = 1L << 62;
    /** The storage's tag generation at which the TLB entries' frames were last checked. */
    private long tlbGeneration = -1;
    private final long[] rPage = new long[TLB_SIZE];
    private final long[] rFrame = new long[TLB_SIZE];
    private final byte[][] rData = new byte[TLB_SIZE][];
    private final TlbEntry[] wTlb = new TlbEntry[TLB_SIZE];
    /** Dynamic address translation and protection, on TLB misses. */
    final Dat dat = new Dat(this);

    // ---- pending interruption conditions (the machine is single-threaded, see Machine) -------------
    /** Emergency-signal senders, one bit per CPU address. */
    long emergencyFrom;
    int externalCallFrom = -1;
    boolean restartPending;

    Cpu(Machine machine, int cpuAddress, int domain) {
        this.machine = machine;
        this.storage = machine.storage();
        this.cpuAddress = cpuAddress;
        setDomain(domain);
        this.timers = new Clocks.CpuTimers();
        reset();
    }

    /** Initial CPU reset: registers, PSW, prefix and timers to their architected reset values. */
    public void reset() {
        java.util.Arrays.fill(gr, 0);
        java.util.Arrays.fill(ar, 0);
        java.util.Arrays.fill(fpr, 0);
        java.util.Arrays.fill(vrHigh, 0);
        java.util.Arrays.fill(vrLow, 0);
        java.util.Arrays.fill(cr, 0);
        cr[0] = 0xe0L; // the initial-reset value of CR0 (bits 56-58)
        cr[14] = 0xc2000000L;
        fpc = 0;
        setPsw(0, 0);
        prefix = 0;
        timers.reset();
        emergencyFrom = 0;
        externalCallFrom = -1;
        restartPending = false;
        flushTlb();
    }

    public int address() {
        return cpuAddress;
    }

    public State state() {
        return state;
    }

    public Machine machine() {
        return machine;
    }

    public int domain() {
        return domain;
    }

    /**
     * Switches the access domain of every storage access (the SIE of a secure guest runs with the
     * configuration's domain, the host with {@link Storage#HOST}).
     */
    public void setDomain(int domain) {
        this.domain = domain;
        this.fastTag = domain == Storage.HOST ? 0 : Storage.tag(domain, Storage.STATE_SECURE);
        flushTlb();
    }

    public void setInterceptionHook(InterceptionHook hook) {
        this.interceptionHook = hook;
    }

    public long prefix() {
        return prefix;
    }

    public Psw psw() {
        return new Psw(pswMask | (long) cc << Psw.CC_SHIFT, ia);
    }

    public long instructionCount() {
        return insnCount;
    }

    public boolean problemState() {
        return (pswMask & Psw.PROBLEM) != 0;
    }

    /**
     * Loads a PSW as it is. A PSW-format error (see {@link Psw#isValid}) is an early exception: the next
     * fetch recognizes it (ILC 0, the invalid PSW as the old PSW), even in the wait state.
     */
    public void setPsw(long mask, long address) {
        if (((pswMask ^ mask) & (Psw.DAT | Psw.AS | Psw.KEY)) != 0) {
            flushTlb(); // the TLBs hold translations and key checks of the old mode
        }
        pswInvalid = !Psw.isValid(mask, address);
        pswMask = mask & ~Psw.CC;
        cc = (int) (mask >>> Psw.CC_SHIFT) & 3;
        amask = Psw.addressMask(mask);
        ia = address;
        codeBase = -1;
        endSlice();
    }

    /** Starts a stopped CPU (IPL, SIGP START/RESTART). */
    public void start() {
        state = State.OPERATING;
    }

    public void stop() {
        state = State.STOPPED;
        endSlice();
    }

    boolean isWaiting() {
        return (pswMask & Psw.WAIT) != 0 && !pswInvalid;
    }

    /** Ends the current slice after this instruction so the machine looks at interruptions again. */
    public void endSlice() {
        limit = insnCount;
    }

    // ---- run loop ----------------------------------------------------------------------------------

    /** Executes up to {@code max} instructions; returns how many were executed. */
    long run(long max) {
        // Firmware may have cleared or replaced frames since the last slice (Storage.rawClearFrame
        // drops a frame's array): look every page up again.
        flushTlb();
        long start = insnCount;
        limit = start + max;
        while (insnCount < limit && state == State.OPERATING && !isWaiting()) {
            loop();
        }
        return insnCount - start;
    }

    /**
     * The interpreter loop. A program interruption raised by a handler (or by the fetch, with
     * {@code in} still null) is delivered here, where the instruction address and length are known.
     */
    private void loop() {
        while (insnCount < limit) {
            long a = ia;
            Insn in = null;
            try {
                if ((a & ~Storage.PAGE_MASK) != codeBase) {
                    fetchPage(a);
                }
                in = codeSlots[(int) (a & Storage.PAGE_MASK) >>> 1];
                if (in == null) {
                    in = decodeAt(a);
                }
                Block b = in.block;
                if (b != null) {
                    if (b.start == a && insnCount + b.length <= limit && amask == -1L && translate) {
                        blockRuns++;
                        b.run(this); // counts its instructions and delivers its own program interruptions
                        continue;
                    }
                } else if (translate && in.heat >= 0 && ++in.heat >= Translator.HOT) {
                    if (in.translatable && amask == -1L) {
                        Translator.translate(machine, codePage, a, in);
                    } else {
                        in.heat = -1;
                    }
                }
                ia = (a + in.length) & amask;
                if (in.fast == FastPath.NONE) {
                    in.handler.exec(this, in);
                } else {
                    fast(in);
                }
            } catch (ProgramInterruption pi) {
                Interruptions.program(this, pi, a, in);
            }
            insnCount++;
        }
    }

    /** The instructions declared {@link Inline}, in the fast path generated from their declarations. */
    private void fast(Insn in) {
        FastPath.DISPATCH.exec(this, in);
    }

    /** Executes exactly one instruction (tracing); returns it, or null if an interruption was taken. */
    Insn step() {
        long saved = limit;
        limit = insnCount + 1;
        long a = ia;
        Insn peeked = peek();
        loop();
        limit = saved;
        return peeked;
    }

    /** The instruction at the current PSW address, decoded but not executed (for traces). */
    Insn peek() {
        try {
            return machine.decoder().decode(fetchBytes(ia));
        } catch (ProgramInterruption e) {
            return null;
        }
    }

    private void fetchPage(long a) {
        if (pswInvalid) {
            throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
        }
        if ((a & 1) != 0) {
            throw new ProgramInterruption(ProgramInterruption.SPECIFICATION, a);
        }
        long frame = dat.frame(a, Dat.IFETCH);
        storage.checkAccess(frame, domain, a);
        codePage = machine.codeCache().page(frame, storage.rawFrameForCpu(frame));
        codeSlots = codePage.slots;
        codeBase = dat.partial ? -1 : a & ~Storage.PAGE_MASK;
    }

    private Insn decodeAt(long a) {
        long bits = fetchBytes(a);
        decodeLength = Decoder.length((int) (bits >>> 56) & 0xff);
        Insn in = machine.decoder().decode(bits);
        if ((a & Storage.PAGE_MASK) + in.length <= Storage.PAGE_SIZE) {
            codeSlots[(int) (a & Storage.PAGE_MASK) >>> 1] = in; // cross-page instructions are not cached
        }
        return in;
    }

    /** The (up to) 6 bytes at {@code a}, left-aligned; the page of {@code a} has been checked. */
    long fetchBytes(long a) {
        long bits = 0;
        int first = fetchByte(a);
        int len = Decoder.length(first);
        bits = (long) first << 56;
        for (int i = 1; i < len; i++) {
            bits |= (long) fetchByte((a + i) & amask) << (56 - 8 * i);
        }
        return bits;
    }

    private int fetchByte(long a) {
        long frame = dat.frame(a, Dat.IFETCH);
        storage.checkAccess(frame, domain, a);
        return storage.rawFrameForRead(frame)[(int) (a & Storage.PAGE_MASK)] & 0xff;
    }

    /** A decoded page changed: forget it if it is the one being executed. */
    void codePageDropped(CodeCache.Page page) {
        if (codePage == page) {
            codeBase = -1;
            codePage = null;
        }
    }

    /** Called when {@code frame} starts holding decoded code: its stores must take the slow path. */
    void frameBecameCode(long frame) {
        for (int i = 0; i < TLB_SIZE; i++) {
            if (wTlb[i].frame() == frame) {
                wTlb[i] = TlbEntry.EMPTY;
                forgetLastPages();
            }
        }
    }

    public void flushTlb() {
        java.util.Arrays.fill(rPage, -1);
        forgetLastPages();
        java.util.Arrays.fill(wTlb, TlbEntry.EMPTY);
        codeBase = -1;
    }

    // ---- addresses ---------------------------------------------------------------------------------

    /** Applies prefixing: real address to absolute address. */
    public long realToAbsolute(long real) {
        long page = real & ~0x1fffL;
        if (page == 0) {
            return real + prefix;
        }
        if (page == prefix) {
            return real - prefix;
        }
        return real;
    }

    /** Effective address of an RX/RXY operand: X2 + B2 + D2 in the current addressing mode. */
    public long ea(Insn in) {
        long a = in.d2;
        if (in.x2 != 0) {
            a += gr[in.x2];
        }
        if (in.b2 != 0) {
            a += gr[in.b2];
        }
        return a & amask;
    }

    /** Effective address B + D. */
    public long ea(int b, long d) {
        return (b == 0 ? d : gr[b] + d) & amask;
    }

    public long wrap(long a) {
        return a & amask;
    }

    public long addressMask() {
        return amask;
    }

    // ---- storage: loads --------------------------------------------------------------------------

    // A hit costs the page compare and one compare of the storage's tag generation: an entry's frame passed
    // the ownership check when it was filled or when the tags last changed (recheckIfTagsChanged), and
    // an entry that failed it then is kept with RECHECK in its page, so that each access to it checks the
    // frame again and raises what the check raises, as an access through an unchanged entry always did.

    private byte[] readFrame(long a) {
        long page = a >>> Storage.PAGE_SHIFT;
        int i = (int) page & TLB_MASK;
        if (rPage[i] == page && tlbGeneration == storage.tagGeneration()) {
            return rData[i];
        }
        return readMiss(a, i);
    }

    private byte[] readMiss(long a, int i) {
        recheckIfTagsChanged();
        long page = a >>> Storage.PAGE_SHIFT;
        long key = rPage[i];
        if (key == page) {
            return rData[i];
        }
        if (key == (page | RECHECK)) {
            storage.checkAccess(rFrame[i], domain, a);
            return rData[i];
        }
        return fillRead(a, i);
    }

    /**
     * Some frame's tag changed since the entries were checked: check every entry's frame again. The
     * generation is read with acquire, before the tags, so no change it counts goes unseen, and a change
     * after it moves the generation on again.
     */
    private void recheckIfTagsChanged() {
        long g = storage.tagGenerationAcquire();
        if (g != tlbGeneration) {
            tlbGeneration = g;
            forgetLastPages();
            recheck(rPage, rFrame);
            recheck(wTlb);
        }
    }

    private void recheck(long[] pages, long[] frames) {
        for (int i = 0; i < TLB_SIZE; i++) {
            long key = pages[i];
            if (key != -1) {
                long page = key & ~RECHECK;
                pages[i] = storage.permits(frames[i], domain) ? page : page | RECHECK;
            }
        }
    }

    private void recheck(TlbEntry[] tlb) {
        for (int i = 0; i < TLB_SIZE; i++) {
            TlbEntry e = tlb[i];
            if (e != TlbEntry.EMPTY) {
                long page = e.page() & ~RECHECK;
                tlb[i] = new TlbEntry(storage.permits(e.frame(), domain) ? page : page | RECHECK, e.frame(), e.data());
            }
        }
    }

    private byte[] fillRead(long a, int i) {
        long frame = dat.frame(a, Dat.FETCH);
        storage.checkAccess(frame, domain, a);
        if (!storage.materialised(frame)) {
            // not cached: the shared zero frame would hide a later store. Not materialised either, so
            // that a guest reading all its storage does not make the model hold all of it.
            return storage.rawFrameForRead(frame);
        }
        byte[] data = storage.rawFrameForCpu(frame);
        forgetLastPages(); // one of them may be the page this entry held
        rData[i] = data;
        rFrame[i] = frame;
        rPage[i] = dat.partial ? -1 : a >>> Storage.PAGE_SHIFT;
        return data;
    }

    private byte[] writeFrame(long a, int len) {
        long page = a >>> Storage.PAGE_SHIFT;
        int i = (int) page & TLB_MASK;
        TlbEntry e = wTlb[i];
        if (e.page() == page && tlbGeneration == storage.tagGeneration()) {
            return e.data();
        }
        return writeMiss(a, i, len);
    }

    private byte[] writeMiss(long a, int i, int len) {
        recheckIfTagsChanged();
        long page = a >>> Storage.PAGE_SHIFT;
        TlbEntry e = wTlb[i];
        if (e.page() == page) {
            return e.data();
        }
        if (e.page() == (page | RECHECK)) {
            storage.checkAccess(e.frame(), domain, a);
            return e.data();
        }
        return fillWrite(a, i, len);
    }

    /**
     * Write-TLB miss. A frame holding decoded code is not cached: each store into it forgets the
     * decoded instructions that overlap the stored bytes (an instruction starts at most 4 bytes before).
     */
    private byte[] fillWrite(long a, int i, int len) {
        long frame = dat.frame(a, Dat.STORE);
        storage.checkAccess(frame, domain, a);
        byte[] data = storage.rawFrameForCpu(frame);
        CodeCache.Page code = machine.codeCache().get(frame);
        if (code != null || dat.partial) {
            if (code == null) {
                return data; // low-address protection covers part of this page: check every store
            }
            int off = (int) (a & Storage.PAGE_MASK);
            code.invalidate(off, Math.min(len, Storage.PAGE_SIZE - off));
            return data;
        }
        forgetLastPages();
        wTlb[i] = new TlbEntry(a >>> Storage.PAGE_SHIFT, frame, data);
        return data;
    }

    // In front of the read TLB, each load width remembers the page (and its frame's bytes) it last read
    // through a valid entry. Its bytes are then a field, not an element picked by the address: in a
    // table lookup (CRC-32) the load's address comes late in a chain of dependent instructions, and the
    // host CPU can start the load as soon as the address is there instead of first loading the TLB slot
    // (measured: the CRC-32 guest about +30%). These are copies of TLB entries: whatever empties or
    // changes an entry forgets them all (forgetLastPages), and a hit compares the tag generation too.
    private long lastPage8 = -1;
    private long lastPage16 = -1;
    private long lastPage32 = -1;
    private long lastPage64 = -1;
    private byte[] lastData8;
    private byte[] lastData16;
    private byte[] lastData32;
    private byte[] lastData64;

    private void forgetLastPages() {
        lastPage8 = lastPage16 = lastPage32 = lastPage64 = -1;
        lastStorePage8 = lastStorePage16 = lastStorePage32 = lastStorePage64 = -1;
    }

    /** Whether the read TLB holds {@code page} as a valid entry (not one to recheck on every access). */
    private boolean readTlbHolds(long page) {
        return rPage[(int) page & TLB_MASK] == page;
    }

    public int load8(long a) {
        long page = a >>> Storage.PAGE_SHIFT;
        byte[] f = page == lastPage8 && tlbGeneration == storage.tagGeneration()
                ? lastData8 : readFrame8(a);
        return f[(int) (a & Storage.PAGE_MASK)] & 0xff;
    }

    private byte[] readFrame8(long a) {
        byte[] f = readFrame(a);
        long page = a >>> Storage.PAGE_SHIFT;
        if (readTlbHolds(page)) {
            lastData8 = f;
            lastPage8 = page;
        }
        return f;
    }

    public int load16(long a) {
        int off = (int) (a & Storage.PAGE_MASK);
        if (off <= Storage.PAGE_SIZE - 2) {
            long page = a >>> Storage.PAGE_SHIFT;
            byte[] f = page == lastPage16 && tlbGeneration == storage.tagGeneration()
                    ? lastData16 : readFrame16(a);
            return (short) SHORT.get(f, off) & 0xffff;
        }
        return (int) loadSlow(a, 2);
    }

    private byte[] readFrame16(long a) {
        byte[] f = readFrame(a);
        long page = a >>> Storage.PAGE_SHIFT;
        if (readTlbHolds(page)) {
            lastData16 = f;
            lastPage16 = page;
        }
        return f;
    }

    public int load32(long a) {
        int off = (int) (a & Storage.PAGE_MASK);
        if (off <= Storage.PAGE_SIZE - 4) {
            long page = a >>> Storage.PAGE_SHIFT;
            byte[] f = page == lastPage32 && tlbGeneration == storage.tagGeneration()
                    ? lastData32 : readFrame32(a);
            return (int) INT.get(f, off);
        }
        return (int) loadSlow(a, 4);
    }

    private byte[] readFrame32(long a) {
        byte[] f = readFrame(a);
        long page = a >>> Storage.PAGE_SHIFT;
        if (readTlbHolds(page)) {
            lastData32 = f;
            lastPage32 = page;
        }
        return f;
    }

    public long load64(long a) {
        int off = (int) (a & Storage.PAGE_MASK);
        if (off <= Storage.PAGE_SIZE - 8) {
            long page = a >>> Storage.PAGE_SHIFT;
            byte[] f = page == lastPage64 && tlbGeneration == storage.tagGeneration()
                    ? lastData64 : readFrame64(a);
            return (long) LONG.get(f, off);
        }
        return loadSlow(a, 8);
    }

    private byte[] readFrame64(long a) {
        byte[] f = readFrame(a);
        long page = a >>> Storage.PAGE_SHIFT;
        if (readTlbHolds(page)) {
            lastData64 = f;
            lastPage64 = page;
        }
        return f;
    }

    private long loadSlow(long a, int len) {
        // check both pages before reading, so that a fault leaves nothing half done
        readFrame(a);
        readFrame((a + len - 1) & amask);
        long v = 0;
        for (int i = 0; i < len; i++) {
            v = v << 8 | load8((a + i) & amask);
        }
        return v;
    }

    // ---- storage: stores -------------------------------------------------------------------------

    // The same for stores, in front of the write TLB (a page holding decoded code is never in it). Another
    // CPU's thread may empty a write entry (frameBecameCode) while a store remembers it: a store checks
    // the entry again after remembering it, so that the page is not remembered past its entry.
    private long lastStorePage8 = -1;
    private long lastStorePage16 = -1;
    private long lastStorePage32 = -1;
    private long lastStorePage64 = -1;
    private byte[] lastStoreData8;
    private byte[] lastStoreData16;
    private byte[] lastStoreData32;
    private byte[] lastStoreData64;

    /** Whether the write TLB holds {@code page} as a valid entry (not one to recheck on every access). */
    private boolean writeTlbHolds(long page) {
        return wTlb[(int) page & TLB_MASK].page() == page;
    }

    public void store8(long a, int v) {
        long page = a >>> Storage.PAGE_SHIFT;
        byte[] f = page == lastStorePage8 && tlbGeneration == storage.tagGeneration()
                ? lastStoreData8 : writeFrame8(a);
        f[(int) (a & Storage.PAGE_MASK)] = (byte) v;
    }

    private byte[] writeFrame8(long a) {
        byte[] f = writeFrame(a, 1);
        long page = a >>> Storage.PAGE_SHIFT;
        if (writeTlbHolds(page)) {
            lastStoreData8 = f;
            lastStorePage8 = page;
            if (!writeTlbHolds(page)) {
                lastStorePage8 = -1; // frameBecameCode, from another CPU's thread, forgot it meanwhile
            }
        }
        return f;
    }

    public void store16(long a, int v) {
        int off = (int) (a & Storage.PAGE_MASK);
        if (off <= Storage.PAGE_SIZE - 2) {
            long page = a >>> Storage.PAGE_SHIFT;
            byte[] f = page == lastStorePage16 && tlbGeneration == storage.tagGeneration()
                    ? lastStoreData16 : writeFrame16(a);
            SHORT.set(f, off, (short) v);
        } else {
            storeSlow(a, v, 2);
        }
    }

    private byte[] writeFrame16(long a) {
        byte[] f = writeFrame(a, 2);
        long page = a >>> Storage.PAGE_SHIFT;
        if (writeTlbHolds(page)) {
            lastStoreData16 = f;
            lastStorePage16 = page;
            if (!writeTlbHolds(page)) {
                lastStorePage16 = -1; // frameBecameCode, from another CPU's thread, forgot it meanwhile
            }
        }
        return f;
    }

    public void store32(long a, int v) {
        int off = (int) (a & Storage.PAGE_MASK);
        if (off <= Storage.PAGE_SIZE - 4) {
            long page = a >>> Storage.PAGE_SHIFT;
            byte[] f = page == lastStorePage32 && tlbGeneration == storage.tagGeneration()
                    ? lastStoreData32 : writeFrame32(a);
            INT.set(f, off, v);
        } else {
            storeSlow(a, v, 4);
        }
    }

    private byte[] writeFrame32(long a) {
        byte[] f = writeFrame(a, 4);
        long page = a >>> Storage.PAGE_SHIFT;
        if (writeTlbHolds(page)) {
            lastStoreData32 = f;
            lastStorePage32 = page;
            if (!writeTlbHolds(page)) {
                lastStorePage32 = -1; // frameBecameCode, from another CPU's thread, forgot it meanwhile
            }
        }
        return f;
    }

    public void store64(long a, long v) {
        int off = (int) (a & Storage.PAGE_MASK);
        if (off <= Storage.PAGE_SIZE - 8) {
            long page = a >>> Storage.PAGE_SHIFT;
            byte[] f = page == lastStorePage64 && tlbGeneration == storage.tagGeneration()
                    ? lastStoreData64 : writeFrame64(a);
            LONG.set(f, off, v);
        } else {
            storeSlow(a, v, 8);
        }
    }

    private byte[] writeFrame64(long a) {
        byte[] f = writeFrame(a, 8);
        long page = a >>> Storage.PAGE_SHIFT;
        if (writeTlbHolds(page)) {
            lastStoreData64 = f;
            lastStorePage64 = page;
            if (!writeTlbHolds(page)) {
                lastStorePage64 = -1; // frameBecameCode, from another CPU's thread, forgot it meanwhile
            }
        }
        return f;
    }

    /**
     * The interlocked update of an aligned word: stores {@code replacement} if the word is {@code expected}
     * and returns the word found, atomically against other CPUs' stores. KVM's vCPUs run on threads of their
     * own, so COMPARE AND SWAP and the interlocked-access instructions must not be a load then a store.
     * Store access is checked whether or not the values compare equal, as the architecture says.
     */
    public int compareAndSwap32(long a, int expected, int replacement) {
        return (int) INT.compareAndExchange(writeFrame(a, 4), (int) (a & Storage.PAGE_MASK), expected, replacement);
    }

    /** {@link #compareAndSwap32} for an aligned doubleword. */
    public long compareAndSwap64(long a, long expected, long replacement) {
        return (long) LONG.compareAndExchange(writeFrame(a, 8), (int) (a & Storage.PAGE_MASK), expected, replacement);
    }

    private void storeSlow(long a, long v, int len) {
        writeFrame(a, 1);
        writeFrame((a + len - 1) & amask, 1);
        for (int i = len - 1; i >= 0; i--) {
            store8((a + i) & amask, (int) v);
            v >>>= 8;
        }
    }

    /** Checks that every byte of [a, a+len) can be read (len >= 1), before an instruction changes anything. */
    public void checkRead(long a, long len) {
        long end = (a + len - 1) & amask;
        for (long p = a; ; p = ((p | Storage.PAGE_MASK) + 1) & amask) {
            readFrame(p);
            if (((p ^ end) & ~Storage.PAGE_MASK) == 0) {
                break;
            }
        }
    }

    private void checkWritable(long a) {
        storage.checkAccess(dat.frame(a, Dat.STORE), domain, a);
    }

    /** After a control-register load: purge the TLBs if a register that translation depends on changed. */
    void controlRegistersLoaded(long[] before) {
        if (before[0] != cr[0] || before[1] != cr[1] || before[7] != cr[7] || before[13] != cr[13]) {
            flushTlb();
        }
    }

    /** Checks that every byte of [a, a+len) can be stored into (len >= 1). */
    public void checkWrite(long a, long len) {
        long end = (a + len - 1) & amask;
        for (long p = a; ; p = ((p | Storage.PAGE_MASK) + 1) & amask) {
            checkWritable(p);
            if (((p ^ end) & ~Storage.PAGE_MASK) == 0) {
                break;
            }
        }
    }

    // ---- lowcore (real addresses 0..8191 of this CPU) -------------------------------------------------

    /** Absolute address of a lowcore field of this CPU. */
    public long lowcore(int offset) {
        return prefix + offset;
    }

    /** Reads 8 bytes at an absolute address of this CPU (8-aligned: lowcore fields never cross a page). */
    long absLoad64(long abs) {
        return storage.readLong(hostAddress(abs), domain);
    }

    /** Stores the low {@code len} bytes at an absolute address of this CPU (aligned, within one page). */
    void absStore(long abs, long v, int len) {
        long host = hostAddress(abs);
        storage.writeUnsigned(host, v, len, domain);
        machine.storageChanged(host, len);
    }

    private long hostAddress(long abs) {
        return frameOf(abs, abs) << Storage.PAGE_SHIFT | (abs & Storage.PAGE_MASK);
    }

    /**
     * The machine frame that holds this CPU's absolute address {@code abs} ({@code logical} is the address
     * the program used, for the exception). A guest under SIE maps its absolute storage through its host's
     * tables ({@link GuestMode#hostFrame}); the machine's own CPUs address storage directly.
     */
    long frameOf(long abs, long logical) {
        if (guest != null) {
            long f = guest.hostFrame(abs, logical);
            if (storage.tagOf(f) != fastTag) {
                try {
                    storage.checkAccess(f, domain, abs);
                } catch (ProgramInterruption pi) { // the host resolves it, at the guest's absolute address
                    throw ProgramInterruption.inHost(pi.code(), abs);
                }
            }
            return f;
        }
        if (abs < 0 || abs >= storage.size()) {
            throw new ProgramInterruption(ProgramInterruption.ADDRESSING, logical);
        }
        return abs >>> Storage.PAGE_SHIFT;
    }

    // ---- helpers for handlers --------------------------------------------------------------------

    /** Address of the instruction being executed (the EXECUTE target's own address under EX). */
    long insnAddress(Insn in) {
        return executeAddress >= 0 ? executeAddress : ia - in.length;
    }

    /** Branches to an address from a register or storage (odd addresses fault at the next fetch). */
    public void branchTo(long target) {
        ia = target & amask;
        if ((target & 1) != 0) {
            codeBase = -1;
        }
    }

    /** Raises a privileged-operation exception in the problem state. */
    public void privileged() {
        if ((pswMask & Psw.PROBLEM) != 0) {
            throw new ProgramInterruption(ProgramInterruption.PRIVILEGED_OPERATION);
        }
    }


    public long pswMaskWithoutCc() {
        return pswMask;
    }

    /** Replaces the system mask (PSW bits 0-7), as SSM/STOSM/STNSM do. */
    void setSystemMask(int sm) {
        long mask = (pswMask & 0x00ffffffffffffffL) | ((long) (sm & 0xff) << 56);
        setPsw(mask | (long) cc << Psw.CC_SHIFT, ia);
    }

    @Override
    public String toString() {
        return "CPU " + cpuAddress + " " + state + " PSW " + psw();
    }
}
