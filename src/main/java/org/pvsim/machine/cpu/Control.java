package org.pvsim.machine.cpu;

import static org.pvsim.machine.cpu.Attribute.PRIVILEGED;
import static org.pvsim.machine.cpu.Format.*;

import org.pvsim.machine.Lowcore;
import org.pvsim.machine.ProgramInterruption;
import org.pvsim.machine.storage.Storage;

/**
 * Control and system instructions a small kernel needs: PSW and control-register loads and stores,
 * prefix, CPU identification, facility list, clocks and timers, DIAGNOSE, STSI, SERVC and UVC.
 */
final class Control {
    private Control() {
    }

    static void register(Decoder d) {
        d.addControl(0xb2b2, "lpswe", S, (c, i) -> {
            long a = c.ea(i.b2, i.d2);
            if ((a & 7) != 0) {
                throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
            }
            long mask = c.load64(a);
            long addr = c.load64((a + 8) & c.amask);
            c.setPsw(mask, addr); // a format error is recognized once it is active (Cpu#setPsw)
        }, PRIVILEGED);
        d.addControl(0x8200, "lpsw", S, (c, i) -> {
            long a = c.ea(i.b2, i.d2);
            if ((a & 7) != 0) {
                throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
            }
            Psw p = Psw.fromShort(c.load64(a));
            if (p == null) { // bit 12 zero: LPSW may recognize it before loading, and does
                throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
            }
            c.setPsw(p.mask(), p.address());
        }, PRIVILEGED);
        d.addControl(0x8000, "ssm", S, (c, i) -> {
            int sm = c.load8(c.ea(i.b2, i.d2));
            if ((sm & 0xb8) != 0) { // bits 0 and 2-4 must be zero
                throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
            }
            c.setSystemMask(sm);
        }, PRIVILEGED);
        d.addControl(0xad00, "stosm", SI, (c, i) -> {
            int old = (int) (c.pswMask >>> 56) & 0xff;
            c.store8(c.ea(i.b1, i.d1), old);
            int sm = old | ((int) i.i2 & 0xff);
            if ((sm & 0xb8) != 0) {
                throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
            }
            c.setSystemMask(sm);
        }, PRIVILEGED);
        d.addControl(0xac00, "stnsm", SI, (c, i) -> {
            int old = (int) (c.pswMask >>> 56) & 0xff;
            c.store8(c.ea(i.b1, i.d1), old);
            c.setSystemMask(old & (int) i.i2);
        }, PRIVILEGED);
        d.addControl(0xb222, "ipm", RRE, (c, i) -> c.gr[i.r1] = (c.gr[i.r1] & 0xffffffff00ffffffL)
                | ((long) (c.cc << 4 | (int) (c.pswMask >>> 40) & 0xf) << 24));
        d.addControl(0x0400, "spm", RR, (c, i) -> {
            long v = c.gr[i.r1];
            c.cc = (int) (v >>> 28) & 3;
            c.pswMask = (c.pswMask & ~Psw.PROGRAM_MASK) | ((v >>> 24) & 0xfL) << 40;
        });
        d.addControl(0xb98d, "epsw", RRE, (c, i) -> {
            long full = c.pswMask | (long) c.cc << Psw.CC_SHIFT;
            FixedPoint.set32(c, i.r1, full >>> 32);
            if (i.r2 != 0) {
                FixedPoint.set32(c, i.r2, full);
            }
        });
        d.addControl(0x010c, "sam24", E, (c, i) -> setAddressingMode(c, 0));
        d.addControl(0x010d, "sam31", E, (c, i) -> setAddressingMode(c, Psw.BA));
        d.addControl(0x010e, "sam64", E, (c, i) -> setAddressingMode(c, Psw.BA | Psw.EA));
        d.addControl(0x010b, "tam", E, (c, i) -> c.cc = c.amask == -1L ? 3 : c.amask == 0x7fffffffL ? 1 : 0);
        // control registers
        d.addControl(0xeb2f, "lctlg", RSY, (c, i) -> {
            long a = c.ea(i.b2, i.d2);
            if ((a & 7) != 0) {
                throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
            }
            int n = ((i.r3 - i.r1) & 15) + 1;
            c.checkRead(a, 8L * n);
            long[] before = c.cr.clone();
            for (int k = 0; k < n; k++) {
                c.cr[(i.r1 + k) & 15] = c.load64((a + 8L * k) & c.amask);
            }
            c.controlRegistersLoaded(before);
            c.endSlice();
        }, PRIVILEGED);
        d.addControl(0xb700, "lctl", RS, (c, i) -> {
            long a = c.ea(i.b2, i.d2);
            if ((a & 3) != 0) {
                throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
            }
            int n = ((i.r3 - i.r1) & 15) + 1;
            c.checkRead(a, 4L * n);
            long[] before = c.cr.clone();
            for (int k = 0; k < n; k++) {
                int r = (i.r1 + k) & 15;
                c.cr[r] = (c.cr[r] & 0xffffffff00000000L) | (c.load32((a + 4L * k) & c.amask) & 0xffffffffL);
            }
            c.controlRegistersLoaded(before);
            c.endSlice();
        }, PRIVILEGED);
        d.addControl(0xeb25, "stctg", RSY, (c, i) -> {
            long a = c.ea(i.b2, i.d2);
            if ((a & 7) != 0) {
                throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
            }
            int n = ((i.r3 - i.r1) & 15) + 1;
            c.checkWrite(a, 8L * n);
            for (int k = 0; k < n; k++) {
                c.store64((a + 8L * k) & c.amask, c.cr[(i.r1 + k) & 15]);
            }
        }, PRIVILEGED);
        d.addControl(0xb600, "stctl", RS, (c, i) -> {
            long a = c.ea(i.b2, i.d2);
            if ((a & 3) != 0) {
                throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
            }
            int n = ((i.r3 - i.r1) & 15) + 1;
            c.checkWrite(a, 4L * n);
            for (int k = 0; k < n; k++) {
                c.store32((a + 4L * k) & c.amask, (int) c.cr[(i.r1 + k) & 15]);
            }
        }, PRIVILEGED);
        // prefix and identification
        d.addControl(0xb210, "spx", S, (c, i) -> {
            long a = c.ea(i.b2, i.d2);
            if ((a & 3) != 0) {
                throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
            }
            long p = c.load32(a) & 0x7fffe000L;
            if (p + Lowcore.SIZE > c.storage.size()) {
                throw new ProgramInterruption(ProgramInterruption.ADDRESSING, p);
            }
            c.prefix = p;
            c.flushTlb();
        }, PRIVILEGED);
        d.addControl(0xb211, "stpx", S, (c, i) -> {
            long a = c.ea(i.b2, i.d2);
            if ((a & 3) != 0) {
                throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
            }
            c.store32(a, (int) c.prefix);
        }, PRIVILEGED);
        d.addControl(0xb212, "stap", S, (c, i) -> {
            long a = c.ea(i.b2, i.d2);
            if ((a & 1) != 0) {
                throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
            }
            c.store16(a, c.cpuAddress);
        }, PRIVILEGED);
        d.addControl(0xb202, "stidp", S, (c, i) -> {
            long a = c.ea(i.b2, i.d2);
            if ((a & 7) != 0) {
                throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
            }
            // version 0, CPU identification 0x0c0000 + address, machine type 0x3931, format-1 bit
            c.store64(a, (0x0c0000L + c.cpuAddress) << 32 | 0x3931L << 16 | 0x8000L);
        }, PRIVILEGED);
        d.addControl(0xb2b1, "stfl", S, (c, i) -> {
            c.absStore(c.prefix + Lowcore.STFL, c.machine.facilities().word(0) >>> 32, 4);
        }, PRIVILEGED);
        d.addControl(0xb2b0, "stfle", S, (c, i) -> {
            long a = c.ea(i.b2, i.d2);
            if ((a & 7) != 0) {
                throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
            }
            Facilities f = c.machine.facilities();
            int room = (int) (c.gr[0] & 0xff) + 1;
            int need = f.words();
            c.checkWrite(a, 8L * Math.min(room, need));
            for (int k = 0; k < Math.min(room, need); k++) {
                c.store64((a + 8L * k) & c.amask, f.word(k));
            }
            c.gr[0] = (c.gr[0] & ~0xffL) | (need - 1);
            c.cc = room >= need ? 0 : 3;
        });
        registerClocks(d);
        registerServices(d);
    }

