package org.pvsim.kvm;

import static org.pvsim.machine.SieBlock.*;

/**
 * DIAGNOSE interceptions (arch/s390/kvm/diag.c). The function code is the second-operand address: base
 * register of IPB plus displacement (for a protected vCPU the UV normalised it to GR5 + 0). In the kernel:
 * 0x44 (time slice end) and 0x9c (directed yield) resume the guest; 0x308 subcodes 3 and 4 become
 * KVM_EXIT_S390_RESET for user space. Everything else (0x308's other subcodes, 0x288 watchdog, 0x500
 * virtio, 0x258 and unknown codes) goes to user space, which answers or injects the exception.
 */
final class Diag {
    private Diag() {
    }

    static Intercept.Next handle(KvmVcpu vcpu, SieControlBlock sd, KvmRun run, boolean secure, int icpt) {
        int ipa = sd.u16(IPA);
        int ipb = sd.u32(IPB);
        long[] gr = run.gprs;
        int b2 = Intercept.field(ipb, 28);
        long d2 = ipb >>> 16 & 0xfff;
        int code = (int) (((b2 == 0 ? 0 : gr[b2]) + d2) & 0xffff);
        vcpu.vm.kvm.counters.diagnose(code);
        switch (code) {
            case 0x44, 0x9c -> {
                return Intercept.Next.REENTER;
            }
            case 0x308 -> {
                long subcode = gr[Intercept.field(ipa, 0)] & 0xffff;
                if (!secure && (subcode == 3 || subcode == 4)) {
                    run.resetFlags = KvmRun.KVM_S390_RESET_SUBSYSTEM | KvmRun.KVM_S390_RESET_IPL
                            | KvmRun.KVM_S390_RESET_CPU_INIT | (subcode == 3 ? KvmRun.KVM_S390_RESET_CLEAR : 0);
                    run.exitReason = KvmRun.KVM_EXIT_S390_RESET;
                    vcpu.stopByKernel();
                    return Intercept.Next.TO_USER;
                }
                return Intercept.Next.TO_USER;
            }
            default -> {
                return Intercept.Next.TO_USER;
            }
        }
    }
}
