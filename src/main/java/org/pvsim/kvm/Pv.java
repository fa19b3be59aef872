package org.pvsim.kvm;

import java.util.ArrayDeque;
import java.util.Deque;
import org.pvsim.machine.storage.HostStorage;
import org.pvsim.machine.uv.cb.ConvertToSecure;
import org.pvsim.machine.uv.cb.CreateSecConf;
import org.pvsim.machine.uv.cb.CreateSecCpu;
import org.pvsim.machine.uv.cb.DestroyFast;
import org.pvsim.machine.uv.cb.DumpComplete;
import org.pvsim.machine.uv.cb.DumpStorState;
import org.pvsim.machine.uv.cb.NoData;
import org.pvsim.machine.uv.cb.QueryUvInfo;
import org.pvsim.machine.uv.cb.SetSecConfParams;
import org.pvsim.machine.uv.cb.Unpack;
import org.pvsim.machine.uv.cb.UvCaller;
import org.pvsim.machine.uv.cb.UvCommand;
import org.pvsim.machine.uv.cb.Uvcb;

/**
 * The protected-VM mechanics of one VM (arch/s390/kvm/pv.c) and the sole owner of its state
 * (kvm->arch.pv): secure configuration and CPUs, their donated storage, import of pages, dumps, teardown.
 * The state is private; every method that reads or changes it asserts that the VM lock is held, except the
 * set-aside teardown, which works on state detached under the lock. Each method's comment says, as pv.c's
 * kernel-doc does, the lock it needs ("Context") and every errno it returns ("Return"); rc/rrc come back in
 * the {@link PvResult}.
 */
final class Pv {
    private static final byte[] ZERO_PAGE = new byte[HostStorage.PAGE_SIZE];
    static final long MIB = 1L << 20;
    private static final int RC_NEED_DESTROY = 0x8000;
    private static final int RC_NOT_MAPPED = 0x010a;
    /** Synthetic rrc the kernel reports for a successful asynchronous-teardown step. */
    static final int RRC_ASYNC = 42;
    private static final int MAX_IMPORT_RETRIES = 64;
    private static final long DUMP_BUFF_LEN = 1L << 20;

    /** A configuration set aside by ASYNC_CLEANUP_PREPARE (struct pv_vm_to_be_destroyed); handle 0 = destroyed fast. */
    record Leftover(long handle, long storBase, long baseLen, long storVar, long varLen, boolean leaked) {
    }

    private final KvmVm vm;
    private final Kvm kvm;
    // ---- kvm->arch.pv, guarded by the VM lock
    private long handle;
    private long guestLen;
    private long storBase;
    private long baseLen;
    private long storVar;
    private long varLen;
    /** Written under the VM lock; read by the vCPU dump without it, as the kernel does. */
    private volatile boolean dumping;
    /** The configuration's storage is counted as leaked (its destroy failed); a later destroy may return it. */
    private boolean leakedConfig;
    private Leftover setAside;
    private final Deque<Leftover> needCleanup = new ArrayDeque<>();

    Pv(KvmVm vm) {
        this.vm = vm;
        this.kvm = vm.kvm;
    }

    private void requireLock() {
        if (!vm.lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("PV state of the VM touched without holding kvm->lock");
        }
    }

    /**
     * kvm_s390_pv_is_protected(): whether the VM has a secure configuration (a PV handle).
     * Context: kvm->lock held.
     */
    boolean isProtected() {
        requireLock();
        return handle != 0;
    }

    /**
     * kvm_s390_pv_get_handle(): the configuration's handle, 0 if none.
     * Context: kvm->lock held.
     */
    long handle() {
        requireLock();
        return handle;
    }

    /**
     * Whether a dump is in progress (kvm->arch.pv.dumping).
     * Context: any; without kvm->lock the answer may be stale, as for the kernel's vCPU dump, which checks it
     * under the vCPU lock only.
     */
    boolean isDumping() {
        return dumping;
    }

    private QueryUvInfo info() {
        return kvm.uvInfo();
    }

    private <T extends Uvcb> UvCaller.Answer<T> uvc(T cb) {
        return kvm.uv.call(cb);
    }

    // ---- configuration ---------------------------------------------------------------------

