package org.pvsim.kvm;

import org.pvsim.machine.Lowcore;

import static org.pvsim.machine.SieBlock.*;

/**
 * Interruption injection (arch/s390/kvm/interrupt.c): the conditions pending for a vCPU and for the whole
 * VM (floating: the service signal), delivered before each SIE entry. A normal guest gets them the way its
 * CPU would take them, through its lowcore (old PSW stored, new PSW loaded into the SIE block); a protected
 * guest only through the interrupt injection controls, one at a time, and only the program exceptions an
 * emulated instruction may end with (specification, operand). A condition the guest is disabled for stays
 * pending and asks SIE for an exit once the guest enables it (CPUSTAT_EXT_INT).
 */
final class Interrupts {
    private static final long PSW_EXT = 1L << 56;
    private static final long PSW_IO = 1L << 57;
    private static final long PSW_MCHK = 1L << 50;

    /** The VM's floating interruptions (kvm->arch.float_int). */
    static final class Floating {
        /**
         * The pending service signal's parameter (the SCCB address), or -1. Atomic: vCPUs deliver it on
         * their own threads, and only one of them may take it.
         */
        final java.util.concurrent.atomic.AtomicLong serviceSignal = new java.util.concurrent.atomic.AtomicLong(-1);

        /**
         * A service signal made pending (__inject_service): the event-pending bit adds to one pending
         * already, and an SCCB address only if none is pending (the kernel drops superfluous ones).
         */
        void post(long parm) {
            serviceSignal.getAndUpdate(old -> old < 0 ? parm
                    : (old & SCCB_MASK) != 0 ? old | parm & EVENT_PENDING : old | parm);
        }

        /**
         * Whether the pending service signal {@code parm} may go to the guest now. A protected guest gets
         * an SCCB's answer only after the notification of its SERVC (masked until then), but the attention
         * of an event (no SCCB address) at any time, as the kernel's IRQ_PEND_EXT_SERVICE_EV.
         */
        static boolean deliverable(long parm, boolean masked) {
            return parm >= 0 && (!masked || (parm & SCCB_MASK) == 0);
        }
    }

    /** The SCCB address in a service signal's parameter; bit 31 (value 1) says an event waits. */
    static final long SCCB_MASK = 0xfffffff8L;
    static final long EVENT_PENDING = 1;

    /** One vCPU's local interruptions (vcpu->arch.local_int); guarded by the vCPU lock or volatile. */
    int programCode = -1;
    int programIlc;
    volatile boolean restart;
    /**
     * Emergency-signal senders, one bit per CPU address below 64. Set by other vCPUs' threads and user
     * space while this vCPU clears the bit it delivers: atomic, or a signal could be lost.
     */
    private final java.util.concurrent.atomic.AtomicLong emergencyFrom = new java.util.concurrent.atomic.AtomicLong();
    /** The sender of the pending external call, or -1 (only one can be pending: SIGP answers busy). */
    volatile int externalCallFrom = -1;

    /** An emergency signal from CPU address {@code from} (one pending per sender). */
    void postEmergency(int from) {
        emergencyFrom.getAndUpdate(bits -> bits | 1L << (from & 63));
    }

    /** Whether any condition is pending for the vCPU (a waiting guest then is not idle). */
    boolean pending(KvmVm vm) {
        return programCode >= 0 || restart || emergencyFrom.get() != 0 || externalCallFrom >= 0
                || Floating.deliverable(vm.floating.serviceSignal.get(), vm.serviceIrqMasked);
    }

