package org.pvsim.vmm;

import static org.pvsim.machine.SieBlock.ICPT_INSTRUCTION;
import static org.pvsim.machine.SieBlock.ICPT_PROGRAM;
import static org.pvsim.machine.SieBlock.ICPT_PV_INSTRUCTION;
import static org.pvsim.machine.SieBlock.ICPT_PV_NOTIFICATION;
import static org.pvsim.machine.SieBlock.ICPT_WAIT;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.pvsim.kvm.Errno;
import org.pvsim.kvm.KvmException;
import org.pvsim.kvm.KvmRun;
import org.pvsim.kvm.KvmVcpu;

/**
 * One vCPU's thread (QEMU's kvm_vcpu_thread_fn, kvm_cpu_exec and kvm_arch_handle_exit for s390): KVM_RUN
 * while the CPU is operating, then what user space does with the exit: SERVC to the SCLP console (from
 * guest memory for a normal guest, over the SIDA for a protected one), DIAGNOSE 308 (the IPL functions and
 * the protected boot, which the {@link VcpuLoop} carries out with every vCPU paused), SIGP orders the kernel
 * leaves to user space ({@link VmmSigp}), a disabled wait, a reset request. Other threads get work done on
 * this vCPU with {@link #runOnCpu} (QEMU's run_on_cpu): the vCPU is kicked out of KVM_RUN and does it
 * between two runs, so that only this thread ever touches its {@link KvmRun}.
 */
final class VcpuThread {
    private static final int PGM_OPERATION = 0x01;
    private static final int PGM_SPECIFICATION = 0x06;
    private static final long SCLP_PV_DUMMY_ADDR = 0x4000;
    private static final long PSW_WAIT = 1L << 49;
    private static final long PSW_PROBLEM_STATE = 1L << 48;

    final KvmVcpu cpu;
    final KvmRun run = new KvmRun();
    private final VcpuLoop loop;
    private final GuestMachine m;
    private Thread thread;
    // ---- guarded by loop.lock
    private final ArrayDeque<Work> work = new ArrayDeque<>();
    /** QEMU's S390_CPU_STATE_OPERATING (else STOPPED). */
    boolean operating;
    /** In a disabled wait: operating, but not running (QEMU's cs->halted). */
    boolean halted;
    boolean pauseRequested;
    /** Parked in its loop, acknowledging {@link #pauseRequested}. */
    boolean paused;

    /** A function to run on this vCPU's thread, and whether it ran. */
    private static final class Work {
        final Runnable fn;
        boolean done;
        RuntimeException error;

        Work(Runnable fn) {
            this.fn = fn;
        }
    }

    VcpuThread(VcpuLoop loop, KvmVcpu cpu) {
        this.loop = loop;
        this.cpu = cpu;
        this.m = loop.m;
    }

    void start() {
        thread = new Thread(this::loop, "vcpu-" + cpu.id());
        thread.setDaemon(true);
        thread.start();
    }

