package org.pvsim.machine.cpu;

import org.pvsim.machine.Lowcore;
import org.pvsim.machine.ProgramInterruption;
import org.pvsim.machine.storage.Storage;

/**
 * Interruption delivery: store the old PSW and the interruption's codes in the lowcore, load the new
 * PSW. Program interruptions come from the run loop; external and restart interruptions are taken
 * between slices, when the machine calls {@link #deliverPending}.
 */
public final class Interruptions {
    private Interruptions() {
    }

    public static final int EXT_CLOCK_COMPARATOR = 0x1004;
    public static final int EXT_CPU_TIMER = 0x1005;
    public static final int EXT_EMERGENCY_SIGNAL = 0x1201;
    public static final int EXT_EXTERNAL_CALL = 0x1202;
    public static final int EXT_SERVICE_SIGNAL = 0x2401;

    /** CR0 external subclass masks. */
    static final long CR0_EMERGENCY_SIGNAL = 1L << 14;
    static final long CR0_EXTERNAL_CALL = 1L << 13;
    static final long CR0_CLOCK_COMPARATOR = 1L << 11;
    static final long CR0_CPU_TIMER = 1L << 10;
    static final long CR0_SERVICE_SIGNAL = 1L << 9;

    /** Exceptions that nullify: the old PSW points at the instruction, so it is executed again. */
    static boolean nullifies(int code) {
        return switch (code) {
            case 0x10, 0x11, 0x38, 0x39, 0x3a, 0x3b, ProgramInterruption.SECURE_STORAGE_ACCESS,
                    ProgramInterruption.NON_SECURE_STORAGE_ACCESS, Storage.SECURE_STORAGE_VIOLATION -> true;
            default -> false;
        };
    }

    /** Secure-storage conditions: in a guest they are the host's to resolve (import, export, destroy). */
    private static boolean hostsOwnership(int code) {
        return code == ProgramInterruption.SECURE_STORAGE_ACCESS || code == ProgramInterruption.NON_SECURE_STORAGE_ACCESS
                || code == Storage.SECURE_STORAGE_VIOLATION;
    }

    /**
     * Delivers a program interruption raised while executing the instruction at {@code address}
     * ({@code in} is null when the fetch or decode itself failed).
     */
    static void program(Cpu cpu, ProgramInterruption pi, long address, Insn in) {
        int code = pi.code();
        if (cpu.guest != null && (pi.inHost() || hostsOwnership(code))) {
            cpu.ia = address; // nullified: once the host has resolved it, SIE runs the instruction again
            throw new GuestExit(pi);
        }
        int ilc;
        long oldIa;
        if (in == null) {
            if (code == ProgramInterruption.OPERATION) {
                ilc = cpu.decodeLength;
                oldIa = (address + ilc) & cpu.amask;
            } else {
                ilc = 0; // the instruction could not be fetched
                oldIa = address;
            }
        } else {
            ilc = in.length;
            oldIa = nullifies(code) ? address : cpu.ia;
        }
        if (cpu.guest != null) {
            cpu.ia = oldIa;
            cpu.guest.programInterruption(cpu, code, ilc);
        }
        Machine m = cpu.machine;
        m.recordProgramInterruption(cpu, code, address);
        long lc = cpu.prefix;
        cpu.absStore(lc + Lowcore.PGM_ILC, ilc, 2);
        cpu.absStore(lc + Lowcore.PGM_CODE, code, 2);
        if (code == ProgramInterruption.DATA) {
            dxcIntoFpc(cpu);
        }
        if (pi.teid() != -1) {
            cpu.absStore(lc + Lowcore.TRANS_EXC_ID, pi.teid(), 8);
            cpu.absStore(lc + Lowcore.EXC_ACCESS_ID, 0, 1); // no access register took part (see docs/dat.md)
        } else if (pi.address() >= 0 && (code == 0x10 || code == 0x11 || code == ProgramInterruption.SECURE_STORAGE_ACCESS
                || code == ProgramInterruption.NON_SECURE_STORAGE_ACCESS || code == Storage.SECURE_STORAGE_VIOLATION)) {
            cpu.absStore(lc + Lowcore.TRANS_EXC_ID, pi.address() & ~0xfffL, 8);
        }
        swap(cpu, Lowcore.PGM_OLD_PSW, Lowcore.PGM_NEW_PSW, oldIa, "program");
        // the handler's own first instruction faulted: the CPU would loop here for ever
        if (cpu.state == Cpu.State.OPERATING && cpu.ia == address && !nullifies(code)) {
            cpu.checkStop = String.format("program-interruption loop: code 0x%02x at 0x%x", code, address);
            cpu.stop();
        }
    }

    /**
     * With the AFP-register control on (CR0 bit 45), a data exception's DXC, which the instruction
     * stored in the lowcore, also goes into byte 2 of the FPC.
     */
    private static void dxcIntoFpc(Cpu cpu) {
        if ((cpu.cr[0] & Vector.CR0_AFP) != 0) {
            int dxc = (int) (cpu.absLoad64(cpu.prefix + Lowcore.DXC) >>> 32) & 0xff;
            cpu.fpc = (cpu.fpc & ~0xff00) | dxc << 8;
        }
    }

