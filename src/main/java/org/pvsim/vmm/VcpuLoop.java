package org.pvsim.vmm;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.pvsim.kvm.KvmUapi;
import org.pvsim.kvm.KvmVcpu;

/**
 * The run of the whole guest (QEMU's main loop with one thread per vCPU, kvm_vcpu_thread_fn): every vCPU
 * runs KVM_RUN in a {@link VcpuThread} of its own; what concerns the machine as a whole (a re-IPL, the
 * protected boot, a reset that keeps the guest protected) is done here, on the caller's thread, with
 * every vCPU thread paused first, as QEMU pauses all vCPUs for qemu_system_reset. The run ends when the
 * last running CPU stops or enters a disabled wait, or when a vCPU crashes the guest.
 *
 * <p>All state the threads share (their CPU states, work queues, pause flags, the requests) is guarded by
 * {@link #lock}: few events, one monitor, easy to reason about.
 */
final class VcpuLoop {
    private static final long PSW_WAIT = 1L << 49;

    final GuestMachine m;
    final Ipl ipl;
    final SclpConsole sclp;
    final Diag308 diag308;
    final PvTransition pv;
    final Reboot reboot;
    final VmmSigp sigp;
    final Object lock = new Object();
    private final List<VcpuThread> cpus = new ArrayList<>();
    private final ArrayDeque<Runnable> requests = new ArrayDeque<>();
    private final AtomicLong exits = new AtomicLong();
    /** Set once: how the run ended (guarded by lock). */
    private Outcome end;
    private RuntimeException failure;
    /** The run is over: threads leave their loops (guarded by lock). */
    boolean quitting;
    /** The last protected boot's failure, reported if the guest then does not come up. */
    volatile String bootFailure;

    VcpuLoop(GuestMachine m, Ipl ipl, SclpConsole sclp) {
        this.m = m;
        this.ipl = ipl;
        this.sclp = sclp;
        this.diag308 = new Diag308(m);
        this.pv = new PvTransition(m);
        this.reboot = new Reboot(m, pv);
        this.sigp = new VmmSigp(this);
        for (KvmVcpu v : m.vcpus) {
            cpus.add(new VcpuThread(this, v));
        }
    }

    int reboots() {
        return reboot.count();
    }

    PvTransition pv() {
        return pv;
    }

    /** The vCPU thread with CPU address {@code address}, or null (SIGP: not operational). */
    VcpuThread cpu(int address) {
        for (VcpuThread t : cpus) {
            if (t.cpu.id() == address) {
                return t;
            }
        }
        return null;
    }

    List<VcpuThread> cpus() {
        return cpus;
    }

    /** A normal IPL: the image in memory, the PSW loaded, the IPL CPU operating, the others stopped. */
    private void ipl() {
        Ipl.Psw psw = ipl.load(m);
        VcpuThread ipl0 = cpus.get(0);
        ipl0.run.pswMask = psw.mask();
        ipl0.run.pswAddr = psw.address();
        Arrays.fill(ipl0.run.gprs, 0);
        m.setMpState(ipl0.cpu, KvmUapi.KVM_MP_STATE_OPERATING);
        syncStates();
    }

    /** Runs the guest until it ends. */
    Outcome run() {
        ipl();
        for (VcpuThread t : cpus) {
            t.start();
        }
        try {
            while (true) {
                Runnable action;
                synchronized (lock) {
                    while (requests.isEmpty() && end == null && failure == null) {
                        await();
                    }
                    if (failure != null) {
                        throw failure;
                    }
                    if (end != null) {
                        return end;
                    }
                    action = requests.poll();
                }
                pauseAll();
                try {
                    action.run();
                } finally {
                    resumeAll();
                }
            }
        } finally {
            stopThreads();
        }
    }

    // ---- what vCPU threads ask of the loop -----------------------------------------------------------

    /** The run ends with {@code outcome} (the first one reported wins). */
    void end(Outcome outcome) {
        synchronized (lock) {
            if (end == null) {
                end = outcome;
            }
            lock.notifyAll();
        }
    }

    /** A vCPU thread failed (an ioctl the VMM cannot recover from): the run ends with it. */
    void fail(RuntimeException e) {
        synchronized (lock) {
            if (failure == null && end == null) {
                failure = e;
            }
            lock.notifyAll();
        }
    }

    /** Counts one exit to user space; false once the budget is used up (the run then ends as a crash). */
    boolean countExit() {
        if (exits.incrementAndGet() <= m.config.maxExits()) {
            return true;
        }
        end(new Outcome.Crashed("still running after " + m.config.maxExits() + " exits to user space", bootFailure));
        return false;
    }

    /**
     * {@code initiator} asks for a machine-wide action (a reset, the protected boot): it pauses itself at
     * once (it must not run on past the instruction that asked), the loop pauses the others and runs it.
     */
    void request(VcpuThread initiator, Runnable action) {
        request(initiator, action, false);
    }

    /** A reboot the guest asked for: as {@link #request}, unless the reboot limit says shut down instead. */
    void rebootRequest(VcpuThread initiator, Runnable action) {
        request(initiator, action, true);
    }

    private void request(VcpuThread initiator, Runnable action, boolean isReboot) {
        int limit = m.config.maxReboots();
        if (isReboot && limit >= 0 && reboot.count() >= limit) {
            synchronized (lock) {
                initiator.pauseRequested = true;
            }
            end(new Outcome.Shutdown(limit == 0 ? "the guest asked for a reboot: shut down instead (-no-reboot)"
                    : "reboot asked for after " + limit + " reboots (the limit): shut down instead", sclp.exitStatus()));
            return;
        }
        synchronized (lock) {
            initiator.pauseRequested = true;
            requests.add(action);
            lock.notifyAll();
        }
    }

