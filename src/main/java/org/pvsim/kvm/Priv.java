package org.pvsim.kvm;

import static org.pvsim.machine.SieBlock.*;

/**
 * Privileged-instruction interceptions (arch/s390/kvm/priv.c, and the PV notifications of intercept.c).
 * In the kernel: SET/STORE PREFIX and STORE CPU ADDRESS of a normal guest, the prefix notification of a
 * protected one (new prefix in the SIDA), the SERVC notification that unmasks service signals, STSI function code 0, and the
 * first storage-key instruction (keys enabled: the SIE interprets them from then on). SERVC itself, the other
 * STSI function codes and anything unknown go to user space; SIE and UVC in a normal guest are operation
 * exceptions (no nested virtualization, no Ultravisor for it).
 */
final class Priv {
    private Priv() {
    }

    static Intercept.Next handle(KvmVcpu vcpu, SieControlBlock sd, KvmRun run, boolean secure, int icpt, int ipa) {
        int ipb = sd.u32(IPB);
        long[] gr = run.gprs;
        int b2 = Intercept.field(ipb, 28);
        long operand = ((b2 == 0 ? 0 : gr[b2]) + (ipb >>> 16 & 0xfff)) & 0x7fffffffffffffffL;
        if (icpt == ICPT_PV_NOTIFICATION) {
            return notification(vcpu, sd, ipa);
        }
        switch (ipa) {
            case 0xb210 -> { // SPX
                if ((operand & 3) != 0) {
                    vcpu.injectProgram(0x06, 4);
                } else {
                    byte[] b = new byte[4];
                    if (!Gaccess.read(vcpu.vm, "SPX", Gaccess.realToAbsolute(operand, sd.prefix()), b)) {
                        vcpu.injectProgram(0x05, 4);
                    } else {
                        sd.setPrefix(java.nio.ByteBuffer.wrap(b).getInt() & 0x7fffe000L);
                    }
                }
                return Intercept.Next.REENTER;
            }
            case 0xb211 -> { // STPX
                if ((operand & 3) != 0) {
                    vcpu.injectProgram(0x06, 4);
                } else if (!Gaccess.write(vcpu.vm, "STPX", Gaccess.realToAbsolute(operand, sd.prefix()),
                        java.nio.ByteBuffer.allocate(4).putInt((int) sd.prefix()).array())) {
                    vcpu.injectProgram(0x05, 4);
                }
                return Intercept.Next.REENTER;
            }
            case 0xb212 -> { // STAP (handle_store_cpu_address): the CPU address is the vCPU id
                if ((operand & 1) != 0) {
                    vcpu.injectProgram(0x06, 4);
                } else if (!Gaccess.write(vcpu.vm, "STAP", Gaccess.realToAbsolute(operand, sd.prefix()),
                        java.nio.ByteBuffer.allocate(2).putShort((short) vcpu.id).array())) {
                    vcpu.injectProgram(0x05, 4);
                }
                return Intercept.Next.REENTER;
            }
            case 0xb27d -> { // STSI: function code 0 answers the current configuration level (3: a VM)
                if ((gr[0] >>> 28 & 0xf) == 0) {
                    gr[0] = gr[0] & ~0xffffffffL | 3L << 28;
                    Intercept.setCc(sd, 0);
                    return Intercept.Next.REENTER;
                }
                return Intercept.Next.TO_USER;
            }
            case 0xb229, 0xb22a, 0xb22b -> { // ISKE, RRBE, SSKE: enable storage keys, run it again
                sd.put32(ICTL, sd.u32(ICTL) & ~(ICTL_ISKE | ICTL_SSKE | ICTL_RRBE));
                Intercept.retry(sd, ipa);
                return Intercept.Next.REENTER;
            }
            case 0xb214, 0xb9a4 -> {
                vcpu.injectProgram(0x01, 4);
                return Intercept.Next.REENTER;
            }
            default -> {
                return Intercept.Next.TO_USER;
            }
        }
    }

    /** PV notifications (handle_pv_notification): state the UV changed already; no exception may follow. */
    private static Intercept.Next notification(KvmVcpu vcpu, SieControlBlock sd, int ipa) {
        switch (ipa) {
            case 0xb210 -> sd.setPrefix(vcpu.sidaWord() & 0x7fffe000L); // handle_pv_spx
            case 0xb220 -> vcpu.vm.serviceIrqMasked = false; // handle_pv_sclp: service signals may come now
            case 0xb9a4 -> vcpu.unpinShared(); // handle_pv_uvc
            default -> {
                return Intercept.Next.TO_USER;
            }
        }
        return Intercept.Next.REENTER;
    }
}
