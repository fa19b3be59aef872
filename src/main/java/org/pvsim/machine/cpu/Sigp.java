package org.pvsim.machine.cpu;

import org.pvsim.machine.Lowcore;

import static org.pvsim.machine.SigpOrder.*;
import static org.pvsim.machine.cpu.Attribute.PRIVILEGED;
import static org.pvsim.machine.cpu.Format.*;

/**
 * SIGNAL PROCESSOR between the CPUs of the machine. The order code is the low byte of the
 * second-operand address, the target CPU address is in R3, the parameter in R1+1 (R1 if odd);
 * status goes to R1 with cc 1. Orders complete at once (the machine is single-threaded), so cc 2
 * (busy) is never returned.
 */
final class Sigp {
    private Sigp() {
    }


    static void register(Decoder d) {
        d.addControl(0xae00, "sigp", RS, (c, i) -> {
            int order = (int) c.ea(i.b2, i.d2) & 0xff;
            int paramReg = i.r1 | 1;
            long param = c.gr[paramReg];
            Cpu target = c.machine.cpu((int) c.gr[i.r3] & 0xffff);
            if (target == null) {
                c.cc = 3;
                return;
            }
            long status = order(c, target, order, param);
            if (status != 0) {
                FixedPoint.set32(c, i.r1, status);
                c.cc = 1;
            } else {
                c.cc = 0;
            }
            c.endSlice();
        }, PRIVILEGED);
    }

    /** Performs the order; returns the status to store (0: order accepted, cc 0). */
    static long order(Cpu self, Cpu target, int order, long param) {
        switch (order) {
            case SENSE:
                long status = 0;
                if (target.state == Cpu.State.STOPPED) {
                    status |= STATUS_STOPPED;
                }
                if (target.externalCallFrom >= 0) {
                    status |= STATUS_EXT_CALL_PENDING;
                }
                return status;
            case EXTERNAL_CALL:
                if (target.externalCallFrom >= 0) {
                    return STATUS_EXT_CALL_PENDING;
                }
                target.externalCallFrom = self.cpuAddress;
                return 0;
            case EMERGENCY_SIGNAL:
                target.emergencyFrom |= 1L << self.cpuAddress;
                return 0;
            case CONDITIONAL_EMERGENCY_SIGNAL:
                if (!conditionalEmergencyApplies(target, (int) param & 0xffff)) {
                    return STATUS_INCORRECT_STATE;
                }
                target.emergencyFrom |= 1L << self.cpuAddress;
                return 0;
            case START:
                target.start();
                return 0;
            case STOP:
                target.stop();
                return 0;
            case STOP_AND_STORE_STATUS:
                target.stop();
                storeStatusInPrefixArea(target, target);
                return 0;
            case RESTART:
                target.restartPending = true;
                target.start();
                return 0;
            case INITIAL_CPU_RESET:
            case CPU_RESET:
                if (target == self) {
                    return STATUS_INVALID_ORDER;
                }
                target.reset();
                target.stop();
                return 0;
            case SET_PREFIX: {
                if (target.state != Cpu.State.STOPPED) {
                    return STATUS_INCORRECT_STATE;
                }
                long p = param & 0x7fffe000L;
                if (p + Lowcore.SIZE > self.storage.size()) {
                    return STATUS_INVALID_PARAMETER;
                }
                target.prefix = p;
                target.flushTlb();
                return 0;
            }
            case STORE_STATUS_AT_ADDRESS: {
                if (target.state != Cpu.State.STOPPED) {
                    return STATUS_INCORRECT_STATE;
                }
                long a = param & 0x7ffffe00L;
                if (a + 512 > self.storage.size()) {
                    return STATUS_INVALID_PARAMETER;
                }
                storeStatus(target, target, a);
                return 0;
            }
            case SET_ARCHITECTURE: {
                // z/Architecture only: ESA/390 (0) cannot be entered; 1 and 2 keep z/Architecture,
                // accepted when every other CPU is stopped (the target CPU address is ignored)
                int mode = (int) param & 0xff;
                if (mode == 0 || mode > 2) {
                    return STATUS_INVALID_PARAMETER;
                }
                for (Cpu other : self.machine.cpus()) {
                    if (other != self && other.state == Cpu.State.OPERATING) {
                        return STATUS_INCORRECT_STATE;
                    }
                }
                return 0;
            }
            case SENSE_RUNNING_STATUS:
                return target.state == Cpu.State.OPERATING && !target.isWaiting() ? 0 : STATUS_NOT_RUNNING;
            default:
                return STATUS_INVALID_ORDER;
        }
    }

    /**
     * Whether a conditional emergency signal is made pending at {@code target}: when it is operating, is
     * not enabled for both I/O and external interruptions, waits at a nonzero address, or runs with
     * {@code asn} as its primary (CR4) or secondary (CR3) ASN; else the order is rejected (incorrect
     * state), so that a sender can tell a CPU that would never see the signal.
     */
    static boolean conditionalEmergencyApplies(Cpu target, int asn) {
        boolean waiting = target.isWaiting();
        return target.state != Cpu.State.STOPPED
                || (target.pswMask & (Psw.IO | Psw.EXT)) != (Psw.IO | Psw.EXT)
                || (waiting && target.ia != 0)
                || (!waiting && (asn == (int) (target.cr[4] & 0xffff) || asn == (int) (target.cr[3] & 0xffff)));
    }

    /**
     * STOP AND STORE STATUS: the status goes to the save areas of the target's own prefix area (real
     * 0x1200-0x13ff), and the architectural-mode identification (1, z/Architecture) to real location 163.
     */
    static void storeStatusInPrefixArea(Cpu t, Cpu via) {
        storeStatus(t, via, t.prefix + Lowcore.SAVE_FPRS);
        via.absStore(t.prefix + Lowcore.ARCH_MODE_ID, 1, 1);
    }

    /**
     * Stores the CPU's status in the save-area layout at absolute {@code b} (the prefix area's 0x1200, or
     * the 512-byte area STORE STATUS AT ADDRESS names, which may be absolute 0), through {@code via}'s
     * storage accesses (the CPU itself, or the one whose firmware stores for it).
     */
    static void storeStatus(Cpu t, Cpu via, long b) {
        for (int k = 0; k < 16; k++) {
            via.absStore(b + 8L * k, t.fpr[k], 8);
            via.absStore(b + 0x80 + 8L * k, t.gr[k], 8);
            via.absStore(b + 0x140 + 4L * k, t.ar[k], 4);
            via.absStore(b + 0x180 + 8L * k, t.cr[k], 8);
        }
        via.absStore(b + 0x100, t.pswMask | (long) t.cc << Psw.CC_SHIFT, 8);
        via.absStore(b + 0x108, t.ia, 8);
        via.absStore(b + 0x118, t.prefix, 4);
        via.absStore(b + 0x11c, t.fpc, 4);
        via.absStore(b + 0x128, t.machine.clocks().cpuTimer(t.timers), 8);
        via.absStore(b + 0x130, t.timers.clockComparator >>> 8, 8);
    }
}
