package org.pvsim.kvm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import org.pvsim.machine.storage.HostStorage;
import org.pvsim.machine.uv.cb.QueryUvInfo;
import org.pvsim.machine.uv.cb.UvCommand;

/**
 * A VM file descriptor (the VM half of arch/s390/kvm/kvm-s390.c): memory slots, vCPU creation and the
 * KVM_S390_PV_COMMAND ioctl. The VM lock (kvm->lock) is held across every PV command except
 * ASYNC_CLEANUP_PERFORM and across vCPU creation, so "is this VM protected" is always checked under the
 * lock that guards its change.
 */
public final class KvmVm {
    /** s390 memory slots must start and end on a segment (1 MiB) boundary. */
    private static final long SEGMENT = 1L << 20;
    private static final long ESCA_SIZE = 0x4000;
    private static final int MAX_SEC_PARMS_LEN = 2 * HostStorage.PAGE_SIZE;
    private static final int MEMOP_F_CHECK_ONLY = 1;
    private static final int MEMOP_F_SKEY_PROTECTION = 4;

    final Kvm kvm;
    final ReentrantLock lock = new ReentrantLock();
    final Gmap gmap;
    /** Host address of the extended SCA (ESCA), allocated at creation as newer kernels do. */
    final long sca;
    final MemorySlots slots = new MemorySlots();
    final List<KvmVcpu> vcpus = new CopyOnWriteArrayList<>();
    final Pv pv;
    /** kvm_s390_vcpu_block_all() while a dump is in progress (SIE entry would be refused). */
    volatile boolean blocked;
    /** "protvirt means user cpu state". */
    volatile boolean userCpuStateControl;
    /** Service interrupts masked from ENABLE until the guest's first SCLP notification. */
    volatile boolean serviceIrqMasked;
    private volatile boolean closed;
    private final ProtectionCheck protectionCheck;
    private final UserMemory.UnmapListener unmapListener = this::userUnmapped;

    KvmVm(Kvm kvm, ProtectionCheck protectionCheck) {
        this.kvm = kvm;
        this.protectionCheck = protectionCheck;
        this.sca = kvm.allocate("KVM_CREATE_VM", ESCA_SIZE, ESCA_SIZE, HostFrameAllocator.Use.KERNEL);
        Gmap g;
        try {
            g = new Gmap(kvm.storage, kvm.allocator, kvm.counters);
        } catch (KvmException e) {
            kvm.free(sca, ESCA_SIZE, HostFrameAllocator.Use.KERNEL);
            throw new KvmException("KVM_CREATE_VM", Errno.ENOMEM, e.getMessage());
        }
        this.gmap = g;
        this.pv = new Pv(this);
        kvm.mm().addUnmapListener(unmapListener);
    }

    boolean isClosed() {
        return closed;
    }

    private void enter(String command) {
        lock.lock();
        if (closed) {
            lock.unlock();
            throw new KvmException(command, Errno.EBADF, "the VM has been destroyed");
        }
    }

    /** Whether the VM is protected right now (takes the VM lock; for tests and tools). */
    public boolean isProtectedNow() {
        lock.lock();
        try {
            return !closed && pv.isProtected();
        } finally {
            lock.unlock();
        }
    }

    /** The VM's floating interruptions. */
    final Interrupts.Floating floating = new Interrupts.Floating();

    /** The vCPU with this id, or null. */
    KvmVcpu vcpuById(int id) {
        for (KvmVcpu v : vcpus) {
            if (v.id == id) {
                return v;
            }
        }
        return null;
    }

    /**
     * KVM_S390_INTERRUPT on the VM: a floating interruption (the service signal with its parameter, as
     * user space's SCLP raises it), merged with one pending ({@link Interrupts.Floating#post}). The first vCPU
     * enabled for it takes it before its next SIE entry; a
     * running vCPU sees it when its slice ends; waiting ones are woken (the kernel wakes one idle vCPU; pvsim
     * wakes all, and those not enabled for it wait again).
     */
    public void injectFloating(int type, long parm) {
        if (type != KvmUapi.KVM_S390_INT_SERVICE) {
            throw new KvmException("KVM_S390_INTERRUPT", Errno.EINVAL,
                    "interrupt type 0x" + Integer.toHexString(type) + " is not a floating interrupt pvsim models");
        }
        floating.post(parm & 0xffffffffL);
        vcpus.forEach(KvmVcpu::wakeUp);
    }

