package org.pvsim.vmm;

import java.util.List;
import org.pvsim.kvm.KvmVcpu;
import org.pvsim.vmm.GuestMachine.CpuReset;

/**
 * Reboot handling, as QEMU's s390_machine_reset by reset type: a reset that keeps the guest protected
 * (diag 308 subcodes 0 and 1 from a protected guest: prepare the reset, reset the CPUs, load again from the
 * SE header), a re-IPL (subcode 3 or 4, or 0/1 from a normal guest: leave protected mode, reset every CPU,
 * load the image again and IPL it as a normal guest, whose stage3a may enter protected mode anew), and the
 * CPU resets that start a protected boot.
 */
final class Reboot {
    private final GuestMachine m;
    private final PvTransition pv;
    private int count;

    Reboot(GuestMachine m, PvTransition pv) {
        this.m = m;
        this.pv = pv;
    }

    /** Reboots so far. */
    int count() {
        return count;
    }

    /**
     * Subcodes 0 (modified clear) and 1 (load normal) of a protected guest: every CPU stopped, UNSHARE_ALL,
     * PREP_RESET; then subcode 0 clear-resets every CPU, subcode 1 resets the others normally and the
     * initiator initially; the IPL CPU is loaded (the UV takes the PSW from the SE header) and operating.
     */
    void protectedReset(KvmVcpu initiator, boolean clear) {
        count++;
        pv.prepareReset();
        for (KvmVcpu v : m.vcpus) {
            m.cpuReset(v, clear ? CpuReset.CLEAR : v == initiator ? CpuReset.INITIAL : CpuReset.NORMAL);
        }
        loadProtected(m.vcpus.get(0));
    }

    /** A re-IPL: out of protected mode first (CPU clear resets must come after unprotect), then every CPU reset. */
    void reipl() {
        count++;
        if (m.isProtected()) {
            pv.unprotect();
        }
        for (KvmVcpu v : m.vcpus) {
            m.cpuReset(v, CpuReset.CLEAR);
        }
    }

    /** Before a protected boot: a full reset of every CPU but the initiator, a normal reset of the initiator. */
    void beforeProtect(KvmVcpu initiator) {
        List<KvmVcpu> all = m.vcpus;
        for (KvmVcpu v : all) {
            if (v != initiator) {
                m.cpuReset(v, CpuReset.CLEAR);
            }
        }
        m.cpuReset(initiator, CpuReset.NORMAL);
    }

    /** load_normal of a protected CPU: "firmware requires us to set the load state before operating". */
    void loadProtected(KvmVcpu cpu) {
        m.setMpState(cpu, org.pvsim.kvm.KvmUapi.KVM_MP_STATE_LOAD);
        m.setMpState(cpu, org.pvsim.kvm.KvmUapi.KVM_MP_STATE_OPERATING);
    }
}
