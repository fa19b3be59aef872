package org.pvsim.kvm;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.pvsim.machine.SieInstruction;
import org.pvsim.machine.SimulatedMachine;
import org.pvsim.machine.storage.HostStorage;
import org.pvsim.machine.uv.cb.QueryUvInfo;
import org.pvsim.machine.uv.cb.UvCommand;
import org.pvsim.machine.uv.cb.UvcPort;

/**
 * The host kernel's KVM as one user process sees it after opening {@code /dev/kvm}: boots against a
 * machine (storage and the UVC instruction), owns the host frame allocator, and creates VMs. The process's
 * memory is {@link #mm()}; every VM created here belongs to it, as a VM belongs to the mm of its creator.
 */
public final class Kvm {
    final HostStorage storage;
    final HostFrameAllocator allocator;
    final UvHost uv;
    final SecurePages pages;
    final KvmStats.Counters counters = new KvmStats.Counters();
    private final UserMemory mm;
    private final boolean protVirtHost;
    private final boolean asyncDestroy;
    /** mm->context.protected_count: live secure configurations of this mm, set-aside ones included. */
    final AtomicInteger protectedCount = new AtomicInteger();

    /** Options of the kvm module ({@code kvm.async_destroy}, default on). */
    public record Options(boolean asyncDestroy) {
        public static Options defaults() {
            return new Options(true);
        }
    }

    /** The machine's SIE instruction, or null on a host booted without one (KVM_RUN: ENOSYS). */
    final SieInstruction sie;
    /** The TOD clock as the host reads it (STCKF), for the timers of waiting vCPUs; only with SIE. */
    final LongSupplier tod;

    private Kvm(HostStorage storage, UvcPort uvc, SieInstruction sie, LongSupplier tod, Options options) {
        this.storage = storage;
        this.sie = sie;
        this.tod = tod;
        this.allocator = new HostFrameAllocator(storage.size());
        this.uv = new UvHost(storage, uvc, allocator);
        this.pages = new SecurePages(storage, uv);
        this.protVirtHost = uv.setup();
        this.asyncDestroy = options.asyncDestroy();
        this.mm = new UserMemory(allocator, pages, counters);
    }

    /** Boots the host on a machine: queries and initialises the Ultravisor (setup_uv with prot_virt=1). */
    public static Kvm boot(HostStorage storage, UvcPort uvc) {
        return new Kvm(storage, uvc, null, null, Options.defaults());
    }

    public static Kvm boot(HostStorage storage, UvcPort uvc, Options options) {
        return new Kvm(storage, uvc, null, null, options);
    }

    /** Boots the host on a whole machine: its storage, UVC and SIE, so that vCPUs can run. */
    public static Kvm boot(SimulatedMachine machine, Options options) {
        return new Kvm(machine.hostStorage(), machine.uvc(), machine.sie(), machine::tod, options);
    }

    /** KVM_CREATE_VM. */
    public KvmVm createVm() {
        return createVm(ProtectionCheck.UNDER_LOCK);
    }

    /** KVM_CREATE_VM with another place for ENABLE's and DISABLE's protection check (see {@link ProtectionCheck}). */
    KvmVm createVm(ProtectionCheck protectionCheck) {
        return new KvmVm(this, protectionCheck);
    }

    /** KVM_CHECK_EXTENSION for the protected-virtualization capabilities (0 for anything else). */
    public int checkExtension(int cap) {
        return switch (cap) {
            case KvmUapi.KVM_CAP_S390_PROTECTED -> protVirtHost ? 1 : 0;
            case KvmUapi.KVM_CAP_S390_PROTECTED_DUMP -> protVirtHost && uv.installed(UvCommand.DUMP_INIT)
                    && uv.installed(UvCommand.DUMP_CONF_STOR_STATE) && uv.installed(UvCommand.DUMP_CPU)
                    && uv.installed(UvCommand.DUMP_COMPLETE) ? 1 : 0;
            case KvmUapi.KVM_CAP_S390_PROTECTED_ASYNC_DISABLE -> asyncDestroy && protVirtHost ? 1 : 0;
            default -> 0;
        };
    }

    /** The memory of the user process that opened KVM. */
    public UserMemory mm() {
        return mm;
    }

    public KvmStats stats() {
        return counters.snapshot(allocator);
    }

    /** Whether the UV was initialised at boot (is_prot_virt_host()). */
    public boolean protVirtHost() {
        return protVirtHost;
    }

    boolean asyncDestroy() {
        return asyncDestroy;
    }

    QueryUvInfo uvInfo() {
        return uv.info();
    }

    /** The UV's limits, or an empty answer when the host has no UV. */
    QueryUvInfo uvInfoOrEmpty() {
        QueryUvInfo q = uv.info();
        return q != null ? q : QueryUvInfo.request();
    }

    /** Host storage allocation that reports ENOMEM as the kernel would. */
    long allocate(String command, long bytes, long alignBytes, HostFrameAllocator.Use use) {
        long pages = (bytes + HostStorage.PAGE_MASK) >>> HostStorage.PAGE_SHIFT;
        long a = allocator.allocate(Math.max(pages, 1), Math.max(1, alignBytes >>> HostStorage.PAGE_SHIFT), use);
        if (a < 0) {
            throw new KvmException(command, Errno.ENOMEM, "no host storage for " + bytes + " bytes of " + use);
        }
        return a;
    }

    void free(long address, long bytes, HostFrameAllocator.Use use) {
        allocator.free(address, Math.max(1, (bytes + HostStorage.PAGE_MASK) >>> HostStorage.PAGE_SHIFT), use);
    }
}
