package org.pvsim.kvm;

import static org.pvsim.machine.SieBlock.*;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.pvsim.machine.ProgramInterruption;
import org.pvsim.machine.SieInstruction;
import org.pvsim.machine.storage.HostStorage;
import org.pvsim.machine.uv.cb.CpuSetState;
import org.pvsim.machine.uv.cb.DumpCpu;
import org.pvsim.machine.uv.cb.NoData;
import org.pvsim.machine.uv.cb.UvCaller;
import org.pvsim.machine.uv.cb.UvCommand;

/**
 * A vCPU file descriptor (the vCPU half of arch/s390/kvm/kvm-s390.c). Its state is guarded by its own
 * lock (vcpu->mutex); the PV handle changes only with that lock held and, for ENABLE/DISABLE, the VM lock
 * too. A protected vCPU's SIE block is a format-4 state description whose SIDA the host may read and write.
 */
public final class KvmVcpu {
    /** PV CPU states for CPU_SET_STATE (reference §2.6). */
    static final int PV_CPU_STATE_OPR = 1;
    static final int PV_CPU_STATE_STP = 2;
    static final int PV_CPU_STATE_OPR_LOAD = 5;
    /** gbea's reset value, which sidad overlays when the CPU is not protected. */
    static final long GBEA_RESET = 1;
    /** KVM_S390_MEM_OP: largest transfer (MEM_OP_MAX_SIZE). */
    static final int MEM_OP_MAX_SIZE = 65536;

    final KvmVm vm;
    final int id;
    final ReentrantLock lock = new ReentrantLock();
    /** Host address of the SIE control block (the state description the UV is given at CREATE_SEC_CPU). */
    final long sieBlock;
    // ---- vcpu->arch.pv, guarded by lock
    long pvHandle;
    long pvStorBase;
    /** SIDA designation, or gbea's value when not protected: low byte = SIDA size in pages - 1. */
    long sidad = GBEA_RESET;
    private volatile boolean stopped = true;
    /** A kick is pending: the next look at the run loop ends KVM_RUN with EINTR. */
    private volatile boolean kicked;
    /** The thread of this vCPU's KVM_RUN while it sleeps in an enabled wait, else null. */
    private volatile Thread sleeper;
    /** The SIE control block (vcpu->arch.sie_block). */
    final SieControlBlock sd;
    final Interrupts interrupts = new Interrupts();
    /** The guest's FPRs, which SIE exchanges with the host's (vcpu->arch.guest_fpregs). */
    private final long[] fprs = new long[16];
    private final Map<Long, byte[]> oneRegs = new HashMap<>();

    KvmVcpu(KvmVm vm, int id, long sieBlock) {
        this.vm = vm;
        this.id = id;
        this.sieBlock = sieBlock;
        this.sd = new SieControlBlock(vm.kvm.storage, sieBlock);
        setupSieBlock();
    }

    /**
     * kvm_arch_vcpu_create/setup: a zeroed block, z/Architecture mode, stopped, storage-key instructions
     * intercepted until first used, and the CRs' initial-reset values.
     */
    /** Only read: the storage copies it (a fresh array per vCPU was most of a lifecycle's garbage). */
    private static final byte[] ZERO_PAGE = new byte[HostStorage.PAGE_SIZE];

    private void setupSieBlock() {
        vm.kvm.storage.write(sieBlock, ZERO_PAGE, 0, HostStorage.PAGE_SIZE);
        sd.put32(CPUFLAGS, CPUSTAT_ZARCH | CPUSTAT_STOPPED);
        sd.put32(ICTL, ICTL_ISKE | ICTL_SSKE | ICTL_RRBE);
        sd.put64(GCR, 0xe0L);
        sd.put64(GCR + 14 * 8, 0xc2000000L);
        sd.put64(SIDAD, GBEA_RESET);
    }

