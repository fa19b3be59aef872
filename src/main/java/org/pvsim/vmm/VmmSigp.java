package org.pvsim.vmm;

import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;
import org.pvsim.kvm.KvmRun;
import org.pvsim.kvm.KvmUapi;
import org.pvsim.machine.Lowcore;

import static org.pvsim.machine.SigpOrder.*;

/**
 * The SIGP orders KVM leaves to user space (QEMU's target/s390x/sigp.c; the kernel answers sense, external
 * call, emergency signals and sense running itself): start, stop, stop and store status, restart, CPU and
 * initial CPU reset, set prefix, store status at address, set architecture. One order at a time machine-wide
 * (QEMU's qemu_sigp_mutex: a second one meanwhile is "busy", CC 2); each order is carried out on the target
 * vCPU's own thread ({@link VcpuThread#runOnCpu}) between two of its KVM_RUNs.
 */
final class VmmSigp {
    static final int CC_ACCEPTED = 0;
    static final int CC_STATUS_STORED = 1;
    static final int CC_BUSY = 2;
    static final int CC_NOT_OPERATIONAL = 3;

    /** Where STOP AND STORE STATUS stores: the prefix area's save area. */
    static final long STORE_STATUS_DEFAULT = Lowcore.SAVE_FPRS;
    private static final int SAVE_AREA_SIZE = 0x200;

    private final VcpuLoop loop;
    private final ReentrantLock mutex = new ReentrantLock();

    VmmSigp(VcpuLoop loop) {
        this.loop = loop;
    }

    /** The CC of SIGP {@code order} from {@code src} to CPU address {@code target}; a status goes to src's GR r1. */
    int handle(VcpuThread src, int order, int target, long param, int r1) {
        if (!mutex.tryLock()) {
            return CC_BUSY;
        }
        try {
            if (order == SET_ARCHITECTURE) {
                return setArchitecture(src, r1);
            }
            VcpuThread dst = loop.cpu(target);
            if (dst == null) {
                return CC_NOT_OPERATIONAL;
            }
            long status = switch (order) {
                case START -> on(dst, () -> start(dst));
                case STOP -> on(dst, () -> stop(dst, false));
                case STOP_AND_STORE_STATUS -> on(dst, () -> stop(dst, true));
                case RESTART -> on(dst, () -> restart(dst));
                case INITIAL_CPU_RESET -> on(dst, () -> reset(dst, GuestMachine.CpuReset.INITIAL));
                case CPU_RESET -> on(dst, () -> reset(dst, GuestMachine.CpuReset.NORMAL));
                case SET_PREFIX -> on(dst, () -> setPrefix(dst, param));
                case STORE_STATUS_AT_ADDRESS -> on(dst, () -> storeStatusAt(dst, param));
                default -> STATUS_INVALID_ORDER; // sense & co. reach user space only when KVM has no such CPU
            };
            return status == 0 ? CC_ACCEPTED : status(src, r1, status);
        } finally {
            mutex.unlock();
        }
    }

    private interface Order {
        long run();
    }

    /** Runs an order on the target's thread; its status (0: accepted). */
    private static long on(VcpuThread dst, Order order) {
        long[] status = new long[1];
        dst.runOnCpu(() -> status[0] = order.run());
        return status[0];
    }

    private static int status(VcpuThread src, int r1, long status) {
        src.run.gprs[r1] = src.run.gprs[r1] & 0xffffffff00000000L | status;
        return CC_STATUS_STORED;
    }

    private long start(VcpuThread t) {
        if (!t.operating) {
            loop.m.setMpState(t.cpu, KvmUapi.KVM_MP_STATE_OPERATING);
            synchronized (loop.lock) {
                t.operating = true;
                t.halted = false;
            }
        }
        return 0;
    }

    /** sigp_stop / sigp_stop_and_store_status: done at once, the target being between two runs. */
    private long stop(VcpuThread t, boolean store) {
        if (t.operating) {
            loop.m.setMpState(t.cpu, KvmUapi.KVM_MP_STATE_STOPPED);
            if (store) {
                storeStatus(t, STORE_STATUS_DEFAULT, true);
            }
            loop.stopped(t);
        } else if (store) {
            storeStatus(t, STORE_STATUS_DEFAULT, true);
        }
        return 0;
    }

    /**
     * sigp_restart: the restart interruption through KVM (KVM_S390_RESTART), and a stopped CPU made
     * operating. QEMU loads a stopped normal CPU's restart new PSW itself; KVM's delivery before the next
     * SIE entry has the same effect and is the only way for a protected CPU, whose lowcore user space
     * cannot reach (the kernel injects it with the SD's interruption controls, the UV delivers it).
     */
    private long restart(VcpuThread t) {
        loop.m.injectRestart(t.cpu);
        if (!t.operating) {
            loop.m.setMpState(t.cpu, KvmUapi.KVM_MP_STATE_OPERATING);
        }
        synchronized (loop.lock) {
            t.operating = true;
            t.halted = false;
        }
        return 0;
    }