    /** The vCPUs, in creation order. */
    public List<KvmVcpu> vcpus() {
        return List.copyOf(vcpus);
    }

    // ---- KVM_CREATE_VCPU ----------------------------------------------------------------------

    /**
     * KVM_CREATE_VCPU: on a protected VM the vCPU becomes secure during its creation, under the VM lock, or
     * the creation fails (-EIO with the UV's rc/rrc, -ENOMEM).
     */
    public KvmVcpu createVcpu(int id) {
        String name = "KVM_CREATE_VCPU";
        if (id < 0 || id >= KvmUapi.KVM_MAX_VCPUS) {
            throw new KvmException(name, Errno.EINVAL, "vCPU id " + id + " out of range 0.." + (KvmUapi.KVM_MAX_VCPUS - 1));
        }
        enter(name);
        try {
            for (KvmVcpu v : vcpus) {
                if (v.id == id) {
                    throw new KvmException(name, Errno.EEXIST, "vCPU " + id + " exists");
                }
            }
            long sie = kvm.allocate(name, HostStorage.PAGE_SIZE, HostStorage.PAGE_SIZE, HostFrameAllocator.Use.KERNEL);
            KvmVcpu vcpu = new KvmVcpu(this, id, sie);
            if (pv.isProtected()) {
                PvResult r = pv.createCpu(name, vcpu); // no vCPU lock: no one else can see the vCPU yet
                if (!r.ok()) {
                    kvm.free(sie, HostStorage.PAGE_SIZE, HostFrameAllocator.Use.KERNEL);
                    throw fail(name, r, "vCPU " + id + " could not be made secure");
                }
            }
            vcpus.add(vcpu);
            return vcpu;
        } finally {
            lock.unlock();
        }
    }

    // ---- KVM_SET_USER_MEMORY_REGION ------------------------------------------------------------

    /** KVM_SET_USER_MEMORY_REGION: refused with EINVAL while the VM is protected. */
    public void setUserMemoryRegion(KvmUserspaceMemoryRegion r) {
        String name = "KVM_SET_USER_MEMORY_REGION";
        enter(name);
        try {
            if (r.slot() < 0 || r.slot() >= KvmUapi.KVM_USER_MEM_SLOTS) {
                throw new KvmException(name, Errno.EINVAL, "slot " + r.slot() + " out of range");
            }
            if ((r.flags() & ~1) != 0) { // only KVM_MEM_LOG_DIRTY_PAGES
                throw new KvmException(name, Errno.EINVAL, "flags 0x" + Integer.toHexString(r.flags()) + " not supported");
            }
            if (pv.isProtected()) {
                throw new KvmException(name, Errno.EINVAL, "memory slots cannot change while the VM is protected");
            }
            if ((r.guestPhysAddr() & HostStorage.PAGE_MASK) != 0 || (r.memorySize() & HostStorage.PAGE_MASK) != 0
                    || r.memorySize() < 0 || r.guestPhysAddr() < 0) {
                throw new KvmException(name, Errno.EINVAL, "guest address and size must be page aligned");
            }
            KvmUserspaceMemoryRegion old = slots.get(r.slot());
            if (r.memorySize() == 0) {
                if (old != null) {
                    gmap.unmap(old.guestPhysAddr(), old.memorySize());
                    slots.remove(r.slot());
                }
                return;
            }
            if ((r.userspaceAddr() & (SEGMENT - 1)) != 0 || (r.memorySize() & (SEGMENT - 1)) != 0
                    || (r.guestPhysAddr() & (SEGMENT - 1)) != 0) {
                throw new KvmException(name, Errno.EINVAL, "s390 memory slots must be 1 MiB aligned in guest and user space");
            }
            if (r.guestPhysAddr() + r.memorySize() > Gmap.LIMIT
                    || r.guestPhysAddr() + r.memorySize() > kvm.uvInfoOrEmpty().maxGuestStorAddr() + 1 && kvm.protVirtHost()) {
                throw new KvmException(name, Errno.EINVAL, "slot ends beyond the guest's address limit");
            }
            if (!kvm.mm().isMapped(r.userspaceAddr(), r.memorySize())) {
                throw new KvmException(name, Errno.EFAULT, String.format("user range 0x%x+0x%x is not mapped",
                        r.userspaceAddr(), r.memorySize()));
            }
            for (KvmUserspaceMemoryRegion o : slots.all()) {
                if (o.slot() != r.slot() && r.guestPhysAddr() < o.guestPhysAddr() + o.memorySize()
                        && o.guestPhysAddr() < r.guestPhysAddr() + r.memorySize()) {
                    throw new KvmException(name, Errno.EEXIST, "overlaps slot " + o.slot());
                }
            }
            if (old != null) {
                gmap.unmap(old.guestPhysAddr(), old.memorySize());
            }
            slots.put(r);
        } finally {
            lock.unlock();
        }
    }