    /**
     * kvm_s390_pv_init_vm(): donate storage, CREATE_SEC_CONF. If the UV asks for it the half-made
     * configuration is destroyed again; else its storage is freed.
     * Context: kvm->lock held.
     * Return: ok, or ENOMEM if there is no host storage to donate, or EIO if CREATE_SEC_CONF failed.
     */
    PvResult initVm(String name) {
        requireLock();
        QueryUvInfo q = info();
        long len = vm.slots.end();
        long base;
        long var;
        long vLen = ((q.confVirtVarStorLen() * (len / MIB) + HostStorage.PAGE_MASK) & ~HostStorage.PAGE_MASK)
                + q.confBaseVirtStorLen();
        try {
            base = kvm.allocate(name, q.confBasePhysStorLen(), 0x4000, HostFrameAllocator.Use.UV_DONATION);
        } catch (KvmException e) {
            return PvResult.failed(Errno.ENOMEM);
        }
        try {
            var = kvm.allocate(name, vLen, HostStorage.PAGE_SIZE, HostFrameAllocator.Use.UV_DONATION);
        } catch (KvmException e) {
            kvm.free(base, q.confBasePhysStorLen(), HostFrameAllocator.Use.UV_DONATION);
            return PvResult.failed(Errno.ENOMEM);
        }
        UvCaller.Answer<CreateSecConf> a = uvc(CreateSecConf.of(0, base, var, 0, 0, len, vm.sca, vm.gmap.asce()));
        handle = a.cb().guestHandle(); // kept even on failure, as the kernel does
        guestLen = len;
        storBase = base;
        baseLen = q.confBasePhysStorLen();
        storVar = var;
        varLen = vLen;
        kvm.protectedCount.incrementAndGet();
        if (a.cc() != 0) {
            if ((a.rc() & RC_NEED_DESTROY) != 0) {
                kvm.counters.donated(baseLen + varLen); // the UV holds it until the destroy
                deinitVm(); // its rc/rrc are not reported: the CREATE's are
            } else {
                kvm.free(base, baseLen, HostFrameAllocator.Use.UV_DONATION);
                kvm.free(var, varLen, HostFrameAllocator.Use.UV_DONATION);
                clearState();
                kvm.protectedCount.decrementAndGet();
            }
            return PvResult.of(a, Errno.EIO);
        }
        kvm.counters.donated(baseLen + varLen);
        return PvResult.of(a, Errno.EIO);
    }

    private void clearState() {
        leakedConfig = false;
        handle = 0;
        guestLen = 0;
        storBase = 0;
        baseLen = 0;
        storVar = 0;
        varLen = 0;
        dumping = false;
    }

    /**
     * kvm_s390_pv_deinit_vm(): DESTROY_SEC_CONF; the donated storage is freed only if the UV gave it back.
     * On failure it is an intended memory leak (the UV may still use the storage): the storage and the
     * handle are kept and the top-level DAT table is set aside.
     * Context: kvm->lock held.
     * Return: ok, or EIO if DESTROY_SEC_CONF failed.
     */
    PvResult deinitVm() {
        requireLock();
        UvCaller.Answer<NoData> a = uvc(NoData.of(UvCommand.DESTROY_SEC_CONF, handle));
        if (a.cc() == 0) {
            kvm.protectedCount.decrementAndGet();
            if (leakedConfig) { // a retried destroy worked: the UV gave the storage back after all
                kvm.counters.leaked(KvmStats.LeakReason.CONFIG_DESTROY_FAILED, -pageAlign(baseLen) - pageAlign(varLen));
            }
            freeDonation(storBase, baseLen);
            freeDonation(storVar, varLen);
            clearState();
            vm.blocked = false;
            return PvResult.of(a, Errno.EIO);
        }
        // "Intended memory leak on 'impossible' error": storage and handle are kept, the ASCE set aside
        leakConfigOnce();
        vm.gmap.replaceAsce();
        return PvResult.of(a, Errno.EIO);
    }

    private void leakConfigOnce() {
        if (!leakedConfig) {
            leakDonation(KvmStats.LeakReason.CONFIG_DESTROY_FAILED, pageAlign(baseLen) + pageAlign(varLen));
            leakedConfig = true;
        }
    }