    /** Delivers what can be delivered now. Context: vcpu->mutex held, before SIE entry. */
    void deliver(KvmVcpu vcpu, SieControlBlock sd, boolean secure) {
        KvmVm vm = vcpu.vm;
        if (programCode >= 0) {
            int code = programCode;
            programCode = -1;
            if (secure) {
                sd.put8(IICTL, code == 0x06 ? IICTL_SPECIFICATION : IICTL_OPERAND);
            } else {
                store(vcpu, sd, Lowcore.PGM_ILC, programIlc, 2);
                store(vcpu, sd, Lowcore.PGM_CODE, code, 2);
                swap(vcpu, sd, Lowcore.PGM_OLD_PSW, Lowcore.PGM_NEW_PSW);
            }
            return;
        }
        if (secure && sd.u8(IICTL) != IICTL_NONE) {
            return; // one injection at a time
        }
        if (restart) {
            restart = false;
            if (secure) {
                sd.put8(IICTL, IICTL_RESTART);
            } else {
                swap(vcpu, sd, Lowcore.RESTART_OLD_PSW, Lowcore.RESTART_NEW_PSW);
            }
            return;
        }
        long from = emergencyFrom.get();
        if (from != 0) {
            int cpu = Long.numberOfTrailingZeros(from);
            if (external(vcpu, sd, secure, 0x1201, cpu, 0, 1L << 14)) {
                emergencyFrom.getAndUpdate(bits -> bits & ~(1L << cpu));
            }
            return;
        }
        int caller = externalCallFrom;
        if (caller >= 0) {
            if (external(vcpu, sd, secure, 0x1202, caller, 0, 1L << 13)) {
                externalCallFrom = -1;
            }
            return;
        }
        long service = vm.floating.serviceSignal.get();
        if (Floating.deliverable(service, secure && vm.serviceIrqMasked) && vm.floating.serviceSignal.compareAndSet(service, -1)
                && !external(vcpu, sd, secure, 0x2401, 0, service, 1L << 9)) {
            vm.floating.post(service); // not enabled: pending again, merged with one that came meanwhile
        }
    }

    /** An external interruption, if the guest is enabled for it (else SIE is asked for an exit). */
    private boolean external(KvmVcpu vcpu, SieControlBlock sd, boolean secure, int code, int cpu, long param,
            long subclass) {
        long mask = sd.u64(GPSW);
        boolean enabled = (mask & PSW_EXT) != 0 && (secure || (sd.u64(GCR) & subclass) != 0);
        if (!enabled) {
            sd.orFlags(CPUSTAT_EXT_INT);
            return false;
        }
        sd.clearFlags(CPUSTAT_EXT_INT);
        if (secure) {
            sd.put8(IICTL, IICTL_EXT);
            sd.put16(EIC, code);
            sd.put16(EXTCPUADDR, cpu);
            sd.put32(EIPARAMS, (int) param);
        } else {
            store(vcpu, sd, Lowcore.EXT_CODE, code, 2);
            store(vcpu, sd, Lowcore.EXT_CPU_ADDR, cpu, 2);
            store(vcpu, sd, Lowcore.EXT_PARAM, param, 4);
            swap(vcpu, sd, Lowcore.EXT_OLD_PSW, Lowcore.EXT_NEW_PSW);
        }
        return true;
    }

    /** Whether the guest PSW is enabled for any interruption (else a wait is a disabled wait). */
    static boolean enabled(long pswMask) {
        return (pswMask & (PSW_EXT | PSW_IO | PSW_MCHK)) != 0;
    }

    private static void store(KvmVcpu vcpu, SieControlBlock sd, int lowcore, long value, int len) {
        Gaccess.writeUnsigned(vcpu.vm, "interrupt", sd.prefix() + lowcore, value, len);
    }

    /** Old PSW to the lowcore, new PSW from it into the SIE block's guest PSW. */
    private static void swap(KvmVcpu vcpu, SieControlBlock sd, int oldOff, int newOff) {
        long prefix = sd.prefix();
        Gaccess.writeUnsigned(vcpu.vm, "interrupt", prefix + oldOff, sd.u64(GPSW), 8);
        Gaccess.writeUnsigned(vcpu.vm, "interrupt", prefix + oldOff + 8, sd.u64(GPSW + 8), 8);
        sd.put64(GPSW, Gaccess.readLong(vcpu.vm, "interrupt", prefix + newOff));
        sd.put64(GPSW + 8, Gaccess.readLong(vcpu.vm, "interrupt", prefix + newOff + 8));
    }
}