    /** gmap_fault(): maps the guest page at {@code gaddr} to its user page's frame; -1 if no slot covers it. */
    long gmapFault(String name, long gaddr) {
        long uaddr = slots.toUser(gaddr & ~HostStorage.PAGE_MASK);
        if (uaddr < 0) {
            return -1;
        }
        long frame = kvm.mm().faultIn(name, uaddr);
        gmap.map(gaddr, frame);
        return frame;
    }

    /** The mmu notifier: user pages going away are unmapped from the guest. */
    private void userUnmapped(long userAddress, long length) {
        for (KvmUserspaceMemoryRegion r : slots.published()) {
            long lo = Math.max(userAddress, r.userspaceAddr());
            long hi = Math.min(userAddress + length, r.userspaceAddr() + r.memorySize());
            if (lo < hi) {
                gmap.unmap(r.guestPhysAddr() + (lo - r.userspaceAddr()), hi - lo);
            }
        }
    }

    // ---- KVM_S390_PV_COMMAND --------------------------------------------------------------------

    /**
     * KVM_S390_PV_COMMAND. Returns the command with rc/rrc filled in; a failure throws a {@link KvmException}
     * carrying errno and the rc/rrc (also in the result struct the kernel copies back).
     */
    public KvmPvCmd pvCommand(KvmPvCmd cmd) {
        String name = KvmUapi.pvCommandName(cmd.cmd());
        userCpuStateControl = true;
        if (!kvm.protVirtHost()) {
            throw new KvmException(name, Errno.EINVAL, "the host cannot run protected guests (UV not initialised)");
        }
        if (cmd.flags() != 0) {
            throw new KvmException(name, Errno.EINVAL, "flags must be 0, got 0x" + Integer.toHexString(cmd.flags()));
        }
        if (cmd.cmd() == KvmUapi.KVM_PV_ASYNC_CLEANUP_PERFORM) {
            return asyncCleanupPerform(name, cmd);
        }
        Boolean checkedEarly = protectionCheck.beforeLock(this);
        enter(name);
        try {
            PvResult r = switch (cmd.cmd()) {
                case KvmUapi.KVM_PV_ENABLE -> enable(name, checkedEarly);
                case KvmUapi.KVM_PV_DISABLE -> disable(name, checkedEarly);
                case KvmUapi.KVM_PV_SET_SEC_PARMS -> setSecParms(name, cmd);
                case KvmUapi.KVM_PV_UNPACK -> unpack(name, cmd);
                case KvmUapi.KVM_PV_VERIFY -> noData(name, UvCommand.VERIFY_IMG);
                case KvmUapi.KVM_PV_PREP_RESET -> noData(name, UvCommand.PREPARE_RESET);
                case KvmUapi.KVM_PV_UNSHARE_ALL -> noData(name, UvCommand.SET_UNSHARE_ALL);
                case KvmUapi.KVM_PV_INFO -> info(name, cmd);
                case KvmUapi.KVM_PV_DUMP -> dump(name, cmd);
                case KvmUapi.KVM_PV_ASYNC_CLEANUP_PREPARE -> asyncCleanupPrepare(name);
                default -> throw new KvmException(name, Errno.ENOTTY, "unknown PV command " + Integer.toUnsignedString(cmd.cmd()));
            };
            return cmd.withResult(r.rc(), r.rrc());
        } finally {
            lock.unlock();
        }
    }

    private static KvmException fail(String name, PvResult r, String detail) {
        return new KvmException(name, r.errno(), r.rc(), r.rrc(), detail);
    }

