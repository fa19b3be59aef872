package org.pvsim.vmm;

import java.util.List;
import org.pvsim.kvm.Kvm;
import org.pvsim.kvm.KvmPvCmd;
import org.pvsim.kvm.KvmS390MemOp;
import org.pvsim.kvm.KvmUapi;
import org.pvsim.kvm.KvmUserspaceMemoryRegion;
import org.pvsim.kvm.KvmVcpu;
import org.pvsim.kvm.KvmVm;
import org.pvsim.kvm.UserMemory;

/**
 * Machine setup (QEMU's ccw_init): the VM, its RAM as one memory slot at guest address 0 backed by the
 * VMM's own memory, the vCPUs, and a scratch buffer for the structs ioctls take. Every ioctl of the VMM
 * goes through here, so that the trace sees them all.
 */
final class GuestMachine {
    final Kvm kvm;
    final KvmVm vm;
    final VmConfig config;
    final Trace trace;
    final UserMemory mm;
    /** User address of guest absolute 0. */
    final long ram;
    final List<KvmVcpu> vcpus;
    /** 1 MiB of user memory for ioctl arguments and bounce buffers (one ioctl at a time uses it: scratchLock). */
    private final long scratch;
    /** vCPU threads do memops concurrently; the scratch buffer is one. */
    private final Object scratchLock = new Object();
    static final int SCRATCH_SIZE = 1 << 20;

    private GuestMachine(Kvm kvm, VmConfig config, Trace trace) {
        this.kvm = kvm;
        this.config = config;
        this.trace = trace;
        this.mm = kvm.mm();
        this.vm = trace.ioctl("KVM_CREATE_VM", -1, kvm::createVm);
        this.ram = mm.mmap(config.memory());
        this.scratch = mm.mmap(SCRATCH_SIZE);
        trace.ioctl("KVM_SET_USER_MEMORY_REGION", -1, () -> {
            vm.setUserMemoryRegion(new KvmUserspaceMemoryRegion(0, 0, 0, config.memory(), ram));
            return null;
        });
        for (int i = 0; i < config.cpus(); i++) {
            int id = i;
            trace.ioctl("KVM_CREATE_VCPU", -1, () -> vm.createVcpu(id));
        }
        this.vcpus = vm.vcpus();
    }

    static GuestMachine create(Kvm kvm, VmConfig config, Trace trace) {
        if (config.confidential() && kvm.checkExtension(KvmUapi.KVM_CAP_S390_PROTECTED) == 0) {
            throw new VmmException("Protected Virtualization requires KVM with KVM_CAP_S390_PROTECTED "
                    + "(the host's Ultravisor is not initialised)");
        }
        return new GuestMachine(kvm, config, trace);
    }

    // ---- the VMM's own view of guest RAM (QEMU's RAM block): for loading images, never for a protected guest

    void writeRam(long gaddr, byte[] data) {
        checkRam(gaddr, data.length);
        mm.write(ram + gaddr, data);
    }

    byte[] readRam(long gaddr, int length) {
        checkRam(gaddr, length);
        return mm.read(ram + gaddr, length);
    }

    private void checkRam(long gaddr, long length) {
        if (gaddr < 0 || length < 0 || gaddr > config.memory() - length) { // no sum that could wrap
            throw new VmmException(String.format("guest range 0x%x+0x%x is outside the %d MiB of guest memory",
                    gaddr, length, config.memory() / VmConfig.MIB));
        }
    }

    // ---- ioctls ----------------------------------------------------------------------------------

    /** KVM_S390_PV_COMMAND with an argument struct (or none). Throws the kernel's KvmException. */
    KvmPvCmd pv(int cmd, byte[] arg) {
        if (arg == null) { // ASYNC_CLEANUP_PERFORM runs on a thread of its own, for long: it must not hold the scratch
            return trace.ioctl(KvmUapi.pvCommandName(cmd), -1, () -> vm.pvCommand(KvmPvCmd.of(cmd, 0)));
        }
        synchronized (scratchLock) {
            return trace.ioctl(KvmUapi.pvCommandName(cmd), -1, () -> {
                mm.write(scratch, arg);
                return vm.pvCommand(KvmPvCmd.of(cmd, scratch));
            });
        }
    }

    /** KVM_S390_MEM_OP absolute read on the VM; null if the range is not guest memory (addressing). */
    byte[] readAbsolute(long gaddr, int length) {
        synchronized (scratchLock) {
            return readAbsoluteLocked(gaddr, length);
        }
    }