    private void freeDonation(long address, long len) {
        if (address != 0 && len > 0) {
            kvm.free(address, len, HostFrameAllocator.Use.UV_DONATION);
            kvm.counters.reclaimed(pageAlign(len));
        }
    }

    private void leakDonation(KvmStats.LeakReason reason, long len) {
        if (len > 0) {
            kvm.counters.leaked(reason, pageAlign(len));
        }
    }

    static long pageAlign(long len) {
        return (len + HostStorage.PAGE_MASK) & ~HostStorage.PAGE_MASK;
    }

    // ---- CPUs ------------------------------------------------------------------------------

    /**
     * kvm_s390_pv_create_cpu(): donate CPU storage and a SIDA page, CREATE_SEC_CPU.
     * Context: kvm->lock held, and the vCPU's lock once other threads can see the vCPU.
     * Return: ok, or EINVAL if the vCPU is secure already, or ENOMEM if there is no host storage for it, or
     * EIO if CREATE_SEC_CPU failed (the storage is freed: the UV did not take it).
     */
    PvResult createCpu(String name, KvmVcpu vcpu) {
        requireLock();
        if (vcpu.pvHandle != 0) {
            return PvResult.failed(Errno.EINVAL);
        }
        long storLen = info().cpuStorLen();
        long stor;
        long sida;
        try {
            stor = kvm.allocate(name, storLen, HostStorage.PAGE_SIZE, HostFrameAllocator.Use.UV_DONATION);
        } catch (KvmException e) {
            return PvResult.failed(Errno.ENOMEM);
        }
        try {
            sida = kvm.allocate(name, HostStorage.PAGE_SIZE, HostStorage.PAGE_SIZE, HostFrameAllocator.Use.KERNEL);
            kvm.pages.write(name, sida, ZERO_PAGE, 0, HostStorage.PAGE_SIZE); // get_zeroed_page()
        } catch (KvmException e) {
            kvm.free(stor, storLen, HostFrameAllocator.Use.UV_DONATION);
            return PvResult.failed(Errno.ENOMEM);
        }
        UvCaller.Answer<CreateSecCpu> a = uvc(CreateSecCpu.of(0, handle, stor, vcpu.id, vcpu.sieBlock));
        if (a.cc() != 0) {
            // the UV did not take the storage: free it (handle 0, so no destroy is needed)
            kvm.free(stor, storLen, HostFrameAllocator.Use.UV_DONATION);
            kvm.free(sida, HostStorage.PAGE_SIZE, HostFrameAllocator.Use.KERNEL);
            return PvResult.of(a, Errno.EIO);
        }
        kvm.counters.donated(pageAlign(storLen));
        vcpu.pvHandle = a.cb().cpuHandle();
        vcpu.pvStorBase = stor;
        vcpu.sidad = sida; // one page: size field 0
        vcpu.sieBlockSecure(vcpu.pvHandle, handle, sida);
        return PvResult.of(a, Errno.EIO);
    }

    /**
     * kvm_s390_pv_destroy_cpu(): DESTROY_SEC_CPU; donated storage freed only if the UV gave it back, else an
     * intended memory leak; the SIDA is always freed and the handles cleared.
     * Context: kvm->lock and the vCPU's lock held (the vCPU's own, or the VM is dying).
     * Return: ok (also for a vCPU that is not secure: no UV call), or EIO if DESTROY_SEC_CPU failed.
     */
    PvResult destroyCpu(KvmVcpu vcpu) {
        requireLock();
        if (vcpu.pvHandle == 0) {
            return PvResult.NO_CALL;
        }
        UvCaller.Answer<NoData> a = uvc(NoData.of(UvCommand.DESTROY_SEC_CPU, vcpu.pvHandle));
        long storLen = info().cpuStorLen();
        if (a.cc() == 0) {
            freeDonation(vcpu.pvStorBase, storLen);
        } else {
            leakDonation(KvmStats.LeakReason.CPU_DESTROY_FAILED, storLen);
        }
        kvm.free(vcpu.sidad & ~HostStorage.PAGE_MASK, HostStorage.PAGE_SIZE, HostFrameAllocator.Use.KERNEL);
        vcpu.pvHandle = 0;
        vcpu.pvStorBase = 0;
        vcpu.sidad = KvmVcpu.GBEA_RESET; // do not leave the freed SIDA's address behind
        vcpu.sieBlockSecure(0, 0, KvmVcpu.GBEA_RESET);
        return PvResult.of(a, Errno.EIO);
    }