    private void requireProtected(String name) {
        if (!pv.isProtected()) {
            throw new KvmException(name, Errno.EINVAL, "the VM is not protected");
        }
    }

    private PvResult enable(String name, Boolean checkedEarly) {
        if (checkedEarly != null ? checkedEarly : pv.isProtected()) {
            throw new KvmException(name, Errno.EINVAL, "the VM is already protected (or a failed destroy left its handle)");
        }
        PvResult r = pv.initVm(name);
        if (!r.ok()) {
            throw fail(name, r, r.errno() == Errno.ENOMEM ? "no host storage to donate" : "CREATE_SEC_CONF failed");
        }
        r = r.then(pv.cpusToPv(name));
        serviceIrqMasked = true;
        if (!r.ok()) {
            pv.deinitVm(); // its rc/rrc are not reported: the failed vCPU's are
            throw fail(name, r, "a vCPU could not be made secure; the VM was made non-protected again");
        }
        return r;
    }

    private PvResult disable(String name, Boolean checkedEarly) {
        if (!(checkedEarly != null ? checkedEarly : pv.isProtected())) {
            throw new KvmException(name, Errno.EINVAL, "the VM is not protected");
        }
        PvResult r = pv.cpusFromPv();
        if (!r.ok()) {
            throw fail(name, r, "DESTROY_SEC_CPU failed; the configuration stays");
        }
        r = r.then(pv.deinitCleanupAll());
        serviceIrqMasked = false;
        if (!r.ok()) {
            throw fail(name, r, "DESTROY_SEC_CONF failed; its storage is leaked on purpose");
        }
        return r;
    }

    private PvResult setSecParms(String name, KvmPvCmd cmd) {
        requireProtected(name);
        byte[] raw = new byte[KvmS390PvSecParm.SIZE];
        kvm.mm().read(name, cmd.data(), raw, 0, raw.length);
        KvmS390PvSecParm parm = KvmS390PvSecParm.decode(raw);
        if (Long.compareUnsigned(parm.length(), MAX_SEC_PARMS_LEN) > 0) {
            throw new KvmException(name, Errno.EINVAL, "header length " + Long.toUnsignedString(parm.length())
                    + " exceeds 8 KiB");
        }
        if (parm.length() == 0) { // vmalloc(0) returns NULL
            throw new KvmException(name, Errno.ENOMEM, "header length 0: no buffer to allocate");
        }
        int len = (int) parm.length();
        long buf = kvm.allocate(name, len, HostStorage.PAGE_SIZE, HostFrameAllocator.Use.KERNEL);
        try {
            byte[] hdr = new byte[len];
            kvm.mm().read(name, parm.origin(), hdr, 0, len);
            kvm.pages.write(name, buf, hdr, 0, len);
            PvResult r = pv.setSecParms(buf, len);
            if (!r.ok()) {
                throw fail(name, r, "SET_SEC_CONF_PARAMS refused the SE header");
            }
            return r;
        } finally {
            kvm.free(buf, len, HostFrameAllocator.Use.KERNEL);
        }
    }

    private PvResult unpack(String name, KvmPvCmd cmd) {
        if (!pv.isProtected() || kvm.protectedCount.get() == 0) {
            throw new KvmException(name, Errno.EINVAL, "the VM is not protected");
        }
        byte[] raw = new byte[KvmS390PvUnp.SIZE];
        kvm.mm().read(name, cmd.data(), raw, 0, raw.length);
        KvmS390PvUnp unp = KvmS390PvUnp.decode(raw);
        if ((unp.addr() & HostStorage.PAGE_MASK) != 0 || unp.size() == 0 || (unp.size() & HostStorage.PAGE_MASK) != 0) {
            throw new KvmException(name, Errno.EINVAL, String.format(
                    "addr 0x%x and size 0x%x must be page aligned and the size non-zero", unp.addr(), unp.size()));
        }
        PvResult r = PvResult.NO_CALL;
        for (long off = 0; Long.compareUnsigned(off, unp.size()) < 0; off += HostStorage.PAGE_SIZE) {
            long gaddr = unp.addr() + off;
            r = r.then(pv.unpackPage(name, gaddr, unp.tweak(), off));
            if (!r.ok()) {
                throw fail(name, r, String.format("unpacking the page at guest 0x%x failed", gaddr));
            }
        }
        return r;
    }