    /** sigp_(initial_)cpu_reset: the KVM reset; QEMU's reset stops the CPU. */
    private long reset(VcpuThread t, GuestMachine.CpuReset type) {
        boolean wasRunning = t.operating && !t.halted;
        loop.m.cpuReset(t.cpu, type);
        t.resetRunState(type);
        if (wasRunning) {
            loop.stopped(t);
        } else {
            synchronized (loop.lock) {
                t.operating = false;
                t.halted = false;
            }
        }
        return 0;
    }

    /** sigp_set_prefix: a stopped CPU's prefix (through KVM's sync_regs), if both pages are guest memory. */
    private long setPrefix(VcpuThread t, long param) {
        long addr = param & 0x7fffe000L;
        if (addr + Lowcore.SIZE > loop.m.config.memory()) {
            return STATUS_INVALID_PARAMETER;
        }
        if (t.operating) {
            return STATUS_INCORRECT_STATE;
        }
        t.run.prefix = addr;
        t.run.kvmDirtyRegs |= KvmRun.KVM_SYNC_PREFIX;
        return 0;
    }

    private long storeStatusAt(VcpuThread t, long param) {
        if (t.operating) {
            return STATUS_INCORRECT_STATE;
        }
        return storeStatus(t, param & 0x7ffffe00L, false) ? 0 : STATUS_INVALID_PARAMETER;
    }

    /**
     * s390_store_status: the save area (FPRs, GRs, PSW, prefix, CPU timer, clock comparator, ARs, CRs) at
     * absolute {@code addr}, and with {@code arch} the architecture-mode byte at 163. What user space
     * knows of the CPU is what KVM_RUN last gave back (pvsim's kvm_run has no FPC: it is stored as 0). A
     * protected CPU's registers are the Ultravisor's: user space has none to store.
     */
    private static final int SAVE_GRS = Lowcore.SAVE_GRS - Lowcore.SAVE_FPRS;
    private static final int SAVE_ARS = Lowcore.SAVE_ARS - Lowcore.SAVE_FPRS;
    private static final int SAVE_CRS = Lowcore.SAVE_CRS - Lowcore.SAVE_FPRS;
    private static final int SAVE_PSW = Lowcore.SAVE_PSW - Lowcore.SAVE_FPRS;
    private static final int SAVE_PREFIX = Lowcore.SAVE_PREFIX - Lowcore.SAVE_FPRS;
    private static final int SAVE_CPU_TIMER = Lowcore.SAVE_CPU_TIMER - Lowcore.SAVE_FPRS;
    private static final int SAVE_CLOCK_COMPARATOR = Lowcore.SAVE_CLOCK_COMPARATOR - Lowcore.SAVE_FPRS;

    private boolean storeStatus(VcpuThread t, long addr, boolean arch) {
        if (t.isProtected()) {
            return true;
        }
        ByteBuffer sa = ByteBuffer.allocate(SAVE_AREA_SIZE);
        for (int i = 0; i < 16; i++) {
            sa.putLong(8 * i, t.run.fprs[i]);
            sa.putLong(SAVE_GRS + 8 * i, t.run.gprs[i]);
            sa.putInt(SAVE_ARS + 4 * i, t.run.acrs[i]);
            sa.putLong(SAVE_CRS + 8 * i, t.run.crs[i]);
        }
        sa.putLong(SAVE_PSW, t.run.pswMask);
        sa.putLong(SAVE_PSW + 8, t.run.pswAddr);
        sa.putInt(SAVE_PREFIX, (int) t.run.prefix);
        sa.putLong(SAVE_CPU_TIMER, t.run.cputm);
        sa.putLong(SAVE_CLOCK_COMPARATOR, t.run.ckc >>> 8); // bits 0-55
        if (!loop.m.writeAbsolute(addr, sa.array())) {
            return false;
        }
        return !arch || loop.m.writeAbsolute(Lowcore.ARCH_MODE_ID, new byte[] {1});
    }

    /** sigp_set_architecture: z/Architecture only (CZAM): refused, with why. */
    private int setArchitecture(VcpuThread src, int r1) {
        boolean othersStopped;
        synchronized (loop.lock) {
            othersStopped = loop.cpus().stream().filter(t -> t != src).noneMatch(t -> t.operating);
        }
        return status(src, r1, othersStopped ? STATUS_INVALID_PARAMETER : STATUS_INCORRECT_STATE);
    }
}