    /** Running CPUs: operating and not in a disabled wait (QEMU's s390_count_running_cpus). Context: lock. */
    int runningCpus() {
        int n = 0;
        for (VcpuThread t : cpus) {
            if (t.operating && !t.halted) {
                n++;
            }
        }
        return n;
    }

    /**
     * s390_handle_wait: a disabled wait halts the CPU; when it was the last running one the run ends, cleanly
     * if the wait PSW's address ends in 0xfff, as a crash otherwise.
     */
    void disabledWait(VcpuThread t) {
        synchronized (lock) {
            t.halted = true;
            if (runningCpus() > 0) {
                return;
            }
        }
        String psw = String.format("PSW %016x %016x", t.run.pswMask, t.run.pswAddr);
        if ((t.run.pswMask & PSW_WAIT) != 0 && (t.run.pswAddr & 0xfff) == 0xfff) {
            end(new Outcome.Shutdown("disabled wait, " + psw, sclp.exitStatus()));
        } else {
            end(new Outcome.Crashed("disabled wait, " + psw, bootFailure));
        }
    }

    /** do_stop_interrupt: the CPU is stopped; stopping the last running CPU shuts the guest down. */
    void stopped(VcpuThread t) {
        boolean last;
        synchronized (lock) {
            t.operating = false;
            t.halted = false;
            last = runningCpus() == 0;
        }
        if (last) {
            end(new Outcome.Shutdown("SIGP stop of the last running CPU", sclp.exitStatus()));
        }
    }

    // ---- machine-wide actions (on the loop's thread, every vCPU paused) ---------------------------------

    /** S390_RESET_REIPL: out of protected mode, every CPU reset, the image loaded again and IPLed. */
    void reipl() {
        reboot.reipl();
        for (VcpuThread t : cpus) {
            t.resetRunState(GuestMachine.CpuReset.CLEAR);
        }
        ipl();
    }

    /** S390_RESET_PV: the CPUs reset, the VM protected from the stored PV IPL block, the initiator loaded. */
    void pvStart(VcpuThread initiator) {
        int r1 = initiator.run.ipa >>> 4 & 0xf;
        reboot.beforeProtect(initiator.cpu);
        for (VcpuThread t : cpus) {
            t.resetRunState(t == initiator ? GuestMachine.CpuReset.NORMAL : GuestMachine.CpuReset.CLEAR);
        }
        try {
            pv.protect(diag308.pvIplb());
        } catch (PvTransition.BootFailure f) {
            bootFailure = f.getMessage();
            initiator.run.gprs[r1 + 1] = f.diagResponse(); // the guest continues after the diag and sees why
            m.setMpState(initiator.cpu, KvmUapi.KVM_MP_STATE_OPERATING);
            syncStates();
            return;
        }
        bootFailure = null;
        Arrays.fill(initiator.run.gprs, 0);
        reboot.loadProtected(initiator.cpu);
        syncStates();
    }

    /** diag 308 subcodes 0 and 1 of a protected guest: reset, still protected, the IPL CPU loaded again. */
    void protectedReset(VcpuThread initiator, boolean clear) {
        reboot.protectedReset(initiator.cpu, clear);
        for (VcpuThread t : cpus) {
            t.resetRunState(clear || t != initiator ? GuestMachine.CpuReset.CLEAR : GuestMachine.CpuReset.INITIAL);
            Arrays.fill(t.run.gprs, 0);
        }
        syncStates();
    }

    /** Each thread's CPU state from KVM's (after resets and loads). Context: every vCPU thread paused. */
    private void syncStates() {
        synchronized (lock) {
            for (VcpuThread t : cpus) {
                t.operating = !t.cpu.isStopped();
                t.halted = false;
            }
        }
    }

    // ---- the SCLP's service signal -------------------------------------------------------------------

    synchronized void serviceSignal(long sccb) {
        m.injectService(sccb | (sclp.inputPending() ? 1 : 0));
    }

    /**
     * Console input arrived (on the input thread): the attention that events are pending, without an SCCB
     * (QEMU's sclp_service_interrupt(0)); KVM adds it to a signal still pending.
     */
    synchronized void inputArrived() {
        if (sclp.inputPending()) {
            m.injectService(1);
        }
    }

    // ---- pausing and ending the threads -------------------------------------------------------------

    private void pauseAll() {
        synchronized (lock) {
            for (VcpuThread t : cpus) {
                t.pauseRequested = true;
            }
            lock.notifyAll();
        }
        for (VcpuThread t : cpus) {
            t.cpu.kick();
        }
        synchronized (lock) {
            while (!cpus.stream().allMatch(t -> t.paused) && failure == null) {
                await();
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    private void resumeAll() {
        synchronized (lock) {
            for (VcpuThread t : cpus) {
                t.pauseRequested = false;
            }
            lock.notifyAll();
        }
    }

    private void stopThreads() {
        synchronized (lock) {
            quitting = true;
            lock.notifyAll();
        }
        for (VcpuThread t : cpus) {
            t.cpu.kick();
        }
        for (VcpuThread t : cpus) {
            t.join();
        }
    }

    /** Waits on {@link #lock} (held); the wait ends on any change, or after a while to look again. */
    void await() {
        try {
            lock.wait(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VmmException("interrupted while the guest was running", e);
        }
    }
}
