package org.pvsim.vmm;

import static org.pvsim.machine.SieBlock.ICPT_INSTRUCTION;
import static org.pvsim.machine.SieBlock.ICPT_PROGRAM;
import static org.pvsim.machine.SieBlock.ICPT_PV_INSTRUCTION;
import static org.pvsim.machine.SieBlock.ICPT_PV_NOTIFICATION;
import static org.pvsim.machine.SieBlock.ICPT_WAIT;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.pvsim.kvm.Errno;
import org.pvsim.kvm.KvmException;
import org.pvsim.kvm.KvmRun;
import org.pvsim.kvm.KvmUapi;
import org.pvsim.kvm.KvmVcpu;

/**
 * The run loop of the IPL CPU (QEMU's kvm_cpu_exec and kvm_arch_handle_exit for s390): KVM_RUN until an
 * exit, then what user space does with it: SERVC to the SCLP console (from guest memory for a normal guest,
 * over the SIDA for a protected one), DIAGNOSE 308 (the IPL functions and the protected boot), SIGP orders
 * the kernel leaves to user space, a disabled wait (shutdown or crash), a reset request. Secondary vCPUs
 * are created (and made secure with the VM) but stay stopped: pvsim runs the IPL CPU only.
 */
final class VcpuLoop {
    private static final int SIGP_STOP = 0x05;
    private static final int SIGP_STOP_AND_STORE_STATUS = 0x09;
    private static final int PGM_OPERATION = 0x01;
    private static final int PGM_SPECIFICATION = 0x06;
    private static final long SCLP_PV_DUMMY_ADDR = 0x4000;
    private static final long PSW_WAIT = 1L << 49;
    private static final long PSW_PROBLEM_STATE = 1L << 48;

    private final GuestMachine m;
    private final Ipl ipl;
    private final SclpConsole sclp;
    private final Diag308 diag308;
    private final PvTransition pv;
    private final Reboot reboot;
    private final KvmVcpu cpu;
    private final KvmRun run = new KvmRun();
    /** The last protected boot's failure, reported if the guest then does not come up. */
    private String bootFailure;
    /** The parameter of the last service signal (its SCCB), to which console attention is added. */
    private long lastServiceParm;

    VcpuLoop(GuestMachine m, Ipl ipl, SclpConsole sclp) {
        this.m = m;
        this.ipl = ipl;
        this.sclp = sclp;
        this.diag308 = new Diag308(m);
        this.pv = new PvTransition(m);
        this.reboot = new Reboot(m, pv);
        this.cpu = m.vcpus.get(0);
    }

    KvmVcpu ipCpu() {
        return cpu;
    }

    int reboots() {
        return reboot.count();
    }

    PvTransition pv() {
        return pv;
    }

    /** A normal IPL: the image in memory, the PSW loaded, the IPL CPU operating. */
    void ipl() {
        Ipl.Psw psw = ipl.load(m);
        run.pswMask = psw.mask();
        run.pswAddr = psw.address();
        Arrays.fill(run.gprs, 0);
        m.setMpState(cpu, KvmUapi.KVM_MP_STATE_OPERATING);
    }

