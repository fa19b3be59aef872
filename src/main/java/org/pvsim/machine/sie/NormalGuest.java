package org.pvsim.machine.sie;

import static org.pvsim.machine.SieBlock.*;

import org.pvsim.machine.ProgramInterruption;
import org.pvsim.machine.cpu.Cpu;
import org.pvsim.machine.cpu.GuestExit;
import org.pvsim.machine.cpu.GuestMode;
import org.pvsim.machine.cpu.Insn;
import org.pvsim.machine.cpu.InterceptionHook;
import org.pvsim.machine.storage.HostDat;
import org.pvsim.machine.storage.Storage;

/**
 * A format-2 guest: absolute storage is host virtual storage from MSO up to MSL (when the host set a
 * limit), translated by the host's DAT tables; the instructions KVM emulates are intercepted (code 4),
 * the others interpreted. Intercepted: DIAGNOSE, SIGP, SERVC, STSI, SPX, STPX, STAP (the CPU address is the
 * host's: KVM's vCPU id), SIE, UVC, and the
 * storage-key instructions and TPROT when the SD's ictl asks for them.
 */
final class NormalGuest implements GuestMode, InterceptionHook {
    private final Storage storage;
    private final StateDescription sd;
    private final long asce;
    private final long mso;
    private final long msl;
    private final int ictl;

    NormalGuest(Storage storage, StateDescription sd, long asce) {
        this.storage = storage;
        this.sd = sd;
        this.asce = asce;
        this.mso = sd.u64(MSO);
        this.msl = sd.u64(MSL);
        this.ictl = sd.u32(ICTL);
    }

    @Override
    public long hostFrame(long abs, long logical) {
        long vaddr = abs + mso;
        if (abs < 0 || (msl != 0 && Long.compareUnsigned(vaddr, msl) > 0)) {
            throw new ProgramInterruption(ProgramInterruption.ADDRESSING, logical);
        }
        long a = HostDat.translate(storage, asce, vaddr);
        if (a < 0) {
            throw ProgramInterruption.inHost((int) -a, vaddr);
        }
        return a >>> Storage.PAGE_SHIFT;
    }

    @Override
    public boolean intercept(Cpu cpu, Insn in) {
        if (!intercepted(in.bits)) {
            return false;
        }
        cpu.privileged(); // a problem-state guest gets the exception itself, before any interception
        throw new GuestExit(Interception.instruction(ICPT_INSTRUCTION, in.bits));
    }

    private boolean intercepted(long bits) {
        int op = (int) (bits >>> 56) & 0xff;
        int op2 = (int) (bits >>> 48) & 0xff;
        return switch (op) {
            case 0x83, 0xae -> true; // DIAGNOSE, SIGNAL PROCESSOR
            case 0xb2 -> switch (op2) {
                case 0x10, 0x11, 0x12, 0x14, 0x20, 0x7d -> true; // SPX, STPX, STAP, SIE, SERVC, STSI
                case 0x29 -> (ictl & ICTL_ISKE) != 0;
                case 0x2b -> (ictl & ICTL_SSKE) != 0;
                case 0x2a -> (ictl & ICTL_RRBE) != 0;
                default -> false;
            };
            case 0xb9 -> op2 == 0xa4; // UVC: a normal guest has no Ultravisor of its own
            case 0xe5 -> op2 == 0x01 && (ictl & ICTL_TPROT) != 0;
            default -> false;
        };
    }

    @Override
    public void programInterruption(Cpu cpu, int code, int ilc) {
        if (code == ProgramInterruption.OPERATION && (ictl & ICTL_OPEREXC) != 0) {
            throw exit(ICPT_OPERATION_EXCEPTION, code, ilc);
        }
        if ((ictl & ICTL_PINT) != 0) {
            throw exit(ICPT_PROGRAM, code, ilc);
        }
    }

    @Override
    public GuestExit invalidNewPsw(Cpu cpu, String what) {
        return exit(ICPT_PROGRAM, ProgramInterruption.SPECIFICATION, 0);
    }

    /** An intercepted program interruption: its code and ILC in the SD, for the host to present. */
    private GuestExit exit(int icpt, int code, int ilc) {
        sd.put16(IPRCC, code);
        sd.put16(PGMILC, ilc);
        return new GuestExit(Interception.of(icpt));
    }
}
