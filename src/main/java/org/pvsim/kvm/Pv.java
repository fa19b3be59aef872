package org.pvsim.kvm;

import java.util.ArrayDeque;
import java.util.Deque;
import org.pvsim.machine.storage.HostStorage;
import org.pvsim.machine.uv.cb.ConvertToSecure;
import org.pvsim.machine.uv.cb.CreateSecConf;
import org.pvsim.machine.uv.cb.CreateSecCpu;
import org.pvsim.machine.uv.cb.DestroyFast;
import org.pvsim.machine.uv.cb.NoData;
import org.pvsim.machine.uv.cb.QueryUvInfo;
import org.pvsim.machine.uv.cb.UvCaller;
import org.pvsim.machine.uv.cb.UvCommand;
import org.pvsim.machine.uv.cb.Uvcb;

/**
 * The protected-VM mechanics of one VM (arch/s390/kvm/pv.c): secure configuration and CPUs, their donated
 * storage, import of pages, teardown. Every method that reads or changes the PV state runs with the VM lock
 * held (asserted), except the set-aside teardown, which works on state detached under the lock.
 */
final class Pv {
    private static final byte[] ZERO_PAGE = new byte[HostStorage.PAGE_SIZE];
    static final long MIB = 1L << 20;
    private static final int RC_NEED_DESTROY = 0x8000;
    private static final int RC_NOT_MAPPED = 0x010a;
    /** Synthetic rrc the kernel reports for a successful asynchronous-teardown step. */
    static final int RRC_ASYNC = 42;
    private static final int MAX_IMPORT_RETRIES = 64;

    /** The UV rc/rrc a command reports: the first failing call's, or the last call's. */
    static final class RcRrc {
        int rc;
        int rrc;
        private boolean frozen;

        void set(UvCaller.Answer<?> a) {
            if (!frozen) {
                rc = a.rc();
                rrc = a.rrc();
            }
        }

        /** Keeps the current values: later calls do not overwrite the first failure. */
        void freeze() {
            frozen = true;
        }

        void set(int newRc, int newRrc) {
            rc = newRc;
            rrc = newRrc;
        }
    }

    /** A configuration set aside by ASYNC_CLEANUP_PREPARE (struct pv_vm_to_be_destroyed); handle 0 = destroyed fast. */
    record Leftover(long handle, long storBase, long baseLen, long storVar, long varLen, boolean leaked) {
    }

    private final KvmVm vm;
    private final Kvm kvm;
    // ---- kvm->arch.pv, guarded by the VM lock
    long handle;
    long guestLen;
    long storBase;
    long baseLen;
    long storVar;
    long varLen;
    volatile boolean dumping;
    /** The configuration's storage is counted as leaked (its destroy failed); a later destroy may return it. */
    boolean leakedConfig;
    Leftover setAside;
    final Deque<Leftover> needCleanup = new ArrayDeque<>();

    Pv(KvmVm vm) {
        this.vm = vm;
        this.kvm = vm.kvm;
    }

    private void requireLock() {
        if (!vm.lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("PV state of the VM touched without holding kvm->lock");
        }
    }

    /** kvm_s390_pv_is_protected(). */
    boolean isProtected() {
        requireLock();
        return handle != 0;
    }

    private QueryUvInfo info() {
        return kvm.uvInfo();
    }

    private <T extends Uvcb> UvCaller.Answer<T> uvc(T cb) {
        return kvm.uv.call(cb);
    }

    // ---- configuration ---------------------------------------------------------------------