    private byte[] readAbsoluteLocked(long gaddr, int length) {
        int pgm = trace.ioctl("KVM_S390_MEM_OP", -1, () -> vm.memOp(
                KvmS390MemOp.absolute(KvmUapi.KVM_S390_MEMOP_ABSOLUTE_READ, gaddr, length, scratch)));
        return pgm != 0 ? null : mm.read(scratch, length);
    }

    /** KVM_S390_MEM_OP absolute write on the VM; false if the range is not guest memory. */
    boolean writeAbsolute(long gaddr, byte[] data) {
        synchronized (scratchLock) {
            return writeAbsoluteLocked(gaddr, data);
        }
    }

    private boolean writeAbsoluteLocked(long gaddr, byte[] data) {
        mm.write(scratch, data);
        int pgm = trace.ioctl("KVM_S390_MEM_OP", -1, () -> vm.memOp(
                KvmS390MemOp.absolute(KvmUapi.KVM_S390_MEMOP_ABSOLUTE_WRITE, gaddr, data.length, scratch)));
        return pgm == 0;
    }

    /** KVM_S390_MEM_OP SIDA_READ on a protected vCPU. */
    byte[] readSida(KvmVcpu vcpu, int length) {
        synchronized (scratchLock) {
            return readSidaLocked(vcpu, length);
        }
    }

    private byte[] readSidaLocked(KvmVcpu vcpu, int length) {
        trace.ioctl("KVM_S390_MEM_OP", vcpu.id(), () -> vcpu.memOp(
                KvmS390MemOp.sida(KvmUapi.KVM_S390_MEMOP_SIDA_READ, 0, length, scratch)));
        return mm.read(scratch, length);
    }

    /** KVM_S390_MEM_OP SIDA_WRITE on a protected vCPU. */
    void writeSida(KvmVcpu vcpu, byte[] data) {
        synchronized (scratchLock) {
            writeSidaLocked(vcpu, data);
        }
    }

    private void writeSidaLocked(KvmVcpu vcpu, byte[] data) {
        mm.write(scratch, data);
        trace.ioctl("KVM_S390_MEM_OP", vcpu.id(), () -> vcpu.memOp(
                KvmS390MemOp.sida(KvmUapi.KVM_S390_MEMOP_SIDA_WRITE, 0, data.length, scratch)));
    }

    void setMpState(KvmVcpu vcpu, int state) {
        trace.ioctl("KVM_SET_MP_STATE", vcpu.id(), () -> {
            vcpu.setMpState(state);
            return null;
        });
    }

    /** A CPU reset as QEMU's s390_cpu_reset does it: the KVM reset ioctl, and the CPU stopped. */
    void cpuReset(KvmVcpu vcpu, CpuReset type) {
        trace.ioctl(type.ioctl, vcpu.id(), () -> {
            switch (type) {
                case NORMAL -> vcpu.normalReset();
                case INITIAL -> vcpu.initialReset();
                case CLEAR -> vcpu.clearReset();
            }
            return null;
        });
        setMpState(vcpu, KvmUapi.KVM_MP_STATE_STOPPED);
    }

    enum CpuReset {
        NORMAL("KVM_S390_NORMAL_RESET"), INITIAL("KVM_S390_INITIAL_RESET"), CLEAR("KVM_S390_CLEAR_RESET");

        final String ioctl;

        CpuReset(String ioctl) {
            this.ioctl = ioctl;
        }
    }

    void injectService(long parm) {
        trace.ioctl("KVM_S390_INTERRUPT", -1, () -> {
            vm.injectFloating(KvmUapi.KVM_S390_INT_SERVICE, parm);
            return null;
        });
    }

    void injectProgram(KvmVcpu vcpu, int code) {
        trace.ioctl("KVM_S390_INTERRUPT", vcpu.id(), () -> {
            vcpu.inject(KvmUapi.KVM_S390_PROGRAM_INT, code);
            return null;
        });
    }

    /** KVM_S390_INTERRUPT KVM_S390_RESTART on a vCPU (SIGP RESTART). */
    void injectRestart(KvmVcpu vcpu) {
        trace.ioctl("KVM_S390_INTERRUPT", vcpu.id(), () -> {
            vcpu.inject(KvmUapi.KVM_S390_RESTART, 0);
            return null;
        });
    }

    boolean isProtected() {
        return vm.isProtectedNow();
    }

    /** Closing the VM fd and freeing its RAM. */
    void close() {
        trace.ioctl("KVM_DESTROY_VM", -1, () -> {
            vm.destroy();
            return null;
        });
        mm.munmap(ram);
        mm.munmap(scratch);
    }
}
