package org.pvsim.kvm;

import org.pvsim.machine.Lowcore;

import static org.pvsim.machine.SieBlock.*;

/**
 * SIE interception handling (arch/s390/kvm/intercept.c): dispatch by interception code. A handler either
 * resolves the exit in the kernel (the vCPU re-enters SIE) or hands it to user space as
 * KVM_EXIT_S390_SIEIC / KVM_EXIT_S390_RESET, as kvm_handle_sie_intercept's -EOPNOTSUPP / -EREMOTE do.
 */
final class Intercept {
    /** What the run loop does after a handler. */
    enum Next { REENTER, TO_USER }

    private Intercept() {
    }

    /** Context: vcpu->mutex held, just after SIE returned. */
    static Next handle(KvmVcpu vcpu, SieControlBlock sd, KvmRun run, boolean secure) {
        int code = sd.u8(ICPTCODE);
        int ipa = sd.u16(IPA);
        vcpu.vm.kvm.counters.exit(code);
        return switch (code) {
            case ICPT_NONE, ICPT_EXTERNAL_REQUEST, ICPT_IO_REQUEST -> Next.REENTER;
            case ICPT_INSTRUCTION, ICPT_PV_INSTRUCTION, ICPT_PV_NOTIFICATION -> instruction(vcpu, sd, run, secure, code, ipa);
            case ICPT_PROGRAM -> program(vcpu, sd, secure);
            case ICPT_WAIT -> vcpu.handleWait(sd, secure);
            case ICPT_VALIDITY -> throw new KvmException("KVM_RUN", Errno.EINVAL, String.format(
                    "validity intercept for vCPU %d, reason 0x%04x", vcpu.id, sd.u32(IPB) >>> 16));
            case ICPT_STOP -> {
                sd.clearFlags(CPUSTAT_STOP_INT);
                yield Next.REENTER; // a kick: the run loop looks at the request that caused it
            }
            case ICPT_OPERATION_EXCEPTION -> {
                vcpu.injectProgram(0x01, ilc(ipa));
                yield Next.REENTER;
            }
            case ICPT_PV_PREFIX -> {
                vcpu.importPrefixPages(sd.prefix());
                yield Next.REENTER;
            }
            default -> Next.TO_USER;
        };
    }

    private static Next instruction(KvmVcpu vcpu, SieControlBlock sd, KvmRun run, boolean secure, int code, int ipa) {
        int op = ipa >>> 8;
        if (op == 0x83) {
            return Diag.handle(vcpu, sd, run, secure, code);
        }
        if (op == 0xae) {
            return Sigp.handle(vcpu, sd, run);
        }
        if (op == 0xb2 || ipa == 0xb9a4) {
            return Priv.handle(vcpu, sd, run, secure, code, ipa);
        }
        return Next.TO_USER;
    }

    /**
     * Intercepted program interruption: for a protected vCPU a loop of specification exceptions, which
     * KVM cannot resolve (-EOPNOTSUPP); for a normal one, presented to the guest unless its program new PSW
     * is itself invalid (the guest would loop for ever: user space decides, as QEMU's handle_oper_loop).
     */
    private static Next program(KvmVcpu vcpu, SieControlBlock sd, boolean secure) {
        if (secure) {
            return Next.TO_USER;
        }
        int pic = sd.u16(IPRCC);
        long newMask = Gaccess.readLong(vcpu.vm, "KVM_RUN", sd.prefix() + Lowcore.PGM_NEW_PSW);
        if ((newMask & 0x0008000000000000L) != 0 && pic == 0x06) { // bit 12 set: an invalid new PSW
            return Next.TO_USER;
        }
        vcpu.injectProgram(pic, sd.u16(PGMILC));
        return Next.REENTER;
    }

    /** The instruction length code of an instruction from its first opcode byte. */
    static int ilc(int ipa) {
        int b = ipa >>> 8;
        return b < 0x40 ? 2 : b < 0xc0 ? 4 : 6;
    }

    /** Sets the guest's condition code in the SIE block's PSW (kvm_s390_set_psw_cc). */
    static void setCc(SieControlBlock sd, int cc) {
        sd.put64(GPSW, sd.u64(GPSW) & ~(3L << 44) | (long) (cc & 3) << 44);
    }

    /** Rewinds the guest PSW by the intercepted instruction's length, so that SIE runs it again. */
    static void retry(SieControlBlock sd, int ipa) {
        sd.put64(GPSW + 8, sd.u64(GPSW + 8) - ilc(ipa));
    }

    /** The guest register a parcel of the instruction names (r1 of IPA, b2 of IPB...). */
    static int field(int value, int shift) {
        return value >>> shift & 0xf;
    }
}