    private static void setAddressingMode(Cpu c, long bits) {
        long newMask = (c.pswMask & ~(Psw.EA | Psw.BA)) | bits;
        if ((c.ia & ~Psw.addressMask(newMask)) != 0) {
            throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
        }
        c.setPsw(newMask | (long) c.cc << Psw.CC_SHIFT, c.ia);
    }

    private static long aligned8(Cpu c, Insn i) {
        long a = c.ea(i.b2, i.d2);
        if ((a & 7) != 0) {
            throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
        }
        return a;
    }

    private static void registerClocks(Decoder d) {
        d.addControl(0xb205, "stck", S, (c, i) -> {
            c.store64(c.ea(i.b2, i.d2), c.machine.clocks().tod());
            c.cc = 0;
        });
        d.addControl(0xb27c, "stckf", S, (c, i) -> {
            c.store64(c.ea(i.b2, i.d2), c.machine.clocks().tod());
            c.cc = 0;
        });
        d.addControl(0xb278, "stcke", S, (c, i) -> {
            long a = c.ea(i.b2, i.d2);
            long t = c.machine.clocks().tod();
            c.checkWrite(a, 16);
            c.store8(a, 0); // epoch index
            c.store64((a + 1) & c.amask, t);
            c.store32((a + 9) & c.amask, 0);
            c.store16((a + 13) & c.amask, 0);
            c.store8((a + 15) & c.amask, 0);
            c.cc = 0;
        });
        d.addControl(0xb204, "sck", S, (c, i) -> {
            c.machine.clocks().set(c.load64(aligned8(c, i)));
            c.cc = 0;
        }, PRIVILEGED);
        d.addControl(0xb208, "spt", S, (c, i) -> {
            c.machine.clocks().setCpuTimer(c.timers, c.load64(aligned8(c, i)));
            c.endSlice();
        }, PRIVILEGED);
        d.addControl(0xb209, "stpt", S, (c, i) -> {
            c.store64(aligned8(c, i), c.machine.clocks().cpuTimer(c.timers));
        }, PRIVILEGED);
        d.addControl(0xb206, "sckc", S, (c, i) -> {
            c.timers.clockComparator = c.load64(aligned8(c, i));
            c.endSlice();
        }, PRIVILEGED);
        d.addControl(0xb207, "stckc", S, (c, i) -> {
            c.store64(aligned8(c, i), c.timers.clockComparator);
        }, PRIVILEGED);
    }

