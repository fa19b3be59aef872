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
            case 0xb27d -> {
                return stsi(vcpu, sd, gr, secure, operand);
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

    /**
     * STSI (handle_stsi). Function code 0 answers the current configuration level, 3 (a virtual machine).
     * 3.2.2 is the kernel's own (handle_stsi_3_2_2): this VM as the first and only entry, "KVMguest" with
     * control program "KVM/Linux", its vCPUs all configured; it goes to the guest's operand page, or for a
     * protected vCPU into the SIDA (the UV copies it); then cc 0 and GR0 = 0, as the kernel leaves them.
     * Function codes 1 and 2 are the host's own SYSIBs, which Linux stores with its own STSI: pvsim's host
     * kernel has no CPU to execute one, so they answer cc 3 (not available), as every other selector does.
     * Exceptions: reserved bits of GR0/GR1, or a normal guest's unaligned operand: specification; an
     * operand outside guest memory: addressing.
     */
    private static Intercept.Next stsi(KvmVcpu vcpu, SieControlBlock sd, long[] gr, boolean secure, long operand) {
        int fc = (int) (gr[0] >>> 28) & 0xf;
        if ((gr[0] & 0x0fffff00L) != 0 || (gr[1] & 0xffff0000L) != 0) {
            vcpu.injectProgram(0x06, 4);
            return Intercept.Next.REENTER;
        }
        if (fc == 0) {
            gr[0] = gr[0] & ~0xffffffffL | 3L << 28;
            Intercept.setCc(sd, 0);
            return Intercept.Next.REENTER;
        }
        if (!secure && (operand & 0xfff) != 0) {
            vcpu.injectProgram(0x06, 4);
            return Intercept.Next.REENTER;
        }
        if (fc != 3 || (gr[0] & 0xff) != 2 || (gr[1] & 0xffff) != 2) {
            Intercept.setCc(sd, 3);
            return Intercept.Next.REENTER;
        }
        byte[] sysib = sysib322(vcpu.vm.vcpus().size());
        if (secure) {
            vcpu.writeSida("STSI", sysib);
        } else if (!Gaccess.write(vcpu.vm, "STSI", Gaccess.realToAbsolute(operand, sd.prefix()), sysib)) {
            vcpu.injectProgram(0x05, 4);
            return Intercept.Next.REENTER;
        }
        gr[0] &= ~0xffffffffL;
        Intercept.setCc(sd, 0);
        return Intercept.Next.REENTER;
    }

    /** SYSIB 3.2.2 with one virtual machine (sysinfo_3_2_2: count at 31, 64-byte entries from 32). */
    static byte[] sysib322(int cpus) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4096);
        b.put(31, (byte) 1);
        b.putShort(32 + 4, (short) cpus).putShort(32 + 6, (short) cpus); // total, configured (standby, reserved 0)
        b.put(32 + 12, EBCDIC.encode("KVMguest").array(), 0, 8);
        b.putInt(32 + 20, 1000); // capability-adjustment factor
        b.put(32 + 24, EBCDIC.encode("KVM/Linux       ").array(), 0, 16);
        return b.array();
    }

    private static final java.nio.charset.Charset EBCDIC = java.nio.charset.Charset.forName("IBM037");

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