    /** kvm_s390_pv_init_vm(): donate storage, CREATE_SEC_CONF. Errno null on success. */
    Errno initVm(String name, RcRrc r) {
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
            return Errno.ENOMEM;
        }
        try {
            var = kvm.allocate(name, vLen, HostStorage.PAGE_SIZE, HostFrameAllocator.Use.UV_DONATION);
        } catch (KvmException e) {
            kvm.free(base, q.confBasePhysStorLen(), HostFrameAllocator.Use.UV_DONATION);
            return Errno.ENOMEM;
        }
        UvCaller.Answer<CreateSecConf> a = uvc(CreateSecConf.of(0, base, var, 0, 0, len, vm.sca, vm.gmap.asce()));
        r.set(a);
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
                RcRrc dummy = new RcRrc();
                deinitVm(dummy);
            } else {
                kvm.free(base, baseLen, HostFrameAllocator.Use.UV_DONATION);
                kvm.free(var, varLen, HostFrameAllocator.Use.UV_DONATION);
                clearState();
                kvm.protectedCount.decrementAndGet();
            }
            return Errno.EIO;
        }
        kvm.counters.donated(baseLen + varLen);
        return null;
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
     * On failure it is leaked on purpose, the top-level DAT table set aside, and the handle kept.
     */
    Errno deinitVm(RcRrc r) {
        requireLock();
        UvCaller.Answer<NoData> a = uvc(NoData.of(UvCommand.DESTROY_SEC_CONF, handle));
        r.set(a);
        if (a.cc() == 0) {
            kvm.protectedCount.decrementAndGet();
            if (leakedConfig) { // a retried destroy worked: the UV gave the storage back after all
                kvm.counters.leaked(KvmStats.LeakReason.CONFIG_DESTROY_FAILED, -pageAlign(baseLen) - pageAlign(varLen));
            }
            freeDonation(storBase, baseLen);
            freeDonation(storVar, varLen);
            clearState();
            vm.blocked = false;
            return null;
        }
        // "Intended memory leak on 'impossible' error": storage and handle are kept, the ASCE set aside
        leakConfigOnce();
        vm.gmap.replaceAsce();
        return Errno.EIO;
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

    /** kvm_s390_pv_create_cpu(): donate CPU storage and a SIDA page, CREATE_SEC_CPU. Errno null on success. */
    Errno createCpu(String name, KvmVcpu vcpu, RcRrc r) {
        requireLock();
        if (vcpu.pvHandle != 0) {
            return Errno.EINVAL;
        }
        long storLen = info().cpuStorLen();
        long stor;
        long sida;
        try {
            stor = kvm.allocate(name, storLen, HostStorage.PAGE_SIZE, HostFrameAllocator.Use.UV_DONATION);
        } catch (KvmException e) {
            return Errno.ENOMEM;
        }
        try {
            sida = kvm.allocate(name, HostStorage.PAGE_SIZE, HostStorage.PAGE_SIZE, HostFrameAllocator.Use.KERNEL);
            kvm.pages.write(name, sida, ZERO_PAGE, 0, HostStorage.PAGE_SIZE); // get_zeroed_page()
        } catch (KvmException e) {
            kvm.free(stor, storLen, HostFrameAllocator.Use.UV_DONATION);
            return Errno.ENOMEM;
        }
        UvCaller.Answer<CreateSecCpu> a = uvc(CreateSecCpu.of(0, handle, stor, vcpu.id, vcpu.sieBlock));
        r.set(a);
        if (a.cc() != 0) {
            // the UV did not take the storage: free it (handle 0, so no destroy is needed)
            kvm.free(stor, storLen, HostFrameAllocator.Use.UV_DONATION);
            kvm.free(sida, HostStorage.PAGE_SIZE, HostFrameAllocator.Use.KERNEL);
            return Errno.EIO;
        }
        kvm.counters.donated(pageAlign(storLen));
        vcpu.pvHandle = a.cb().cpuHandle();
        vcpu.pvStorBase = stor;
        vcpu.sidad = sida; // one page: size field 0
        return null;
    }

    /**
     * kvm_s390_pv_destroy_cpu(): DESTROY_SEC_CPU; donated storage freed only if the UV gave it back, else
     * leaked; the SIDA is always freed and the handles cleared. Needs the vCPU lock or a dying VM.
     */
    Errno destroyCpu(KvmVcpu vcpu, RcRrc r) {
        if (vcpu.pvHandle == 0) {
            return null;
        }
        UvCaller.Answer<NoData> a = uvc(NoData.of(UvCommand.DESTROY_SEC_CPU, vcpu.pvHandle));
        r.set(a);
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
        return a.cc() == 0 ? null : Errno.EIO;
    }

    /** kvm_s390_cpus_to_pv(): every vCPU under its lock; on the first failure everything is rolled back. */
    Errno cpusToPv(String name, RcRrc r) {
        requireLock();
        for (KvmVcpu vcpu : vm.vcpus) {
            vcpu.lock.lock();
            Errno e;
            try {
                e = createCpu(name, vcpu, r);
            } finally {
                vcpu.lock.unlock();
            }
            if (e != null) {
                r.freeze();
                cpusFromPv(new RcRrc());
                return e;
            }
        }
        return null;
    }

    /** kvm_s390_cpus_from_pv(): destroys as many CPUs as possible; the first failure's rc/rrc and EIO. */
    Errno cpusFromPv(RcRrc r) {
        requireLock();
        Errno result = null;
        for (KvmVcpu vcpu : vm.vcpus) {
            vcpu.lock.lock();
            try {
                RcRrc one = new RcRrc();
                if (destroyCpu(vcpu, one) != null && result == null) {
                    result = Errno.EIO;
                    r.set(one.rc, one.rrc);
                    r.freeze();
                } else if (result == null && (one.rc != 0 || one.rrc != 0)) {
                    r.set(one.rc, one.rrc);
                }
            } finally {
                vcpu.lock.unlock();
            }
        }
        return result;
    }

    // ---- teardown ----------------------------------------------------------------------------

    /**
     * kvm_s390_pv_deinit_cleanup_all(): the configuration, any set-aside or left-over one, then the
     * guest's pages with the cheap destroy (the configurations are gone by then). First failure's rc/rrc.
     */
    Errno deinitCleanupAll(RcRrc r) {
        requireLock();
        Errno result = null;
        if (handle != 0) {
            result = deinitVm(r);
            if (result != null) {
                r.freeze();
            }
        }
        if (setAside != null) {
            needCleanup.add(setAside);
            setAside = null;
        }
        while (!needCleanup.isEmpty()) {
            Errno e = disposeLeftover(needCleanup.poll(), r);
            if (e != null && result == null) {
                result = e;
                r.freeze();
            }
        }
        destroyRange(vm.gmap.mappedFrames());
        return result;
    }

    /** Destroys a set-aside configuration and frees its storage if the UV gave it back. */
    Errno disposeLeftover(Leftover l, RcRrc r) {
        if (l.handle() == 0) {
            return null;
        }
        UvCaller.Answer<NoData> a = uvc(NoData.of(UvCommand.DESTROY_SEC_CONF, l.handle()));
        r.set(a);
        long bytes = pageAlign(l.baseLen()) + pageAlign(l.varLen());
        if (a.cc() != 0) {
            if (!l.leaked()) { // dropped for good, as kvm_s390_pv_dispose_one_leftover() does
                leakDonation(KvmStats.LeakReason.CONFIG_DESTROY_FAILED, bytes);
            }
            return Errno.EIO;
        }
        if (l.leaked()) {
            kvm.counters.leaked(KvmStats.LeakReason.CONFIG_DESTROY_FAILED, -bytes);
        }
        kvm.protectedCount.decrementAndGet();
        freeDonation(l.storBase(), l.baseLen());
        freeDonation(l.storVar(), l.varLen());
        return null;
    }

    /** Destroys (else exports) every page that might still be secure. */
    void destroyRange(long[] frames) {
        for (long f : frames) {
            kvm.pages.destroy(f);
        }
    }

    /**
     * kvm_s390_pv_set_aside(): the configuration is destroyed fast if the UV can, else stashed for
     * ASYNC_CLEANUP_PERFORM; the lower 2 GiB of guest memory are cleaned now. EINVAL if one is set aside.
     */
    Errno setAsideVm(String name, RcRrc r) {
        requireLock();
        if (setAside != null) {
            return Errno.EINVAL;
        }
        Leftover l;
        if (kvm.uv.installed(UvCommand.DESTROY_SEC_CONF_FAST)) {
            UvCaller.Answer<DestroyFast> a = uvc(DestroyFast.of(handle));
            r.set(a);
            if (a.cc() != 0) {
                leakConfigOnce();
                vm.gmap.replaceAsce();
                return Errno.EIO;
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
        r.set(1, RRC_ASYNC);
        return null;
    }

    // ---- import ------------------------------------------------------------------------------

    /**
     * gmap_make_secure() for an import-like call (UNPACK_IMG, CONV_TO_SEC_STOR): the page is faulted in if
     * needed, marked might-be-secure, and the UVC issued once. EAGAIN asks the caller to retry.
     */
    Errno makeSecure(String name, Uvcb uvcb, long gaddr, RcRrc r) {
        long frame = vm.gmap.translate(gaddr);
        if (frame < 0) {
            frame = vm.gmapFault(name, gaddr);
            if (frame < 0) {
                return Errno.EFAULT;
            }
        }
        kvm.pages.markMightBeSecure(frame);
        UvCaller.Answer<? extends Uvcb> a = kvm.uv.once(uvcb);
        r.set(a);
        if (a.cc() == 0) {
            return null;
        }
        if (a.cc() > 1) {
            return Errno.EAGAIN;
        }
        if (a.rc() == RC_NOT_MAPPED) {
            return vm.gmapFault(name, gaddr) < 0 ? Errno.EFAULT : Errno.EAGAIN;
        }
        return Errno.EINVAL;
    }

    /** Retries an import-like call on EAGAIN (cond_resched and retry; bounded in place of a fatal signal). */
    Errno makeSecureRetrying(String name, Uvcb uvcb, long gaddr, RcRrc r) {
        Errno e = Errno.EAGAIN;
        for (int i = 0; i < MAX_IMPORT_RETRIES && e == Errno.EAGAIN; i++) {
            e = makeSecure(name, uvcb, gaddr, r);
        }
        return e;
    }

    /** gmap_convert_to_secure(): import on a guest's access to a non-secure page (0x3e), for the SIE work. */
    Errno convertToSecure(String name, long gaddr, RcRrc r) {
        return makeSecureRetrying(name, ConvertToSecure.of(UvCommand.CONV_TO_SEC_STOR, handle, gaddr & ~HostStorage.PAGE_MASK),
                gaddr, r);
    }
}