    /** The SIE block becomes format 4 (kvm_s390_pv_create_cpu) or format 2 again (destroy). Context: vcpu->mutex. */
    void sieBlockSecure(long cpuHandle, long configHandle, long sidaDesignation) {
        sd.put64(PV_HANDLE_CPU, cpuHandle);
        sd.put64(PV_HANDLE_CONFIG, configHandle);
        sd.put8(SDF, cpuHandle != 0 ? SDF_FORMAT4 : 0);
        sd.put64(SIDAD, sidaDesignation);
    }

    public int id() {
        return id;
    }

    /** kvm_s390_pv_cpu_is_protected(): only meaningful, and only allowed, with the vCPU lock held. */
    boolean isProtected() {
        if (!lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("vCPU " + id + ": protection checked without holding vcpu->mutex");
        }
        return pvHandle != 0;
    }

    /** Whether the vCPU is protected right now (takes the vCPU lock; for tests and tools). */
    public boolean isProtectedNow() {
        lock.lock();
        try {
            return isProtected();
        } finally {
            lock.unlock();
        }
    }

    private void enter(String command) {
        lock.lock();
        if (vm.isClosed()) {
            lock.unlock();
            throw new KvmException(command, Errno.EBADF, "the VM of vCPU " + id + " has been destroyed");
        }
    }

    // ---- KVM_RUN ----------------------------------------------------------------------------

    /** Guest instructions per SIE entry before the run loop looks at signals and kicks again. */
    static final long SIE_BUDGET = 1_000_000;