    /**
     * kvm_s390_cpus_to_pv(): every vCPU made secure under its lock; on the first failure every vCPU is made
     * non-secure again.
     * Context: kvm->lock held.
     * Return: ok (no UV call without vCPUs), or the first failing {@link #createCpu}'s ENOMEM, EINVAL or EIO.
     */
    PvResult cpusToPv(String name) {
        requireLock();
        PvResult r = PvResult.NO_CALL;
        for (KvmVcpu vcpu : vm.vcpus) {
            vcpu.lock.lock();
            try {
                r = r.then(createCpu(name, vcpu));
            } finally {
                vcpu.lock.unlock();
            }
            if (!r.ok()) {
                cpusFromPv();
                return r;
            }
        }
        return r;
    }

    /**
     * kvm_s390_cpus_from_pv(): destroys as many secure CPUs as possible.
     * Context: kvm->lock held.
     * Return: ok, or EIO (with the first failure's rc/rrc) if a DESTROY_SEC_CPU failed.
     */
    PvResult cpusFromPv() {
        requireLock();
        PvResult r = PvResult.NO_CALL;
        for (KvmVcpu vcpu : vm.vcpus) {
            vcpu.lock.lock();
            try {
                r = r.then(destroyCpu(vcpu));
            } finally {
                vcpu.lock.unlock();
            }
        }
        return r;
    }

    // ---- teardown ----------------------------------------------------------------------------

    /**
     * kvm_s390_pv_deinit_cleanup_all(): the configuration, any set-aside or left-over one, then the
     * guest's pages with the cheap destroy (the configurations are gone by then). Configurations whose
     * destroy fails are an intended memory leak.
     * Context: kvm->lock held.
     * Return: ok, or EIO (with the first failure's rc/rrc) if a DESTROY_SEC_CONF failed.
     */
    PvResult deinitCleanupAll() {
        requireLock();
        PvResult r = handle != 0 ? deinitVm() : PvResult.NO_CALL;
        if (setAside != null) {
            needCleanup.add(setAside);
            setAside = null;
        }
        while (!needCleanup.isEmpty()) {
            r = r.then(disposeLeftover(needCleanup.poll()));
        }
        destroyRange(vm.gmap.mappedFrames());
        return r;
    }

    /**
     * ASYNC_CLEANUP_PERFORM's first step: takes the configuration set aside by {@link #setAsideVm}, if any,
     * so that it can be destroyed without the lock.
     * Context: kvm->lock held.
     * Return: the set-aside configuration, or null if there is none.
     */
    Leftover takeSetAside() {
        requireLock();
        Leftover l = setAside;
        setAside = null;
        return l;
    }

    /**
     * kvm_s390_pv_dispose_one_leftover(): destroys a set-aside configuration and frees its storage if the UV
     * gave it back; if not, the storage is an intended memory leak, for good.
     * Context: any; the configuration was detached under kvm->lock and no one else sees it.
     * Return: ok (also for one destroyed fast already: no UV call), or EIO if DESTROY_SEC_CONF failed.
     */
    PvResult disposeLeftover(Leftover l) {
        if (l.handle() == 0) {
            return PvResult.NO_CALL;
        }
        UvCaller.Answer<NoData> a = uvc(NoData.of(UvCommand.DESTROY_SEC_CONF, l.handle()));
        long bytes = pageAlign(l.baseLen()) + pageAlign(l.varLen());
        if (a.cc() != 0) {
            if (!l.leaked()) { // dropped for good, as kvm_s390_pv_dispose_one_leftover() does
                leakDonation(KvmStats.LeakReason.CONFIG_DESTROY_FAILED, bytes);
            }
            return PvResult.of(a, Errno.EIO);
        }
        if (l.leaked()) {
            kvm.counters.leaked(KvmStats.LeakReason.CONFIG_DESTROY_FAILED, -bytes);
        }
        kvm.protectedCount.decrementAndGet();
        freeDonation(l.storBase(), l.baseLen());
        freeDonation(l.storVar(), l.varLen());
        return PvResult.of(a, Errno.EIO);
    }