    void join() {
        if (thread == null) {
            return;
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Runs {@code fn} on this vCPU's thread (at once when called from it) and waits until it ran. The vCPU
     * is kicked out of KVM_RUN for it; a paused or stopped vCPU runs it too.
     */
    void runOnCpu(Runnable fn) {
        if (Thread.currentThread() == thread || thread == null) {
            fn.run();
            return;
        }
        Work w = new Work(fn);
        synchronized (loop.lock) {
            work.add(w);
            loop.lock.notifyAll();
        }
        cpu.kick();
        synchronized (loop.lock) {
            while (!w.done && !loop.quitting) {
                loop.await();
            }
        }
        if (w.error != null) {
            throw w.error;
        }
    }

    private void loop() {
        try {
            while (true) {
                Work w;
                synchronized (loop.lock) {
                    while (true) {
                        if (loop.quitting) {
                            return;
                        }
                        w = work.poll();
                        if (w != null) {
                            paused = false;
                            break;
                        }
                        if (pauseRequested) {
                            if (!paused) {
                                paused = true;
                                loop.lock.notifyAll();
                            }
                            loop.await();
                            continue;
                        }
                        paused = false;
                        if (operating && !halted) {
                            break;
                        }
                        loop.await();
                    }
                }
                if (w != null) {
                    try {
                        w.fn.run();
                    } catch (RuntimeException e) {
                        w.error = e;
                    } finally {
                        synchronized (loop.lock) {
                            w.done = true;
                            loop.lock.notifyAll();
                        }
                    }
                    continue;
                }
                step();
            }
        } catch (RuntimeException e) {
            loop.fail(e);
        }
    }

    /** One KVM_RUN and the handling of its exit. */
    private void step() {
        long entered = m.trace.now();
        try {
            cpu.run(run);
        } catch (KvmException e) {
            if (e.errno() == Errno.EINTR) {
                run.immediateExit = false;
                trace(entered, "KVM_EXIT_INTR");
                return;
            }
            throw new VmmException("KVM_RUN: " + e.getMessage(), e);
        } finally {
            run.kvmDirtyRegs = 0;
        }
        trace(entered, null);
        if (!loop.countExit()) { // kicks (EINTR) are not counted: they are the VMM's, not the guest's
            synchronized (loop.lock) {
                pauseRequested = true; // the run is over: wait for the loop to end us
            }
            return;
        }
        exit();
    }

    /**
     * The run state user space keeps for a CPU after a reset (QEMU's reset of its CPU state, pushed with
     * cpu_synchronize_post_reset): an initial or clear reset zeroes the PSW and the prefix, a clear reset
     * the GRs too.
     */
    void resetRunState(GuestMachine.CpuReset type) {
        if (type == GuestMachine.CpuReset.NORMAL) {
            return;
        }
        run.pswMask = 0;
        run.pswAddr = 0;
        run.prefix = 0;
        run.kvmDirtyRegs |= KvmRun.KVM_SYNC_PREFIX;
        if (type == GuestMachine.CpuReset.CLEAR) {
            Arrays.fill(run.gprs, 0);
        }
    }

    private void trace(long entered, String what) {
        if (!m.trace.enabled()) {
            return;
        }
        Map<String, Object> args = new TreeMap<>();
        String name = what;
        if (name == null) {
            if (run.exitReason == KvmRun.KVM_EXIT_S390_SIEIC) {
                name = String.format("SIE exit icpt 0x%02x", run.icptcode);
                args.put("icptcode", String.format("0x%02x", run.icptcode));
                args.put("ipa", String.format("0x%04x", run.ipa));
                args.put("ipb", String.format("0x%08x", run.ipb));
            } else {
                name = run.exitReason == KvmRun.KVM_EXIT_S390_RESET ? "KVM_EXIT_S390_RESET" : "exit " + run.exitReason;
            }
        }
        args.put("protected", m.isProtected());
        m.trace.sieExit(cpu.id(), entered, "KVM_RUN: " + name, args);
    }

    /** Handles one exit. */
    private void exit() {
        if (run.exitReason == KvmRun.KVM_EXIT_S390_RESET) {
            loop.rebootRequest(this, loop::reipl);
            return;
        }
        if (run.exitReason != KvmRun.KVM_EXIT_S390_SIEIC) {
            crash("unexpected KVM exit reason " + run.exitReason);
            return;
        }
        switch (run.icptcode) {
            case ICPT_WAIT -> {
                if ((run.pswMask & PSW_WAIT) != 0) {
                    loop.disabledWait(this);
                }
            }
            case ICPT_INSTRUCTION, ICPT_PV_INSTRUCTION, ICPT_PV_NOTIFICATION -> instruction();
            case ICPT_PROGRAM -> crash("program interruption loop (the program new PSW is invalid)");
            default -> crash(String.format("unhandled interception 0x%02x (ipa 0x%04x)", run.icptcode, run.ipa));
        }
    }

    private void crash(String why) {
        synchronized (loop.lock) {
            halted = true;
        }
        loop.end(new Outcome.Crashed(why, loop.bootFailure));
    }

    private void instruction() {
        int op = run.ipa >>> 8;
        if (op == 0x83) {
            diagnose();
        } else if (run.ipa == 0xb220) {
            servc();
        } else if (op == 0xae) {
            sigp();
        } else {
            program(run.icptcode == ICPT_INSTRUCTION ? PGM_OPERATION : PGM_SPECIFICATION);
        }
    }

    // ---- DIAGNOSE --------------------------------------------------------------------------------

    private void diagnose() {
        int b2 = run.ipb >>> 28;
        long d2 = run.ipb >>> 16 & 0xfff;
        int code = (int) (((b2 == 0 ? 0 : run.gprs[b2]) + d2) & 0xffff);
        if (code != 0x308) {
            if (code != 0x500) { // virtio notification: nothing to notify here
                program(PGM_SPECIFICATION);
            }
            return;
        }
        if (run.icptcode != ICPT_INSTRUCTION) {
            protectedDiag308();
            return;
        }
        if ((run.pswMask & PSW_PROBLEM_STATE) != 0) {
            program(0x02);
            return;
        }
        switch (loop.diag308.handle(run)) {
            case CONTINUE -> {
                int r1 = run.ipa >>> 4 & 0xf;
                if (run.gprs[run.ipa & 0xf] == 8 && run.gprs[r1 + 1] == Diag308.RC_INVALID) {
                    // QEMU only answers rc 0x402; should the boot loader give up, the operator learns why
                    loop.bootFailure = "Protected boot has failed: the guest's PV IPL block (diag 308 subcode 8) is "
                            + "invalid, rc 0x0402: a truncated or damaged SE image?";
                }
            }
            case PROGRAM_SPECIFICATION -> program(PGM_SPECIFICATION);
            case PROGRAM_ADDRESSING -> program(0x05);
            case REIPL_CLEAR, REIPL_NORMAL -> loop.rebootRequest(this, loop::reipl);
            case PV_START -> loop.request(this, () -> loop.pvStart(this));
        }
    }

    /** diag 308 of a protected guest: the UV normalised it, the subcode is in GR2. */
    private void protectedDiag308() {
        long subcode = run.gprs[2];
        if (run.icptcode == ICPT_PV_NOTIFICATION && (subcode == 0 || subcode == 1)) {
            loop.rebootRequest(this, () -> loop.protectedReset(this, subcode == 0));
            return;
        }
        if (run.icptcode == ICPT_PV_NOTIFICATION && (subcode == 3 || subcode == 4)) {
            loop.rebootRequest(this, loop::reipl);
            return;
        }
        run.gprs[1] = Diag308.RC_NO_CONF; // subcodes 5/6 over the SIDA: pvsim keeps no normal IPL block
    }

    // ---- SERVC -------------------------------------------------------------------------------------

    private void servc() {
        int command = (int) run.gprs[run.ipb >>> 20 & 0xf];
        if (run.icptcode == ICPT_PV_INSTRUCTION) {
            servcProtected(command);
            return;
        }
        long sccb = run.gprs[run.ipb >>> 16 & 0xf] & 0xffffffffL;
        if ((sccb & ~0x7ffffff8L) != 0) {
            program(PGM_SPECIFICATION);
            return;
        }
        long abs = realToAbsolute(sccb);
        byte[] head = m.readAbsolute(abs, 8);
        if (head == null) {
            program(0x05);
            return;
        }
        int len = ByteBuffer.wrap(head).getShort(0) & 0xffff;
        if (len < 8) {
            program(PGM_SPECIFICATION);
            return;
        }
        len = (int) Math.min(len, 4096 - (sccb & 0xfff)); // an SCCB does not cross its page
        byte[] block = m.readAbsolute(abs, len);
        complete(command, block);
        m.writeAbsolute(abs, Arrays.copyOf(block, Math.min(block.length, Math.max(8, ByteBuffer.wrap(block).getShort(0) & 0xffff))));
        setCc(0);
        loop.serviceSignal(sccb);
    }

    /** sclp_service_call_protected: the SCCB from the SIDA and back; the UV sets the CC and names the SCCB. */
    private void servcProtected(int command) {
        byte[] head = m.readSida(cpu, 8);
        int len = Math.min(Math.max(ByteBuffer.wrap(head).getShort(0) & 0xffff, 8), 4096);
        byte[] block = m.readSida(cpu, len);
        complete(command, block);
        int back = Math.min(Math.max(ByteBuffer.wrap(block).getShort(0) & 0xffff, 8), 4096);
        m.writeSida(cpu, Arrays.copyOf(block, back));
        loop.serviceSignal(SCLP_PV_DUMMY_ADDR);
    }

    private void complete(int command, byte[] block) {
        if (!SclpConsole.valid(command)) {
            ByteBuffer.wrap(block).putShort(6, (short) SclpConsole.RC_INVALID_COMMAND);
        } else {
            loop.sclp.execute(command, block);
        }
    }

    private long realToAbsolute(long real) {
        long prefix = run.prefix;
        if (real < 0x2000) {
            return real + prefix;
        }
        if (real >= prefix && real < prefix + 0x2000) {
            return real - prefix;
        }
        return real;
    }

    // ---- SIGP --------------------------------------------------------------------------------------

    /** handle_sigp: order from the second-operand address, target CPU address in R3, parameter in R1 (odd) or R1+1. */
    private void sigp() {
        int r1 = run.ipa >>> 4 & 0xf;
        int r3 = run.ipa & 0xf;
        int b2 = run.ipb >>> 28;
        int order = (int) (((b2 == 0 ? 0 : run.gprs[b2]) + (run.ipb >>> 16 & 0xfff)) & 0xff);
        long param = (r1 & 1) != 0 ? run.gprs[r1] : run.gprs[r1 + 1];
        int target = (int) (run.gprs[r3] & 0xffff);
        setCc(loop.sigp.handle(this, order, target, param, r1));
    }

    // ---- helpers -----------------------------------------------------------------------------------

    void setCc(int cc) {
        run.pswMask = run.pswMask & ~(3L << 44) | (long) cc << 44;
    }

    private void program(int code) {
        m.injectProgram(cpu, code);
    }

    /** Whether this vCPU is protected now (its registers are the UV's). */
    boolean isProtected() {
        return m.isProtected();
    }
}