    /** uv_cmd_nodata(): any failure is -EINVAL. */
    private PvResult noData(String name, UvCommand command) {
        requireProtected(name);
        PvResult r = pv.noData(command);
        if (!r.ok()) {
            throw fail(name, r, command + " failed");
        }
        return r;
    }

    /** KVM_PV_INFO works on non-protected VMs too ("user space wants to query some of the data"). */
    private PvResult info(String name, KvmPvCmd cmd) {
        byte[] raw = new byte[KvmS390PvInfo.Header.SIZE];
        kvm.mm().read(name, cmd.data(), raw, 0, raw.length);
        KvmS390PvInfo.Header h = KvmS390PvInfo.Header.decode(raw);
        long lenMax = Integer.toUnsignedLong(h.lenMax());
        if (lenMax < KvmS390PvInfo.Header.SIZE) {
            throw new KvmException(name, Errno.EINVAL, "len_max " + lenMax + " is shorter than the header");
        }
        QueryUvInfo q = kvm.uvInfo();
        byte[] body;
        switch (h.id()) {
            case KvmUapi.KVM_PV_INFO_VM -> body = new KvmS390PvInfo.Vm(q.instCalls(), q.maxGuestCpuId() + 1L,
                    q.maxNumSecConf(), q.maxGuestStorAddr(), q.featureIndications()).encode();
            case KvmUapi.KVM_PV_INFO_DUMP -> body = new KvmS390PvInfo.Dump(q.cpuStorLen(), q.confDumpStorageStateLen(),
                    q.confDumpFinalizeLen()).encode();
            default -> throw new KvmException(name, Errno.EINVAL, "unknown info id " + Integer.toUnsignedString(h.id()));
        }
        int written = KvmS390PvInfo.Header.SIZE + body.length;
        if (lenMax < written) {
            throw new KvmException(name, Errno.EINVAL, "len_max " + lenMax + " is shorter than the " + written + " bytes of the answer");
        }
        byte[] out = new byte[written];
        System.arraycopy(new KvmS390PvInfo.Header(h.id(), h.lenMax(), written).encode(), 0, out, 0, KvmS390PvInfo.Header.SIZE);
        System.arraycopy(body, 0, out, KvmS390PvInfo.Header.SIZE, body.length);
        kvm.mm().write(name, cmd.data(), out, 0, written);
        return PvResult.NO_CALL;
    }

    private PvResult dump(String name, KvmPvCmd cmd) {
        requireProtected(name);
        byte[] raw = new byte[KvmS390PvDmp.SIZE];
        kvm.mm().read(name, cmd.data(), raw, 0, raw.length);
        KvmS390PvDmp dmp = KvmS390PvDmp.decode(raw);
        QueryUvInfo q = kvm.uvInfo();
        KvmS390PvDmp result;
        PvResult r;
        if (dmp.subcmd() == KvmUapi.KVM_PV_DUMP_INIT) {
            if (pv.isDumping()) {
                throw new KvmException(name, Errno.EINVAL, "a dump is already in progress");
            }
            r = pv.dumpInit();
            if (!r.ok()) {
                throw fail(name, r, "DUMP_INIT failed");
            }
            result = dmp;
        } else if (dmp.subcmd() == KvmUapi.KVM_PV_DUMP_CONFIG_STOR_STATE) {
            Pv.DumpProgress p = dumpStorageState(name, dmp, q);
            r = p.result();
            result = dmp.withGaddr(p.gaddr());
        } else if (dmp.subcmd() == KvmUapi.KVM_PV_DUMP_COMPLETE) {
            r = dumpComplete(name, dmp, q);
            result = dmp;
        } else {
            throw new KvmException(name, Errno.ENOTTY, "unknown dump subcommand " + Long.toUnsignedString(dmp.subcmd()));
        }
        kvm.mm().write(name, cmd.data(), result.encode(), 0, KvmS390PvDmp.SIZE);
        return r;
    }