    /**
     * Destroys (else exports) every page that might still be secure.
     * Context: any (the page hints and the UV synchronise themselves).
     */
    void destroyRange(long[] frames) {
        for (long f : frames) {
            kvm.pages.destroy(f);
        }
    }

    /**
     * kvm_s390_pv_set_aside(): the configuration is destroyed fast if the UV can, else stashed for
     * ASYNC_CLEANUP_PERFORM; the lower 2 GiB of guest memory are cleaned now. A failed fast destroy is an
     * intended memory leak, as for {@link #deinitVm}.
     * Context: kvm->lock held.
     * Return: ok with rc 1 and the synthetic rrc {@link #RRC_ASYNC}, or EINVAL if a configuration is set
     * aside already, or EIO if DESTROY_SEC_CONF_FAST failed.
     */
    PvResult setAsideVm(String name) {
        requireLock();
        if (setAside != null) {
            return PvResult.failed(Errno.EINVAL);
        }
        Leftover l;
        if (kvm.uv.installed(UvCommand.DESTROY_SEC_CONF_FAST)) {
            UvCaller.Answer<DestroyFast> a = uvc(DestroyFast.of(handle));
            if (a.cc() != 0) {
                leakConfigOnce();
                vm.gmap.replaceAsce();
                return PvResult.of(a, Errno.EIO);
            }
            if (leakedConfig) {
                kvm.counters.leaked(KvmStats.LeakReason.CONFIG_DESTROY_FAILED, -pageAlign(baseLen) - pageAlign(varLen));
            }
            freeDonation(storBase, baseLen);
            freeDonation(storVar, varLen);
            l = new Leftover(0, 0, 0, 0, 0, false);
        } else {
            l = new Leftover(handle, storBase, baseLen, storVar, varLen, leakedConfig);
            vm.gmap.replaceAsce(); // the stashed config keeps its ASCE; a leak only if its destroy fails later
        }
        setAside = l;
        if (l.handle() == 0) {
            kvm.protectedCount.decrementAndGet();
        }
        clearState();
        destroyRange(vm.gmap.mappedFramesBelow(1L << 31));
        return PvResult.ok(1, RRC_ASYNC);
    }

    // ---- import ------------------------------------------------------------------------------

    /**
     * gmap_make_secure() for an import-like call (UNPACK_IMG, CONV_TO_SEC_STOR): the page is faulted in if
     * needed, marked might-be-secure, and the UVC issued once.
     * Context: kvm->lock held (the caller built the UVCB from the handle under it).
     * Return: ok, or EFAULT if no memory slot backs the page, or EAGAIN if the UV was busy or the page was
     * not mapped (the caller retries), or EINVAL if the UV refused the page.
     */
    private PvResult makeSecure(String name, Uvcb uvcb, long gaddr) {
        long frame = vm.gmap.translate(gaddr);
        if (frame < 0) {
            frame = vm.gmapFault(name, gaddr);
            if (frame < 0) {
                return PvResult.failed(Errno.EFAULT);
            }
        }
        kvm.pages.markMightBeSecure(frame);
        UvCaller.Answer<? extends Uvcb> a = kvm.uv.once(uvcb);
        if (a.cc() == 0) {
            return PvResult.of(a, null);
        }
        if (a.cc() > 1) {
            return PvResult.of(a, Errno.EAGAIN);
        }
        if (a.rc() == RC_NOT_MAPPED) {
            return PvResult.of(a, vm.gmapFault(name, gaddr) < 0 ? Errno.EFAULT : Errno.EAGAIN);
        }
        return PvResult.of(a, Errno.EINVAL);
    }

    /**
     * Retries an import-like call on EAGAIN (cond_resched and retry; bounded in place of a fatal signal).
     * Context: kvm->lock held.
     * Return: as {@link #makeSecure}; EAGAIN only if the UV stayed busy for every retry.
     */
    private PvResult makeSecureRetrying(String name, Uvcb uvcb, long gaddr) {
        PvResult r = PvResult.failed(Errno.EAGAIN);
        for (int i = 0; i < MAX_IMPORT_RETRIES && r.errno() == Errno.EAGAIN; i++) {
            r = r.followedBy(makeSecure(name, uvcb, gaddr));
        }
        return r;
    }