    /** Runs the guest until it ends. */
    Outcome run() {
        ipl();
        for (long exits = 0; exits < m.config.maxExits(); exits++) {
            long entered = m.trace.now();
            try {
                cpu.run(run);
            } catch (KvmException e) {
                if (e.errno() == Errno.EINTR) {
                    run.immediateExit = false;
                    trace(entered, "KVM_EXIT_INTR");
                    attention();
                    continue;
                }
                throw new VmmException("KVM_RUN: " + e.getMessage(), e);
            }
            trace(entered, null);
            Outcome end = exit();
            if (end != null) {
                return end;
            }
        }
        return new Outcome.Crashed("still running after " + m.config.maxExits() + " exits to user space", bootFailure);
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

    /** Handles one exit; returns how the guest ended, or null to run it again. */
    private Outcome exit() {
        if (run.exitReason == KvmRun.KVM_EXIT_S390_RESET) {
            return reipl();
        }
        if (run.exitReason != KvmRun.KVM_EXIT_S390_SIEIC) {
            return new Outcome.Crashed("unexpected KVM exit reason " + run.exitReason, bootFailure);
        }
        return switch (run.icptcode) {
            case ICPT_WAIT -> waitState();
            case ICPT_INSTRUCTION, ICPT_PV_INSTRUCTION, ICPT_PV_NOTIFICATION -> instruction();
            case ICPT_PROGRAM -> new Outcome.Crashed("program interruption loop (the program new PSW is invalid)", bootFailure);
            default -> new Outcome.Crashed(String.format("unhandled interception 0x%02x (ipa 0x%04x)", run.icptcode, run.ipa),
                    bootFailure);
        };
    }

    /** s390_handle_wait: a disabled wait at ...fff is a clean shutdown, any other a crash. */
    private Outcome waitState() {
        if ((run.pswMask & PSW_WAIT) == 0) {
            return null;
        }
        String psw = String.format("PSW %016x %016x", run.pswMask, run.pswAddr);
        if ((run.pswAddr & 0xfff) == 0xfff) {
            return new Outcome.Shutdown("disabled wait, " + psw, sclp.exitStatus());
        }
        return new Outcome.Crashed("disabled wait, " + psw, bootFailure);
    }

    private Outcome instruction() {
        int op = run.ipa >>> 8;
        if (op == 0x83) {
            return diagnose();
        }
        if (run.ipa == 0xb220) {
            servc();
            return null;
        }
        if (op == 0xae) {
            return sigp();
        }
        if (run.ipa == 0xb27d) { // STSI with a function code the kernel leaves us: no such information
            setCc(3);
            return null;
        }
        program(run.icptcode == ICPT_INSTRUCTION ? PGM_OPERATION : PGM_SPECIFICATION);
        return null;
    }

    // ---- DIAGNOSE --------------------------------------------------------------------------------

    private Outcome diagnose() {
        int b2 = run.ipb >>> 28;
        long d2 = run.ipb >>> 16 & 0xfff;
        int code = (int) (((b2 == 0 ? 0 : run.gprs[b2]) + d2) & 0xffff);
        if (code != 0x308) {
            if (code != 0x500) { // virtio notification: nothing to notify here
                program(PGM_SPECIFICATION);
            }
            return null;
        }
        if (run.icptcode != ICPT_INSTRUCTION) {
            return protectedDiag308();
        }
        if ((run.pswMask & PSW_PROBLEM_STATE) != 0) {
            program(0x02);
            return null;
        }
        return switch (diag308.handle(run)) {
            case CONTINUE -> null;
            case PROGRAM_SPECIFICATION -> {
                program(PGM_SPECIFICATION);
                yield null;
            }
            case PROGRAM_ADDRESSING -> {
                program(0x05);
                yield null;
            }
            case REIPL_CLEAR, REIPL_NORMAL -> reipl();
            case PV_START -> pvStart();
        };
    }

    /** diag 308 of a protected guest: the UV normalised it, the subcode is in GR2. */
    private Outcome protectedDiag308() {
        long subcode = run.gprs[2];
        if (run.icptcode == ICPT_PV_NOTIFICATION && (subcode == 0 || subcode == 1)) {
            reboot.protectedReset(cpu, subcode == 0);
            Arrays.fill(run.gprs, 0);
            return null;
        }
        if (run.icptcode == ICPT_PV_NOTIFICATION && (subcode == 3 || subcode == 4)) {
            return reipl();
        }
        run.gprs[1] = Diag308.RC_NO_CONF; // subcodes 5/6 over the SIDA: pvsim keeps no normal IPL block
        return null;
    }

    /** S390_RESET_PV: the CPUs reset, the VM protected from the stored PV IPL block, the IPL CPU loaded. */
    private Outcome pvStart() {
        int r1 = run.ipa >>> 4 & 0xf;
        reboot.beforeProtect(cpu);
        try {
            pv.protect(diag308.pvIplb());
        } catch (PvTransition.BootFailure f) {
            bootFailure = f.getMessage();
            run.gprs[r1 + 1] = f.diagResponse(); // the guest continues after the diag and sees why
            m.setMpState(cpu, KvmUapi.KVM_MP_STATE_OPERATING);
            return null;
        }
        bootFailure = null;
        Arrays.fill(run.gprs, 0);
        reboot.loadProtected(cpu);
        return null;
    }

    /** S390_RESET_REIPL: out of protected mode, every CPU reset, the image loaded again and IPLed. */
    private Outcome reipl() {
        reboot.reipl();
        ipl();
        return null;
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
        signal(sccb);
    }

    /** sclp_service_call_protected: the SCCB from the SIDA and back; the UV sets the CC and names the SCCB. */
    private void servcProtected(int command) {
        byte[] head = m.readSida(cpu, 8);
        int len = Math.min(Math.max(ByteBuffer.wrap(head).getShort(0) & 0xffff, 8), 4096);
        byte[] block = m.readSida(cpu, len);
        complete(command, block);
        int back = Math.min(Math.max(ByteBuffer.wrap(block).getShort(0) & 0xffff, 8), 4096);
        m.writeSida(cpu, Arrays.copyOf(block, back));
        signal(SCLP_PV_DUMMY_ADDR);
    }

    private void complete(int command, byte[] block) {
        if (!SclpConsole.valid(command)) {
            ByteBuffer.wrap(block).putShort(6, (short) SclpConsole.RC_INVALID_COMMAND);
        } else {
            sclp.execute(command, block);
        }
    }

    private void signal(long sccb) {
        lastServiceParm = sccb;
        m.injectService(sccb | (sclp.inputPending() ? 1 : 0));
    }

    /** Console input arrived (the input thread kicked us): tell the guest events are pending. */
    private void attention() {
        if (sclp.inputPending()) {
            m.injectService(lastServiceParm | 1);
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

    /** Orders the kernel leaves to user space: a CPU stopping itself ends the run when it is the last one. */
    private Outcome sigp() {
        int r3 = run.ipa & 0xf;
        int b2 = run.ipb >>> 28;
        int order = (int) (((b2 == 0 ? 0 : run.gprs[b2]) + (run.ipb >>> 16 & 0xfff)) & 0xff);
        int target = (int) (run.gprs[r3] & 0xffff);
        if ((order == SIGP_STOP || order == SIGP_STOP_AND_STORE_STATUS) && target == cpu.id()) {
            m.setMpState(cpu, KvmUapi.KVM_MP_STATE_STOPPED);
            return new Outcome.Shutdown("SIGP stop of the last running CPU", sclp.exitStatus());
        }
        boolean exists = m.vcpus.stream().anyMatch(v -> v.id() == target);
        setCc(exists ? 2 : 3); // secondary CPUs are not run by pvsim: busy for ever
        return null;
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private void setCc(int cc) {
        run.pswMask = run.pswMask & ~(3L << 44) | (long) cc << 44;
    }

    private void program(int code) {
        m.injectProgram(cpu, code);
    }

    /** Kicks the IPL CPU out of KVM_RUN (from another thread). */
    void kick() {
        cpu.kick();
    }
}
