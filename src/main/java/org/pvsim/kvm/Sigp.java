package org.pvsim.kvm;

import static org.pvsim.machine.SieBlock.*;
import static org.pvsim.machine.SigpOrder.*;

/**
 * SIGNAL PROCESSOR interceptions (arch/s390/kvm/sigp.c): the kernel handles the fast orders (sense,
 * external call, emergency signal, conditional emergency signal, sense running) itself, setting the CC in
 * the guest PSW and the status in GR r1; the state-changing orders (start, stop, restart, stop and store
 * status, set prefix, store status, resets, set architecture) go to user space, which owns CPU state.
 */
final class Sigp {
    private Sigp() {
    }

    static Intercept.Next handle(KvmVcpu vcpu, SieControlBlock sd, KvmRun run) {
        int ipa = sd.u16(IPA);
        int ipb = sd.u32(IPB);
        long[] gr = run.gprs;
        int r1 = Intercept.field(ipa, 4);
        int r3 = Intercept.field(ipa, 0);
        int b2 = Intercept.field(ipb, 28);
        int order = (int) (((b2 == 0 ? 0 : gr[b2]) + (ipb >>> 16 & 0xfff)) & 0xff);
        int target = (int) (gr[r3] & 0xffff);
        KvmVcpu dest = vcpu.vm.vcpuById(target);
        if (order != SENSE && order != EXTERNAL_CALL && order != EMERGENCY_SIGNAL && order != CONDITIONAL_EMERGENCY_SIGNAL
                && order != SENSE_RUNNING_STATUS) {
            return Intercept.Next.TO_USER;
        }
        vcpu.vm.kvm.counters.sigp(order);
        if (dest == null) {
            Intercept.setCc(sd, 3); // not operational
            return Intercept.Next.REENTER;
        }
        switch (order) {
            case SENSE -> {
                if (dest.isStoppedRacy()) {
                    gr[r1] = gr[r1] & ~0xffffffffL | STATUS_STOPPED;
                    Intercept.setCc(sd, 1);
                } else {
                    Intercept.setCc(sd, 0);
                }
            }
            case SENSE_RUNNING_STATUS -> {
                gr[r1] = gr[r1] & ~0xffffffffL | STATUS_NOT_RUNNING;
                Intercept.setCc(sd, 1);
            }
            case EXTERNAL_CALL -> { // one pending at a time: a second is "external call pending", cc 1
                if (!dest.postExternalCall(vcpu.id)) {
                    gr[r1] = gr[r1] & ~0xffffffffL | STATUS_EXT_CALL_PENDING;
                    Intercept.setCc(sd, 1);
                } else {
                    Intercept.setCc(sd, 0);
                }
            }
            default -> { // emergency signals: pending at the target, which is kicked out of SIE to take it
                dest.postEmergency(vcpu.id);
                Intercept.setCc(sd, 0);
            }
        }
        return Intercept.Next.REENTER;
    }
}