    /**
     * unpack_one() of kvm_s390_pv_unpack(): UNPACK_IMG of the image page at {@code gaddr}, {@code offset}
     * bytes into the image, with the component's tweak.
     * Context: kvm->lock held.
     * Return: as {@link #makeSecureRetrying}: ok, or EFAULT, EAGAIN or EINVAL.
     */
    PvResult unpackPage(String name, long gaddr, long tweak, long offset) {
        requireLock();
        return makeSecureRetrying(name, Unpack.of(handle, gaddr, tweak, offset), gaddr);
    }

    /**
     * gmap_convert_to_secure(): import on a guest's access to a non-secure page (0x3e), for the SIE work.
     * Context: kvm->lock held.
     * Return: as {@link #makeSecureRetrying}: ok, or EFAULT, EAGAIN or EINVAL.
     */
    PvResult convertToSecure(String name, long gaddr) {
        requireLock();
        return makeSecureRetrying(name, ConvertToSecure.of(UvCommand.CONV_TO_SEC_STOR, handle, gaddr & ~HostStorage.PAGE_MASK),
                gaddr);
    }

    /** kvm->arch.pv.import_lock: serialises the vCPUs' imports without kvm->lock. */
    private final java.util.concurrent.locks.ReentrantLock importLock = new java.util.concurrent.locks.ReentrantLock();

    /**
     * gmap_convert_to_secure() from a running vCPU (0x3e, a non-secure prefix page): import the page.
     * Context: the protected vCPU's vcpu->mutex held, kvm->lock NOT held (ENABLE and DISABLE take every
     * vCPU's mutex, so the configuration handle cannot change meanwhile); takes the import lock.
     * Return: as {@link #makeSecureRetrying}: ok, or EFAULT, EAGAIN or EINVAL.
     */
    PvResult importForVcpu(String name, KvmVcpu vcpu, long gaddr) {
        return asVcpu(vcpu, () -> makeSecureRetrying(name,
                ConvertToSecure.of(UvCommand.CONV_TO_SEC_STOR, configHandleOf(vcpu), gaddr & ~HostStorage.PAGE_MASK), gaddr));
    }

    /**
     * The unpin half of handle_pv_uvc(): UNPIN_PAGE_SHARED of the page the guest unshares.
     * Context: as {@link #importForVcpu}. Return: as {@link #makeSecureRetrying}.
     */
    PvResult unpinForVcpu(String name, KvmVcpu vcpu, long gaddr) {
        return asVcpu(vcpu, () -> makeSecureRetrying(name,
                ConvertToSecure.of(UvCommand.UNPIN_PAGE_SHARED, configHandleOf(vcpu), gaddr & ~HostStorage.PAGE_MASK), gaddr));
    }

    private PvResult asVcpu(KvmVcpu vcpu, java.util.function.Supplier<PvResult> call) {
        if (!vcpu.lock.isHeldByCurrentThread() || vcpu.pvHandle == 0) {
            throw new IllegalStateException("vCPU import without holding the protected vCPU's mutex");
        }
        importLock.lock();
        try {
            return call.get();
        } finally {
            importLock.unlock();
        }
    }

    /** The configuration handle as the vCPU's SIE block names it (stable while its mutex is held). */
    private static long configHandleOf(KvmVcpu vcpu) {
        return vcpu.sd.u64(org.pvsim.machine.SieBlock.PV_HANDLE_CONFIG);
    }

    // ---- commands on the configuration ----------------------------------------------------------

    /**
     * kvm_s390_pv_set_sec_parms(): SET_SEC_CONF_PARAMS with the SE header at host address {@code buf}.
     * Context: kvm->lock held.
     * Return: ok, or EINVAL if the UV refused the header.
     */
    PvResult setSecParms(long buf, int len) {
        requireLock();
        return PvResult.of(uvc(SetSecConfParams.of(handle, buf, len)), Errno.EINVAL);
    }

    /**
     * uv_cmd_nodata() on the configuration (VERIFY_IMG, PREPARE_RESET, SET_UNSHARE_ALL).
     * Context: kvm->lock held.
     * Return: ok, or EINVAL if the call failed.
     */
    PvResult noData(UvCommand command) {
        requireLock();
        return PvResult.of(uvc(NoData.of(command, handle)), Errno.EINVAL);
    }