    private static void registerServices(Decoder d) {
        d.addControl(0x8300, "diag", RS, (c, i) -> {
            int function = (int) c.ea(i.b2, i.d2) & 0xffff;
            DiagnoseHandler h = c.machine.diagnoseHandler();
            if (h != null && h.diagnose(c, function, i.r1, i.r3)) {
                c.endSlice();
                return;
            }
            switch (function) {
                case 0x44, 0x9c -> c.endSlice(); // yield: let the other CPUs run
                case 0x288 -> {
                    c.machine.watchdog().diagnose(c, i.r1, i.r3, c.machine.clocks().tod());
                    c.endSlice();
                }
                case 0x308 -> {
                    c.machine.iplDiagnose().diagnose(c, i.r1, i.r3);
                    c.endSlice();
                }
                default -> throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
            }
        }, PRIVILEGED);
        d.addControl(0xb27d, "stsi", S, SystemInformation::stsi, PRIVILEGED);
        d.addControl(0xb220, "servc", RRE, (c, i) -> {
            long abs = ServiceCallChecks.sccbAbsolute(c, c.gr[i.r2]);
            int command = (int) c.gr[i.r1];
            if (c.machine.serviceCallBusy()) {
                c.cc = 2; // busy: the previous request's service signal has not been taken yet
                return;
            }
            c.cc = c.machine.sclp().serviceCall(command, abs);
            c.endSlice();
        }, PRIVILEGED);
        d.addControl(0xb214, "sie", S, (c, i) -> {
            SieHandler h = c.machine.sieHandler();
            if (h == null) {
                throw new ProgramInterruption(ProgramInterruption.OPERATION);
            }
            h.sie(c, c.ea(i.b2, i.d2));
        }, PRIVILEGED);
        d.addControl(0xb9a4, "uvc", RRF, (c, i) -> {
            // RRF-c: R1, R2 and I3 (in the M field position 16-19 = r3)
            UvcHandler h = c.machine.uvcHandler();
            if (h == null || !c.machine.facilities().has(Facilities.ULTRAVISOR_CALL)) {
                throw new ProgramInterruption(ProgramInterruption.OPERATION);
            }
            if (i.r3 != 0) {
                throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
            }
            long uvcb = c.gr[i.r2] & c.amask;
            c.cc = h.call(c.dat.uvcbAbsolute(uvcb), c.domain);
            c.flushTlb(); // the UV changes frame ownership and clears frames
            c.machine.framesReplaced();
        }, PRIVILEGED);
    }
}
