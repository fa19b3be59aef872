package org.pvsim.kvm;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.pvsim.machine.storage.HostStorage;
import org.pvsim.machine.uv.cb.InitUv;
import org.pvsim.machine.uv.cb.QueryUvInfo;
import org.pvsim.machine.uv.cb.UvBusyException;
import org.pvsim.machine.uv.cb.UvCaller;
import org.pvsim.machine.uv.cb.UvCommand;
import org.pvsim.machine.uv.cb.UvcPort;
import org.pvsim.machine.uv.cb.Uvcb;

/**
 * The host kernel's side of the UVC instruction (arch/s390/include/asm/uv.h, arch/s390/kernel/uv.c): a UVCB
 * is written to a per-call scratch frame of host storage, the UVC is issued, the block is read back. Each
 * concurrent caller gets its own scratch frame (as each CPU builds its UVCB on its own stack), and a thread
 * finds the one it used last again in its slot: with one shared pool, two threads doing lifecycles at once
 * handed frames to each other on every call and fought over the pool's head, and spent a third more time
 * per lifecycle than one thread alone.
 */
final class UvHost {
    private final HostStorage storage;
    private final UvcPort port;
    private final HostFrameAllocator allocator;
    private final ConcurrentLinkedDeque<UvCaller> callers = new ConcurrentLinkedDeque<>();
    /**
     * A thread's slot is {@code (n + 1) * SPACING} for its {@link ThreadNumber} n (mod SLOTS): 16 references
     * apart, so that no two slots, and no slot and the array's header (read on every access), share a cache
     * line. Not by thread id, as two threads whose ids were equal mod SLOTS shared a slot and were back to
     * handing frames to each other.
     */
    private final AtomicReferenceArray<UvCaller> slots = new AtomicReferenceArray<>((SLOTS + 1) * SPACING);
    private static final int SLOTS = 8;
    private static final int SPACING = 16;
    private volatile QueryUvInfo info;

    private static int slot() {
        return (ThreadNumber.modulo(SLOTS) + 1) * SPACING;
    }

    UvHost(HostStorage storage, UvcPort port, HostFrameAllocator allocator) {
        this.storage = storage;
        this.port = port;
        this.allocator = allocator;
    }

    /**
     * setup_uv() at host boot: query the UV, donate its base storage (1 MiB aligned, above 2 GiB) and
     * initialise it. Returns false when the host cannot run protected guests (prot_virt_host = 0).
     */
    boolean setup() {
        UvCaller.Answer<QueryUvInfo> q = call(QueryUvInfo.request());
        if (q.cc() != 0) {
            return false;
        }
        info = q.cb();
        long len = info.uvBaseStorLen();
        long pages = (len + HostStorage.PAGE_MASK) >>> HostStorage.PAGE_SHIFT;
        long origin = allocator.allocateAbove(1L << 31, pages, 256, HostFrameAllocator.Use.UV_DONATION);
        if (origin < 0) {
            return false;
        }
        UvCaller.Answer<InitUv> a = call(InitUv.of(origin, len));
        if (!a.ok()) {
            allocator.free(origin, pages, HostFrameAllocator.Use.UV_DONATION);
            return false;
        }
        return true;
    }

    QueryUvInfo info() {
        return info;
    }

    boolean installed(UvCommand command) {
        return info != null && (command.bit() < 0 || info.installed(command));
    }

    /**
     * The kernel's {@code uv_call()}: re-executes while the UV answers busy (cc 2/3), with the bounded
     * policy of {@link UvCaller#call}; a UV that stays busy fails the call with EIO naming the command.
     */
    <T extends Uvcb> UvCaller.Answer<T> call(T cb) {
        UvCaller c = acquire();
        try {
            return c.call(cb);
        } catch (UvBusyException e) {
            throw new KvmException("UVC " + e.commandName(), Errno.EIO,
                    "the Ultravisor stayed busy for " + e.tries() + " re-executions");
        } finally {
            release(c);
        }
    }

    /** Exactly one UVC (import-like calls map busy to -EAGAIN themselves). */
    <T extends Uvcb> UvCaller.Answer<T> once(T cb) {
        UvCaller c = acquire();
        try {
            return c.once(cb);
        } finally {
            release(c);
        }
    }

    private void release(UvCaller c) {
        if (!slots.compareAndSet(slot(), null, c)) {
            callers.push(c);
        }
    }

    private UvCaller acquire() {
        UvCaller c = slots.getAndSet(slot(), null);
        if (c == null) {
            c = callers.poll();
        }
        if (c != null) {
            return c;
        }
        long scratch = allocator.allocate(1, HostFrameAllocator.Use.KERNEL);
        if (scratch < 0) {
            throw new KvmException("UVC", Errno.ENOMEM, "no host frame for a UV control block");
        }
        return new UvCaller(storage, port, scratch);
    }
}