    // ---- dump ----------------------------------------------------------------------------------

    /**
     * KVM_PV_DUMP_INIT: SIE entry is blocked (concurrent dump UVCs could lead to validities), then DUMP_INIT;
     * on failure the VM is unblocked again.
     * Context: kvm->lock held.
     * Return: ok, or EINVAL if a dump is in progress already or DUMP_INIT failed.
     */
    PvResult dumpInit() {
        requireLock();
        if (dumping) {
            return PvResult.failed(Errno.EINVAL);
        }
        vm.blocked = true;
        PvResult r = PvResult.of(uvc(NoData.of(UvCommand.DUMP_INIT, handle)), Errno.EINVAL);
        if (r.ok()) {
            dumping = true;
        } else {
            vm.blocked = false;
        }
        return r;
    }

    /** Where {@link #dumpStorageState} got to: the next gaddr on success, the failing one on failure. */
    record DumpProgress(PvResult result, long gaddr) {
    }

    /**
     * kvm_s390_pv_dump_stor_state(): "all or nothing", one DUMP_CONF_STOR_STATE per 1 MiB of guest storage
     * from {@code gaddr}, {@code per} bytes each, through a bounce buffer of at most 1 MiB that is copied to
     * user {@code user} whenever it is full. The caller has checked the alignment of gaddr and buffLen.
     * Context: kvm->lock held.
     * Return: ok, or EINVAL if no dump is in progress or a call failed, or ENOMEM if there is no bounce
     * buffer, or EFAULT (thrown) if user memory cannot be written.
     */
    DumpProgress dumpStorageState(String name, long gaddr, long user, long buffLen, long per) {
        requireLock();
        if (!dumping) {
            return new DumpProgress(PvResult.failed(Errno.EINVAL), gaddr);
        }
        long bufLen = Math.min(buffLen, DUMP_BUFF_LEN);
        long buf = kvm.allocate(name, bufLen, HostStorage.PAGE_SIZE, HostFrameAllocator.Use.KERNEL);
        PvResult r = PvResult.NO_CALL;
        try {
            long remaining = buffLen;
            long inBuf = 0;
            while (remaining > 0) {
                r = PvResult.of(uvc(DumpStorState.of(handle, buf + inBuf, gaddr)), Errno.EINVAL);
                if (!r.ok()) {
                    return new DumpProgress(r, gaddr);
                }
                gaddr += MIB;
                inBuf += per;
                remaining -= per;
                if (inBuf == bufLen || remaining == 0) {
                    copyOut(name, buf, user, inBuf);
                    user += inBuf;
                    inBuf = 0;
                }
            }
        } finally {
            kvm.free(buf, bufLen, HostFrameAllocator.Use.KERNEL);
        }
        return new DumpProgress(r, gaddr);
    }

    /**
     * kvm_s390_pv_dump_complete(): DUMP_COMPLETE, the {@code len} bytes of completion data copied to user
     * {@code user}; the dump ends and the VM is unblocked.
     * Context: kvm->lock held.
     * Return: ok, or EINVAL if no dump is in progress or DUMP_COMPLETE failed, or ENOMEM (thrown) if there is
     * no buffer, or EFAULT (thrown) if user memory cannot be written.
     */
    PvResult dumpComplete(String name, long user, long len) {
        requireLock();
        if (!dumping) {
            return PvResult.failed(Errno.EINVAL);
        }
        long buf = kvm.allocate(name, len, HostStorage.PAGE_SIZE, HostFrameAllocator.Use.KERNEL);
        try {
            PvResult r = PvResult.of(uvc(DumpComplete.of(handle, buf)), Errno.EINVAL);
            if (r.ok()) {
                dumping = false;
                vm.blocked = false;
                copyOut(name, buf, user, len);
            }
            return r;
        } finally {
            kvm.free(buf, len, HostFrameAllocator.Use.KERNEL);
        }
    }

    /** copy_to_user() of {@code len} bytes of kernel storage at {@code buf}. */
    private void copyOut(String name, long buf, long user, long len) {
        byte[] out = new byte[(int) len];
        kvm.pages.read(name, buf, out, 0, out.length);
        kvm.mm().write(name, user, out, 0, out.length);
    }
}
