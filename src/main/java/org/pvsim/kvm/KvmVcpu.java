package org.pvsim.kvm;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
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
    private boolean stopped = true;
    private final Map<Long, byte[]> oneRegs = new HashMap<>();

    KvmVcpu(KvmVm vm, int id, long sieBlock) {
        this.vm = vm;
        this.id = id;
        this.sieBlock = sieBlock;
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

    /** KVM_RUN needs SIE, which is not built yet: an explicit error, not a pretend run. */
    public void run() {
        throw new KvmException("KVM_RUN", Errno.ENOSYS, "running a vCPU needs the SIE instruction, which is not implemented yet in pvsim");
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
        long sida = sidad & ~HostStorage.PAGE_MASK;
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