    /**
     * A program interruption a hypervisor injects (its emulation of an intercepted instruction ended in
     * one): stored with the ILC of that instruction, the old PSW at the current address.
     */
    static void injectProgram(Cpu cpu, int code, int ilc) {
        long lc = cpu.prefix;
        cpu.absStore(lc + Lowcore.PGM_ILC, ilc, 2);
        cpu.absStore(lc + Lowcore.PGM_CODE, code, 2);
        swap(cpu, Lowcore.PGM_OLD_PSW, Lowcore.PGM_NEW_PSW, cpu.ia, "program");
    }

    /** SUPERVISOR CALL: the old PSW points past the SVC. */
    static void svc(Cpu cpu, int number, int ilc) {
        long lc = cpu.prefix;
        cpu.absStore(lc + Lowcore.SVC_ILC, ilc, 2);
        cpu.absStore(lc + Lowcore.SVC_CODE, number, 2);
        swap(cpu, Lowcore.SVC_OLD_PSW, Lowcore.SVC_NEW_PSW, cpu.ia, "SVC");
    }

    static void restart(Cpu cpu) {
        cpu.restartPending = false;
        swap(cpu, Lowcore.RESTART_OLD_PSW, Lowcore.RESTART_NEW_PSW, cpu.ia, "restart");
    }

    static void external(Cpu cpu, int code, int cpuAddr, long param) {
        long lc = cpu.prefix;
        cpu.absStore(lc + Lowcore.EXT_CODE, code, 2);
        cpu.absStore(lc + Lowcore.EXT_CPU_ADDR, cpuAddr, 2);
        if (code == EXT_SERVICE_SIGNAL) {
            cpu.absStore(lc + Lowcore.EXT_PARAM, param, 4);
        }
        swap(cpu, Lowcore.EXT_OLD_PSW, Lowcore.EXT_NEW_PSW, cpu.ia, "external");
    }

    private static void swap(Cpu cpu, int oldOff, int newOff, long oldIa, String what) {
        long lc = cpu.prefix;
        cpu.absStore(lc + oldOff, cpu.pswMask | (long) cpu.cc << Psw.CC_SHIFT, 8);
        cpu.absStore(lc + oldOff + 8, oldIa, 8);
        long mask = cpu.absLoad64(lc + newOff);
        long addr = cpu.absLoad64(lc + newOff + 8);
        cpu.setPsw(mask, addr);
        if (!Psw.isValid(mask, addr) && cpu.guest != null) {
            throw cpu.guest.invalidNewPsw(cpu, what);
        }
        if (!Psw.isValid(mask, addr) && newOff == Lowcore.PGM_NEW_PSW) {
            // the specification exception (early, on the next fetch) would load this PSW again, and
            // the CPU would loop: report it as the guest bug it is. Any other invalid new PSW is
            // recognized as the early exception it is (Cpu#setPsw).
            cpu.checkStop = String.format("invalid %s new PSW %016x %016x", what, mask, addr);
            cpu.stop();
        }
    }

    /** Takes the highest-priority pending interruption the CPU is enabled for; true if one was taken. */
    static boolean deliverPending(Cpu cpu) {
        if (cpu.state != Cpu.State.OPERATING || cpu.pswInvalid) {
            return false; // an invalid PSW's specification exception comes before any interruption
        }
        if (cpu.restartPending) {
            restart(cpu);
            return true;
        }
        if ((cpu.pswMask & Psw.EXT) == 0) {
            return false;
        }
        long cr0 = cpu.cr[0];
        Machine m = cpu.machine;
        if ((cr0 & CR0_EMERGENCY_SIGNAL) != 0 && cpu.emergencyFrom != 0) {
            int from = Long.numberOfTrailingZeros(cpu.emergencyFrom);
            cpu.emergencyFrom &= ~(1L << from);
            external(cpu, EXT_EMERGENCY_SIGNAL, from, 0);
            return true;
        }
        if ((cr0 & CR0_EXTERNAL_CALL) != 0 && cpu.externalCallFrom >= 0) {
            int from = cpu.externalCallFrom;
            cpu.externalCallFrom = -1;
            external(cpu, EXT_EXTERNAL_CALL, from, 0);
            return true;
        }
        if ((cr0 & CR0_CLOCK_COMPARATOR) != 0 && m.clocks().clockComparatorPending(cpu.timers)) {
            external(cpu, EXT_CLOCK_COMPARATOR, 0, 0);
            return true;
        }
        if ((cr0 & CR0_CPU_TIMER) != 0 && m.clocks().cpuTimerPending(cpu.timers)) {
            external(cpu, EXT_CPU_TIMER, 0, 0);
            return true;
        }
        // the machine's service signal is the LPAR's; a guest's comes from its host (injected)
        if ((cr0 & CR0_SERVICE_SIGNAL) != 0 && cpu.guest == null && m.serviceSignalPending()) {
            external(cpu, EXT_SERVICE_SIGNAL, 0, m.takeServiceSignal());
            return true;
        }
        return false;
    }

    /**
     * TOD deadline of the next timer interruption this (waiting, enabled) CPU could take, or
     * {@code Long.MAX_VALUE} if none.
     */
    static long nextTimerDeadline(Cpu cpu) {
        if ((cpu.pswMask & Psw.EXT) == 0) {
            return Long.MAX_VALUE;
        }
        long best = Long.MAX_VALUE;
        if ((cpu.cr[0] & CR0_CLOCK_COMPARATOR) != 0 && cpu.timers.clockComparator != -1L) {
            best = Math.min(best, cpu.timers.clockComparator + 1);
        }
        if ((cpu.cr[0] & CR0_CPU_TIMER) != 0) {
            best = Math.min(best, cpu.timers.timerDeadline + 1);
        }
        return best;
    }
}
