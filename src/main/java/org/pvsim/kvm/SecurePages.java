package org.pvsim.kvm;

import java.util.concurrent.atomic.AtomicLongArray;
import org.pvsim.machine.ProgramInterruption;
import org.pvsim.machine.storage.HostStorage;
import org.pvsim.machine.uv.cb.ConvertFromSecure;
import org.pvsim.machine.uv.cb.UvCaller;
import org.pvsim.machine.uv.cb.UvCommand;

/**
 * The host's handling of secure pages (arch/s390/kernel/uv.c): the "might be secure" hint per frame
 * (PG_arch_1), making a page accessible to the host (pin shared, else export), destroying pages at
 * teardown, and host accesses to storage that resolve program interruption 0x3d the way Linux does.
 * The host never reads UV state: a frame's state is learned only from the 0x3d it raises or a UV answer.
 */
final class SecurePages {
    /** Destroy Secure Storage on a page that is not secure: "treated as success" (reference §2.2). */
    private static final int RC_NOT_SECURE = 0x0107;
    private static final int RRC_NOT_SECURE = 0x000d;
    private static final int MAX_FAULTS = 4;

    private final HostStorage storage;
    private final UvHost uv;
    /**
     * PG_arch_1 of frame f: bit f % 64 of word {@code HEADER_GAP + f / 64}. The gap keeps the words of the
     * first frames the allocator hands out (from 1 MiB, word 4 without it) off the cache line of the
     * array's header, whose length every access reads, so that one thread's imports do not make another's
     * checks miss.
     */
    private final AtomicLongArray mightBeSecure;
    private static final int HEADER_GAP = 16;

    SecurePages(HostStorage storage, UvHost uv) {
        this.storage = storage;
        this.uv = uv;
        this.mightBeSecure = new AtomicLongArray(HEADER_GAP + (int) ((storage.frameCount() + 63) >>> 6));
    }

    /** PG_arch_1 is set before every import-like UV call (it may over-indicate). */
    void markMightBeSecure(long frameAddress) {
        long f = frameAddress >>> HostStorage.PAGE_SHIFT;
        long bit = 1L << (f & 63);
        int i = HEADER_GAP + (int) (f >>> 6);
        long old;
        do {
            old = mightBeSecure.get(i);
        } while ((old & bit) == 0 && !mightBeSecure.compareAndSet(i, old, old | bit));
    }

    boolean mightBeSecure(long frameAddress) {
        long f = frameAddress >>> HostStorage.PAGE_SHIFT;
        return (mightBeSecure.get(HEADER_GAP + (int) (f >>> 6)) & (1L << (f & 63))) != 0;
    }

    private void clearHint(long frameAddress) {
        long f = frameAddress >>> HostStorage.PAGE_SHIFT;
        long bit = 1L << (f & 63);
        int i = HEADER_GAP + (int) (f >>> 6);
        long old;
        do {
            old = mightBeSecure.get(i);
        } while ((old & bit) != 0 && !mightBeSecure.compareAndSet(i, old, old & ~bit));
    }

    /**
     * arch_make_page_accessible(): nothing to do without the hint; else PIN_PAGE_SHARED (the guest shared
     * it), else CONV_FROM_SEC_STOR (export: the host gets ciphertext). False if the UV refused both.
     */
    boolean makeAccessible(long frameAddress) {
        if (!mightBeSecure(frameAddress)) {
            return false;
        }
        long paddr = frameAddress & ~HostStorage.PAGE_MASK;
        if (uv.call(ConvertFromSecure.of(UvCommand.PIN_PAGE_SHARED, paddr)).ok()
                || uv.call(ConvertFromSecure.of(UvCommand.CONV_FROM_SEC_STOR, paddr)).ok()) {
            clearHint(frameAddress);
            return true;
        }
        return false;
    }

    /**
     * The cheap teardown path (uv_destroy_owned_page, falling back to export as gmap_destroy_page does):
     * true when the page is no longer secure. Only frames with the hint are touched.
     */
    boolean destroy(long frameAddress) {
        if (!mightBeSecure(frameAddress)) {
            return true;
        }
        long paddr = frameAddress & ~HostStorage.PAGE_MASK;
        UvCaller.Answer<ConvertFromSecure> a = uv.call(ConvertFromSecure.of(UvCommand.DESTR_SEC_STOR, paddr));
        if (a.ok() || (a.rc() == RC_NOT_SECURE && a.rrc() == RRC_NOT_SECURE)) {
            clearHint(frameAddress);
            return true;
        }
        if (uv.call(ConvertFromSecure.of(UvCommand.CONV_FROM_SEC_STOR, paddr)).ok()) {
            clearHint(frameAddress);
            return true;
        }
        return false;
    }

    /**
     * Unmapping a user page (ptep_get_and_clear on a protected mm): a secure page is exported, never handed
     * back to the allocator as it is. True when the frame may be freed (also when the UV says it is not
     * secure any more); false when the UV keeps it.
     */
    boolean release(long frameAddress) {
        if (!mightBeSecure(frameAddress)) {
            return true;
        }
        long paddr = frameAddress & ~HostStorage.PAGE_MASK;
        UvCaller.Answer<ConvertFromSecure> a = uv.call(ConvertFromSecure.of(UvCommand.CONV_FROM_SEC_STOR, paddr));
        if (a.ok() || a.rc() == RC_NOT_SECURE) {
            clearHint(frameAddress);
            return true;
        }
        return false;
    }

    /**
     * A host (kernel or user copy) read of storage: a secure page raises 0x3d, which is resolved by making
     * the page accessible and retrying, as do_secure_storage_access() does. Throws EFAULT when it cannot.
     */
    void read(String command, long address, byte[] dst, int off, int len) {
        retryingFaults(command, () -> storage.read(address, dst, off, len));
    }

    void write(String command, long address, byte[] src, int off, int len) {
        retryingFaults(command, () -> storage.write(address, src, off, len));
    }

    private void retryingFaults(String command, Runnable access) {
        for (int attempt = 0; ; attempt++) {
            try {
                access.run();
                return;
            } catch (ProgramInterruption pi) {
                resolve(command, pi, attempt);
            }
        }
    }

    private void resolve(String command, ProgramInterruption pi, int attempt) {
        if (pi.code() != ProgramInterruption.SECURE_STORAGE_ACCESS || attempt >= MAX_FAULTS
                || !makeAccessible(pi.address())) {
            throw new KvmException(command, Errno.EFAULT,
                    String.format("host access to 0x%x: %s, the page cannot be made accessible", pi.address(),
                            pi.getMessage()));
        }
    }
}