    /**
     * KVM_RUN (kvm_arch_vcpu_ioctl_run, __vcpu_run): syncs the registers from {@code run}, then enters SIE
     * until an interception needs user space, and stores the registers back. The PV save area carries a
     * protected vCPU's GRs both ways; from user space only the condition code of its PSW is taken.
     * Errors: ENOSYS on a host without SIE, EINVAL for a stopped vCPU under user CPU state control or a
     * validity interception, EINTR (exit reason KVM_EXIT_INTR) for an immediate exit or a kick, EFAULT when
     * a guest page cannot be made available.
     */
    public void run(KvmRun run) {
        String name = "KVM_RUN";
        SieInstruction sieInsn = vm.kvm.sie;
        if (sieInsn == null) {
            throw new KvmException(name, Errno.ENOSYS, "this host was booted without the machine's SIE instruction");
        }
        enter(name);
        try {
            if (vm.userCpuStateControl && stopped) {
                throw new KvmException(name, Errno.EINVAL, "can't run stopped vcpu " + id);
            }
            boolean secure = isProtected();
            syncRegs(run, secure);
            run.exitReason = KvmRun.KVM_EXIT_UNKNOWN;
            try {
                while (true) {
                    if (run.immediateExit || kicked) {
                        kicked = false;
                        run.exitReason = KvmRun.KVM_EXIT_INTR;
                        throw new KvmException(name, Errno.EINTR, "vCPU " + id + " was asked to leave KVM_RUN");
                    }
                    interrupts.deliver(this, sd, secure);
                    if (secure) {
                        sd.setPvGrregs(run.gprs);
                    }
                    try {
                        sieInsn.execute(sd.origin, vm.gmap.asce(), run.gprs, fprs, run.acrs, SIE_BUDGET);
                    } catch (ProgramInterruption fault) {
                        hostFault(name, fault, secure);
                        continue;
                    } finally {
                        if (secure) {
                            System.arraycopy(sd.pvGrregs(), 0, run.gprs, 0, 16);
                        }
                    }
                    if (Intercept.handle(this, sd, run, secure) == Intercept.Next.TO_USER) {
                        if (run.exitReason == KvmRun.KVM_EXIT_UNKNOWN) {
                            run.exitReason = KvmRun.KVM_EXIT_S390_SIEIC;
                            run.icptcode = sd.u8(ICPTCODE);
                            run.ipa = sd.u16(IPA);
                            run.ipb = sd.u32(IPB);
                        }
                        return;
                    }
                }
            } finally {
                storeRegs(run, secure);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * sync_regs(): the prefix if user space marked it dirty (for either kind of vCPU, as the kernel's
     * kvm_s390_set_prefix), the PSW (a protected vCPU's condition code only) and, for a normal one, GRs 14-15.
     */
    private void syncRegs(KvmRun run, boolean secure) {
        if ((run.kvmDirtyRegs & KvmRun.KVM_SYNC_PREFIX) != 0) {
            sd.setPrefix(run.prefix);
        }
        if (secure) {
            sd.put64(GPSW, sd.u64(GPSW) & ~(3L << 44) | run.pswMask & 3L << 44);
        } else {
            sd.put64(GPSW, run.pswMask);
            sd.put64(GPSW + 8, run.pswAddr);
            sd.put64(GG14, run.gprs[14]);
            sd.put64(GG15, run.gprs[15]);
        }
    }

    /** store_regs(): what user space may see of the vCPU after KVM_RUN. */
    private void storeRegs(KvmRun run, boolean secure) {
        run.pswMask = sd.u64(GPSW);
        run.pswAddr = sd.u64(GPSW + 8);
        run.prefix = sd.prefix();
        if (!secure) {
            run.gprs[14] = sd.u64(GG14);
            run.gprs[15] = sd.u64(GG15);
            for (int i = 0; i < 16; i++) {
                run.crs[i] = sd.u64(GCR + 8 * i);
            }
            run.cputm = sd.u64(CPUTM);
            run.ckc = sd.u64(CKC);
            System.arraycopy(fprs, 0, run.fprs, 0, 16);
        } else { // the UV's: nothing of them reaches user space
            run.cputm = 0;
            run.ckc = 0;
            java.util.Arrays.fill(run.fprs, 0L);
        }
    }

    /**
     * SIE ended with a fault in the host (vcpu_post_run_handle_fault): a guest page not yet mapped is
     * faulted in (a normal guest touching storage no slot backs gets an addressing exception); 0x3e
     * imports the page for a protected guest; 0x3d/0x3f on a page left secure by an earlier guest destroy
     * it (gmap_destroy_page).
     */
    private void hostFault(String name, ProgramInterruption fault, boolean secure) {
        long gaddr = fault.address();
        switch (fault.code()) {
            case ProgramInterruption.NON_SECURE_STORAGE_ACCESS -> {
                if (!secure) {
                    throw new KvmException(name, Errno.EFAULT, String.format("0x3e at 0x%x in a normal guest", gaddr));
                }
                PvResult r = vm.pv.importForVcpu(name, this, gaddr);
                if (!r.ok() && r.errno() != Errno.EAGAIN) {
                    throw new KvmException(name, r.errno(), r.rc(), r.rrc(), String.format("import of guest page 0x%x failed", gaddr));
                }
            }
            case ProgramInterruption.SECURE_STORAGE_ACCESS, 0x3f -> {
                long host = vm.gmap.translate(gaddr); // the frame's host address (what the PTE holds)
                if (host < 0 || !vm.kvm.pages.destroy(host)) {
                    throw new KvmException(name, Errno.EFAULT, String.format("secure page at guest 0x%x cannot be destroyed", gaddr));
                }
            }
            default -> {
                if (vm.gmapFault(name, gaddr) < 0) {
                    if (secure) {
                        throw new KvmException(name, Errno.EFAULT, String.format("no memory slot backs guest 0x%x", gaddr));
                    }
                    injectProgram(ProgramInterruption.ADDRESSING, 0); // nullified: the PSW is at the instruction
                }
            }
        }
    }

    /**
     * ICPT_WAIT (kvm_s390_handle_wait): a disabled wait goes to user space (it decides between shutdown and
     * panic); an enabled wait resumes at once when something is pending, else sleeps until the guest's next
     * timer is due or until {@link #wakeUp} (kvm_s390_vcpu_wakeup), and SIE delivers what came. The CPU timer
     * runs on in the wait state, so the sleep is taken off it. Context: vcpu->mutex held.
     */
    Intercept.Next handleWait(SieControlBlock block, boolean secure) {
        if (!Interrupts.enabled(block.u64(GPSW))) {
            return Intercept.Next.TO_USER;
        }
        sleeper = Thread.currentThread(); // before the check: a wake-up after it then finds the sleeper
        try {
            if (!interrupts.pending(vm) && !kicked) {
                long start = vm.kvm.tod.getAsLong();
                long nanos = EnabledWait.sleepNanos(block, secure, start);
                if (nanos == EnabledWait.UNTIL_WOKEN) {
                    LockSupport.park(this);
                } else if (nanos > 0) {
                    LockSupport.parkNanos(this, nanos);
                }
                block.put64(CPUTM, block.u64(CPUTM) - (vm.kvm.tod.getAsLong() - start));
            }
        } finally {
            sleeper = null;
        }
        return Intercept.Next.REENTER;
    }

    /** kvm_s390_vcpu_wakeup(): ends the sleep of an enabled wait early; callable from any thread. */
    void wakeUp() {
        Thread t = sleeper;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** kvm_s390_inject_program_int(): delivered before the next SIE entry. Context: vcpu->mutex held. */
    void injectProgram(int code, int ilc) {
        interrupts.programCode = code;
        interrupts.programIlc = ilc;
    }

    /** ICPT_PV_PREF: both prefix pages imported (handle_pv_prefix). Context: vcpu->mutex held. */
    void importPrefixPages(long prefix) {
        for (long p = prefix; p < prefix + 2 * HostStorage.PAGE_SIZE; p += HostStorage.PAGE_SIZE) {
            PvResult r = vm.pv.importForVcpu("ICPT_PV_PREF", this, p);
            if (!r.ok() && r.errno() != Errno.EAGAIN) {
                throw new KvmException("KVM_RUN", r.errno(), r.rc(), r.rrc(), String.format("prefix page 0x%x cannot be imported", p));
            }
        }
    }

    /** The first word of the SIDA (the new prefix of a PV SPX notification). */
    long sidaWord() {
        byte[] b = new byte[4];
        vm.kvm.pages.read("handle_pv_spx", sidaOrigin(), b, 0, 4);
        return java.nio.ByteBuffer.wrap(b).getInt() & 0xffffffffL;
    }

    /** Writes the SIDA's first page (the STSI answer of a protected vCPU: the UV copies it to the guest). */
    void writeSida(String name, byte[] page) {
        vm.kvm.pages.write(name, sidaOrigin(), page, 0, page.length);
    }

    /** handle_pv_uvc(): the guest unshares a page the host pinned: UNPIN_PAGE_SHARED, import-like. */
    void unpinShared() {
        byte[] uvcb = new byte[0x30];
        vm.kvm.pages.read("handle_pv_uvc", sidaOrigin(), uvcb, 0, uvcb.length);
        long gaddr = java.nio.ByteBuffer.wrap(uvcb).getLong(0x20);
        vm.pv.unpinForVcpu("handle_pv_uvc", this, gaddr); // EINVAL ignored: the guest exits again and we retry
    }

    /** A diag 308 reset: the kernel stops the vCPU before user space resets it. Context: vcpu->mutex held. */
    void stopByKernel() {
        stopped = true;
    }

    /** Whether the vCPU is stopped, read without its lock (SIGP SENSE from another vCPU, as the kernel does). */
    boolean isStoppedRacy() {
        return stopped;
    }

    /** SIGP emergency signal / external call from {@code from}: pending here, and the vCPU kicked. */
    void postEmergency(int from) {
        interrupts.postEmergency(from);
        exitSie();
        wakeUp();
    }

    /** exit_sie(): the guest leaves SIE soon (a stop-intervention request) and KVM delivers what is pending. */
    private void exitSie() {
        sd.orFlags(CPUSTAT_STOP_INT);
    }

    /** SIGP external call from {@code from}; false if one is pending already. */
    synchronized boolean postExternalCall(int from) {
        if (interrupts.externalCallFrom >= 0) {
            return false;
        }
        interrupts.externalCallFrom = from;
        exitSie();
        wakeUp();
        return true;
    }

    /**
     * kvm_s390_vcpu_kick() / exit_sie(): makes a running KVM_RUN return (EINTR) soon; callable from any
     * thread without the vCPU lock. The stop-intervention request in the SIE block ends the guest's slice.
     */
    public void kick() {
        kicked = true;
        exitSie();
        wakeUp();
    }

    /** KVM_S390_INTERRUPT on the vCPU: a program interruption, restart or emergency signal. */
    public void inject(int type, int parm) {
        switch (type) {
            case KvmUapi.KVM_S390_PROGRAM_INT -> {
                enter("KVM_S390_INTERRUPT");
                try {
                    if (isProtected() && parm != 0x06 && parm != 0x15) {
                        throw new KvmException("KVM_S390_INTERRUPT", Errno.EINVAL,
                                String.format("program interruption 0x%02x cannot be injected into a protected vCPU", parm));
                    }
                    injectProgram(parm, 4);
                } finally {
                    lock.unlock();
                }
            }
            case KvmUapi.KVM_S390_RESTART -> {
                interrupts.restart = true;
                wakeUp();
            }
            case KvmUapi.KVM_S390_INT_EMERGENCY -> {
                interrupts.postEmergency(parm);
                wakeUp();
            }
            default -> throw new KvmException("KVM_S390_INTERRUPT", Errno.EINVAL,
                    "interrupt type 0x" + Integer.toHexString(type) + " is not a vCPU interrupt");
        }
    }

    // ---- KVM_S390_PV_CPU_COMMAND ------------------------------------------------------------

    /** KVM_S390_PV_CPU_COMMAND: only KVM_PV_DUMP / KVM_PV_DUMP_CPU exists. rc/rrc are always reported. */
    public KvmPvCmd pvCpuCommand(KvmPvCmd cmd) {
        String name = "KVM_S390_PV_CPU_COMMAND";
        if (!vm.kvm.protVirtHost() || cmd.flags() != 0 || cmd.cmd() != KvmUapi.KVM_PV_DUMP) {
            throw new KvmException(name, Errno.EINVAL, "only KVM_PV_DUMP with flags 0 is a vCPU PV command (cmd "
                    + cmd.cmd() + ", flags " + cmd.flags() + ")");
        }
        enter(name);
        try {
            if (!vm.pv.isDumping()) {
                throw new KvmException(name, Errno.EINVAL, "the VM is not being dumped (KVM_PV_DUMP_INIT first)");
            }
            UserMemory mm = vm.kvm.mm();
            byte[] raw = new byte[KvmS390PvDmp.SIZE];
            mm.read(name, cmd.data(), raw, 0, raw.length);
            KvmS390PvDmp dmp = KvmS390PvDmp.decode(raw);
            if (dmp.subcmd() != KvmUapi.KVM_PV_DUMP_CPU) {
                throw new KvmException(name, Errno.EINVAL, "subcommand " + dmp.subcmd() + " is not KVM_PV_DUMP_CPU");
            }
            long len = vm.kvm.uvInfo().cpuStorLen();
            if (dmp.buffLen() != len) {
                throw new KvmException(name, Errno.EINVAL, "buff_len " + dmp.buffLen() + " must be the CPU dump length " + len);
            }
            long buf = vm.kvm.allocate(name, len, HostStorage.PAGE_SIZE, HostFrameAllocator.Use.KERNEL);
            try {
                UvCaller.Answer<DumpCpu> a = vm.kvm.uv.call(DumpCpu.of(pvHandle, buf));
                if (a.cc() != 0) {
                    throw new KvmException(name, Errno.EINVAL, a.rc(), a.rrc(), "DUMP_CPU of vCPU " + id + " failed");
                }
                byte[] out = new byte[(int) len];
                vm.kvm.pages.read(name, buf, out, 0, out.length);
                mm.write(name, dmp.buffAddr(), out, 0, out.length);
                return cmd.withResult(a.rc(), a.rrc());
            } finally {
                vm.kvm.free(buf, len, HostFrameAllocator.Use.KERNEL);
            }
        } finally {
            lock.unlock();
        }
    }

    // ---- KVM_S390_MEM_OP (vCPU) ---------------------------------------------------------------

    /** vCPU memory operations: SIDA read/write for protected vCPUs; logical accesses refused on them. */
    public int memOp(KvmS390MemOp mop) {
        String name = "KVM_S390_MEM_OP";
        enter(name);
        try {
            switch (mop.op()) {
                case KvmUapi.KVM_S390_MEMOP_SIDA_READ, KvmUapi.KVM_S390_MEMOP_SIDA_WRITE -> {
                    sidaOp(name, mop);
                    return 0;
                }
                case KvmUapi.KVM_S390_MEMOP_LOGICAL_READ, KvmUapi.KVM_S390_MEMOP_LOGICAL_WRITE -> {
                    if (isProtected()) {
                        throw new KvmException(name, Errno.EINVAL, "logical access to a protected vCPU's memory");
                    }
                    throw new KvmException(name, Errno.EOPNOTSUPP,
                            "logical accesses need the guest's DAT, which comes with the CPU model (not implemented yet)");
                }
                default -> throw new KvmException(name, Errno.EINVAL, "op " + mop.op() + " is not a vCPU memory operation");
            }
        } finally {
            lock.unlock();
        }
    }

    /** The SIDA's host address: the designation without its size field. */
    private long sidaOrigin() {
        return sidad & ~HostStorage.PAGE_MASK;
    }

    private long sidaSize() {
        return ((sidad & 0xff) + 1) * HostStorage.PAGE_SIZE;
    }

    /** kvm_s390_vcpu_sida_op(): the checks in the kernel's order; "locked against sida going away by the vcpu->mutex". */
    private void sidaOp(String name, KvmS390MemOp mop) {
        long size = Integer.toUnsignedLong(mop.size());
        long off = Integer.toUnsignedLong(mop.sidaOffset());
        if (mop.flags() != 0 || size == 0) {
            throw new KvmException(name, Errno.EINVAL, "SIDA op needs flags 0 and a non-zero size");
        }
        if (((size + off) & 0xffffffffL) < size) {
            throw new KvmException(name, Errno.EINVAL, "SIDA offset + size overflows");
        }
        if (size + off > sidaSize()) {
            throw new KvmException(name, Errno.E2BIG, "SIDA offset " + off + " + size " + size
                    + " exceeds the SIDA size " + sidaSize());
        }
        if (!isProtected()) {
            throw new KvmException(name, Errno.EINVAL, "vCPU " + id + " is not protected: it has no SIDA");
        }
        long sida = sidaOrigin();
        byte[] b = new byte[(int) size];
        if (mop.op() == KvmUapi.KVM_S390_MEMOP_SIDA_READ) {
            vm.kvm.pages.read(name, sida + off, b, 0, b.length);
            vm.kvm.mm().write(name, mop.buf(), b, 0, b.length);
        } else {
            vm.kvm.mm().read(name, mop.buf(), b, 0, b.length);
            vm.kvm.pages.write(name, sida + off, b, 0, b.length);
        }
    }

    // ---- KVM_SET_MP_STATE ----------------------------------------------------------------------

    /** KVM_SET_MP_STATE: STOPPED and OPERATING report the change to the UV; LOAD only for protected vCPUs. */
    public void setMpState(int mpState) {
        String name = "KVM_SET_MP_STATE";
        enter(name);
        try {
            vm.userCpuStateControl = true;
            switch (mpState) {
                case KvmUapi.KVM_MP_STATE_STOPPED -> {
                    if (!stopped) {
                        setPvCpuState(name, PV_CPU_STATE_STP);
                        stopped = true;
                    }
                }
                case KvmUapi.KVM_MP_STATE_OPERATING -> {
                    if (stopped) {
                        setPvCpuState(name, PV_CPU_STATE_OPR);
                        stopped = false;
                    }
                }
                case KvmUapi.KVM_MP_STATE_LOAD -> {
                    if (!isProtected()) {
                        throw new KvmException(name, Errno.ENXIO, "LOAD is only defined for a protected vCPU");
                    }
                    setPvCpuState(name, PV_CPU_STATE_OPR_LOAD);
                }
                default -> throw new KvmException(name, Errno.ENXIO, "MP state " + mpState + " is not supported");
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether the vCPU is stopped (KVM_GET_MP_STATE would say STOPPED). */
    public boolean isStopped() {
        lock.lock();
        try {
            return stopped;
        } finally {
            lock.unlock();
        }
    }

    private void setPvCpuState(String name, int state) {
        if (!isProtected()) {
            return;
        }
        UvCaller.Answer<CpuSetState> a = vm.kvm.uv.call(CpuSetState.of(pvHandle, state));
        if (a.cc() != 0) {
            throw new KvmException(name, Errno.EINVAL, a.rc(), a.rrc(), "CPU_SET_STATE " + state + " of vCPU " + id + " failed");
        }
    }

    // ---- resets ----------------------------------------------------------------------------------

    public void normalReset() {
        reset("KVM_S390_NORMAL_RESET", UvCommand.CPU_RESET);
    }

    public void initialReset() {
        reset("KVM_S390_INITIAL_RESET", UvCommand.CPU_RESET_INITIAL);
    }

    public void clearReset() {
        reset("KVM_S390_CLEAR_RESET", UvCommand.CPU_RESET_CLEAR);
    }

    /** The KVM reset, then for a protected vCPU the matching UV CPU reset (-EINVAL if it fails). */
    private void reset(String name, UvCommand uvReset) {
        enter(name);
        try {
            if (uvReset != UvCommand.CPU_RESET) {
                stopped = true; // initial and clear reset stop the CPU
                if (uvReset == UvCommand.CPU_RESET_CLEAR) {
                    oneRegs.clear();
                }
            }
            if (isProtected()) {
                UvCaller.Answer<NoData> a = vm.kvm.uv.call(NoData.of(uvReset, pvHandle));
                if (a.cc() != 0) {
                    throw new KvmException(name, Errno.EINVAL, a.rc(), a.rrc(), uvReset + " of vCPU " + id + " failed");
                }
            }
        } finally {
            lock.unlock();
        }
    }

    // ---- ONE_REG -----------------------------------------------------------------------------------

    /** KVM_SET_ONE_REG: refused for protected vCPUs (their registers belong to the UV). */
    public void setOneReg(KvmOneReg reg) {
        String name = "KVM_SET_ONE_REG";
        enter(name);
        try {
            if (isProtected()) {
                throw new KvmException(name, Errno.EINVAL, "vCPU " + id + " is protected: its registers are not accessible");
            }
            int size = regSize(name, reg.id());
            byte[] v = new byte[size];
            vm.kvm.mm().read(name, reg.addr(), v, 0, size);
            oneRegs.put(reg.id(), v);
        } finally {
            lock.unlock();
        }
    }

    /** KVM_GET_ONE_REG: refused for protected vCPUs; unset registers read as zero. */
    public void getOneReg(KvmOneReg reg) {
        String name = "KVM_GET_ONE_REG";
        enter(name);
        try {
            if (isProtected()) {
                throw new KvmException(name, Errno.EINVAL, "vCPU " + id + " is protected: its registers are not accessible");
            }
            int size = regSize(name, reg.id());
            byte[] v = oneRegs.getOrDefault(reg.id(), new byte[size]);
            vm.kvm.mm().write(name, reg.addr(), v, 0, size);
        } finally {
            lock.unlock();
        }
    }

    /** KVM_REG_SIZE: bits 52..55 of the id give log2 of the size in bytes; s390 registers are 4..16 bytes. */
    private static int regSize(String name, long id) {
        int shift = (int) ((id >>> 52) & 0xf);
        if (shift < 2 || shift > 4) {
            throw new KvmException(name, Errno.EINVAL, String.format("register id 0x%x has no valid size", id));
        }
        return 1 << shift;
    }
}