    /** The checks of kvm_s390_pv_dmp() and kvm_s390_pv_dump_stor_state(), in the kernel's order, then the dump. */
    private Pv.DumpProgress dumpStorageState(String name, KvmS390PvDmp dmp, QueryUvInfo q) {
        if (!pv.isDumping()) {
            throw new KvmException(name, Errno.EINVAL, "no dump in progress");
        }
        long per = q.confDumpStorageStateLen();
        if ((dmp.gaddr() & (Pv.MIB - 1)) != 0) {
            throw new KvmException(name, Errno.EINVAL, String.format("gaddr 0x%x is not 1 MiB aligned", dmp.gaddr()));
        }
        if (dmp.buffLen() == 0 || Long.remainderUnsigned(dmp.buffLen(), per) != 0) {
            throw new KvmException(name, Errno.EINVAL, "buff_len " + Long.toUnsignedString(dmp.buffLen())
                    + " must be a non-zero multiple of " + per);
        }
        Pv.DumpProgress p = pv.dumpStorageState(name, dmp.gaddr(), dmp.buffAddr(), dmp.buffLen(), per);
        if (!p.result().ok()) {
            throw fail(name, p.result(), String.format("DUMP_CONF_STOR_STATE at guest 0x%x failed", p.gaddr()));
        }
        return p;
    }

    private PvResult dumpComplete(String name, KvmS390PvDmp dmp, QueryUvInfo q) {
        if (!pv.isDumping()) {
            throw new KvmException(name, Errno.EINVAL, "no dump in progress");
        }
        long len = q.confDumpFinalizeLen();
        if (Long.compareUnsigned(dmp.buffLen(), len) < 0) {
            throw new KvmException(name, Errno.EINVAL, "buff_len " + Long.toUnsignedString(dmp.buffLen())
                    + " is shorter than the completion data (" + len + ")");
        }
        PvResult r = pv.dumpComplete(name, dmp.buffAddr(), len);
        if (!r.ok()) {
            throw fail(name, r, "DUMP_COMPLETE failed");
        }
        return r;
    }

    private PvResult asyncCleanupPrepare(String name) {
        if (!pv.isProtected() || !kvm.asyncDestroy()) {
            throw new KvmException(name, Errno.EINVAL, kvm.asyncDestroy() ? "the VM is not protected"
                    : "asynchronous teardown is disabled (kvm.async_destroy=0)");
        }
        PvResult r = pv.cpusFromPv();
        if (!r.ok()) {
            throw fail(name, r, "DESTROY_SEC_CPU failed; the configuration stays");
        }
        r = r.then(pv.setAsideVm(name));
        if (!r.ok()) {
            throw fail(name, r, r.errno() == Errno.EINVAL ? "a configuration is already set aside" : "DESTROY_SEC_CONF_FAST failed");
        }
        serviceIrqMasked = false;
        return r;
    }

    /**
     * ASYNC_CLEANUP_PERFORM runs without the VM lock (QEMU issues it from its own thread): the lock is taken
     * only to detach the set-aside configuration; the long work runs unlocked.
     */
    private KvmPvCmd asyncCleanupPerform(String name, KvmPvCmd cmd) {
        if (lock.isHeldByCurrentThread()) {
            throw new IllegalStateException(name + " must not run with kvm->lock held");
        }
        if (!kvm.asyncDestroy()) {
            throw new KvmException(name, Errno.EINVAL, "asynchronous teardown is disabled (kvm.async_destroy=0)");
        }
        Pv.Leftover l;
        enter(name);
        try {
            l = pv.takeSetAside();
        } finally {
            lock.unlock();
        }
        if (l == null) {
            throw new KvmException(name, Errno.EINVAL, "no configuration has been set aside");
        }
        pv.destroyRange(gmap.mappedFrames());
        PvResult r = PvResult.ok(1, Pv.RRC_ASYNC).then(pv.disposeLeftover(l));
        if (!r.ok()) {
            throw fail(name, r, "DESTROY_SEC_CONF of the set-aside configuration failed; its storage is leaked");
        }
        return cmd.withResult(r.rc(), r.rrc());
    }

    // ---- KVM_S390_MEM_OP (VM) -------------------------------------------------------------------

