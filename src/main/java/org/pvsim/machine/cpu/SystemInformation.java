package org.pvsim.machine.cpu;

import org.pvsim.machine.ProgramInterruption;

/**
 * STORE SYSTEM INFORMATION, basic form. Bits 0-31 of general registers 0 and 1 are ignored; bits 36-55
 * of R0 and 32-47 of R1 must be zero. Function code 0 reports the current configuration level: 2 for the
 * machine's own configuration (a logical partition), 3 when the machine presents itself as a virtual
 * machine in one ({@link Machine#setGuestConfiguration}). Stored: 1.1.1 (basic machine), 1.2.2 (its
 * CPUs), 2.2.2 (the LPAR) and, at level 3, 3.2.2 (the virtual machine); a level above the current one,
 * or any other selector, answers cc 3 (not available). The SYSIB layouts are those of the architecture
 * (as Linux's asm/sysinfo.h declares them).
 */
final class SystemInformation {
    private SystemInformation() {
    }

    static final int LEVEL_LPAR = 2;
    static final int LEVEL_VM = 3;
    /** Capability-adjustment factor the SYSIBs report (the hypervisors' customary value). */
    static final int CAF = 1000;

    static void stsi(Cpu c, Insn i) {
        long r0 = c.gr[0];
        long r1 = c.gr[1];
        int fc = (int) (r0 >>> 28) & 0xf;
        int sel1 = (int) r0 & 0xff;
        int sel2 = (int) r1 & 0xffff;
        if ((r0 & 0x0fffff00L) != 0 || (r1 & 0xffff0000L) != 0) {
            throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
        }
        String vm = c.machine.guestConfiguration();
        int level = vm == null ? LEVEL_LPAR : LEVEL_VM;
        if (fc == 0) {
            c.gr[0] = (c.gr[0] & 0xffffffff0fffffffL) | (long) level << 28;
            c.cc = 0;
            return;
        }
        long a = c.ea(i.b2, i.d2);
        if ((a & 0xfff) != 0) {
            throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
        }
        int selector = fc << 8 | sel1 << 4 | sel2;
        if (fc > level || (sel1 > 0xf || sel2 > 0xf)
                || (selector != 0x111 && selector != 0x122 && selector != 0x222 && selector != 0x322)) {
            c.cc = 3;
            return;
        }
        c.checkWrite(a, 4096);
        for (int k = 0; k < 256; k++) {
            c.store64((a + 8L * k) & c.amask, 0);
        }
        int cpus = c.machine.cpus().size();
        switch (selector) {
            case 0x111 -> {
                ebcdic(c, a + 32, "IBM", 16);       // manufacturer
                ebcdic(c, a + 48, "3931", 4);       // type
                ebcdic(c, a + 64, "A01", 16);       // model capacity identifier
                ebcdic(c, a + 80, "PVSIM", 16);     // sequence code
                ebcdic(c, a + 96, "02", 4);         // plant
                ebcdic(c, a + 100, "A01", 16);      // model
            }
            case 0x122 -> {
                c.store32((a + 32) & c.amask, 0x100); // capability
                cpuCounts(c, a + 36, cpus);
            }
            case 0x222 -> {
                c.store16((a + 32) & c.amask, 1); // LPAR number
                cpuCounts(c, a + 36, cpus);
                ebcdic(c, a + 44, "PVSIM", 8);
                c.store32((a + 52) & c.amask, CAF);
            }
            default -> { // 3.2.2: one virtual machine, described in the first of the eight entries
                c.store8((a + 31) & c.amask, 1); // count
                long e = a + 32;
                cpuCounts(c, e + 4, cpus);
                ebcdic(c, e + 12, vm, 8);
                c.store32((e + 20) & c.amask, CAF);
                ebcdic(c, e + 24, "PVSIM", 16); // control-program identifier
            }
        }
        c.cc = 0;
    }

    /** Total, configured, standby and reserved CPUs: every CPU of the machine is configured. */
    private static void cpuCounts(Cpu c, long a, int cpus) {
        c.store16(a & c.amask, cpus);
        c.store16((a + 2) & c.amask, cpus);
        c.store16((a + 4) & c.amask, 0);
        c.store16((a + 6) & c.amask, 0);
    }

    private static void ebcdic(Cpu c, long a, String s, int width) {
        String padded = String.format("%-" + width + "s", s);
        byte[] e = org.pvsim.machine.sclp.Ebcdic.encode(padded.substring(0, width));
        for (int k = 0; k < width; k++) {
            c.store8((a + k) & c.amask, e[k]);
        }
    }
}