    /**
     * VM memory operations on guest absolute storage: refused with EINVAL on a VM with a PV handle (checked
     * under the VM lock here, not as the kernel's lock-free heuristic). Returns 0, or a positive program
     * interruption code (5, addressing) when the guest address is not backed by a memory slot.
     */
    public int memOp(KvmS390MemOp mop) {
        String name = "KVM_S390_MEM_OP";
        if ((mop.flags() & ~(long) (MEMOP_F_CHECK_ONLY | MEMOP_F_SKEY_PROTECTION)) != 0) {
            throw new KvmException(name, Errno.EINVAL, "flags 0x" + Long.toHexString(mop.flags()) + " not supported on a VM");
        }
        if (Integer.toUnsignedLong(mop.size()) > KvmVcpu.MEM_OP_MAX_SIZE) {
            throw new KvmException(name, Errno.E2BIG, "size " + Integer.toUnsignedString(mop.size()) + " exceeds 65536");
        }
        if (mop.op() != KvmUapi.KVM_S390_MEMOP_ABSOLUTE_READ && mop.op() != KvmUapi.KVM_S390_MEMOP_ABSOLUTE_WRITE) {
            throw new KvmException(name, Errno.EINVAL, "op " + mop.op() + " is not supported on a VM");
        }
        enter(name);
        try {
            if (pv.isProtected()) {
                throw new KvmException(name, Errno.EINVAL, "absolute access to a protected VM's memory");
            }
            int size = mop.size();
            for (long g = mop.gaddr() & ~HostStorage.PAGE_MASK; g < mop.gaddr() + size; g += HostStorage.PAGE_SIZE) {
                if (slots.toUser(g) < 0) {
                    return 5; // PGM_ADDRESSING
                }
            }
            if ((mop.flags() & MEMOP_F_CHECK_ONLY) != 0) {
                return 0;
            }
            byte[] b = new byte[size];
            if (mop.op() == KvmUapi.KVM_S390_MEMOP_ABSOLUTE_WRITE) {
                kvm.mm().read(name, mop.buf(), b, 0, size);
            }
            int done = 0;
            while (done < size) {
                long g = mop.gaddr() + done;
                int n = (int) Math.min(size - done, HostStorage.PAGE_SIZE - (g & HostStorage.PAGE_MASK));
                long uaddr = slots.toUser(g);
                if (mop.op() == KvmUapi.KVM_S390_MEMOP_ABSOLUTE_READ) {
                    kvm.mm().read(name, uaddr, b, done, n);
                } else {
                    kvm.mm().write(name, uaddr, b, done, n);
                }
                done += n;
            }
            if (mop.op() == KvmUapi.KVM_S390_MEMOP_ABSOLUTE_READ) {
                kvm.mm().write(name, mop.buf(), b, 0, size);
            }
            return 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The guest touched a page that is not secure yet (program interruption 0x3e from SIE): import it. For
     * the SIE work; EFAULT if no memory slot backs the page.
     */
    public void handleNonSecureAccess(long gaddr) {
        String name = "PGM 0x3e";
        enter(name);
        try {
            requireProtected(name);
            PvResult r = pv.convertToSecure(name, gaddr);
            if (!r.ok()) {
                throw fail(name, r, String.format("import of guest page 0x%x failed", gaddr));
            }
        } finally {
            lock.unlock();
        }
    }

    // ---- close ----------------------------------------------------------------------------------

    /**
     * Closing the VM fd (kvm_arch_destroy_vm): vCPUs destroyed (their secure CPUs first), then every
     * configuration and page cleaned up; storage the UV did not give back stays leaked and counted.
     */
    public void destroy() {
        String name = "KVM_DESTROY_VM";
        enter(name);
        try {
            for (KvmVcpu v : vcpus) {
                v.lock.lock();
                try {
                    pv.destroyCpu(v); // a failure is an intended memory leak, counted; the fd closes anyway
                } finally {
                    v.lock.unlock();
                }
            }
            pv.deinitCleanupAll(); // likewise
            for (KvmVcpu v : vcpus) {
                kvm.free(v.sieBlock, HostStorage.PAGE_SIZE, HostFrameAllocator.Use.KERNEL);
            }
            vcpus.clear();
            kvm.mm().removeUnmapListener(unmapListener);
            gmap.free();
            kvm.free(sca, ESCA_SIZE, HostFrameAllocator.Use.KERNEL);
            closed = true;
        } finally {
            lock.unlock();
        }
    }
}
