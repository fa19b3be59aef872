package org.pvsim.machine.cpu;

import org.pvsim.machine.ProgramInterruption;

/**
 * STORE SYSTEM INFORMATION, basic form: function code 0 reports the current configuration level
 * (2, a logical partition); 1.1.1 (basic-machine configuration) and 2.2.2 (this LPAR) are stored;
 * every other selector answers cc 3 (not available).
 */
final class SystemInformation {
    private SystemInformation() {
    }

    static final int LEVEL_LPAR = 2;

    static void stsi(Cpu c, Insn i) {
        long r0 = c.gr[0];
        long r1 = c.gr[1];
        int fc = (int) (r0 >>> 28) & 0xf;
        int sel1 = (int) r0 & 0xff;
        int sel2 = (int) r1 & 0xffff;
        if ((r0 & 0x0fffff00L) != 0 || (r1 & 0xffff0000L) != 0) {
            throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
        }
        if (fc == 0) {
            c.gr[0] = (c.gr[0] & 0xffffffff0fffffffL) | (long) LEVEL_LPAR << 28;
            c.cc = 0;
            return;
        }
        long a = c.ea(i.b2, i.d2);
        if ((a & 0xfff) != 0) {
            throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
        }
        if (fc == 1 && sel1 == 1 && sel2 == 1) {
            c.checkWrite(a, 4096);
            for (int k = 0; k < 256; k++) {
                c.store64((a + 8L * k) & c.amask, 0);
            }
            ebcdic(c, a + 32, "IBM", 16);       // manufacturer
            ebcdic(c, a + 48, "3931", 4);       // type
            ebcdic(c, a + 64, "PVSIM", 16);     // sequence code
            ebcdic(c, a + 80, "02", 4);         // plant
            ebcdic(c, a + 84, "A01", 16);       // model
            c.cc = 0;
        } else if (fc == 2 && sel1 == 2 && sel2 == 2) {
            c.checkWrite(a, 4096);
            for (int k = 0; k < 256; k++) {
                c.store64((a + 8L * k) & c.amask, 0);
            }
            c.store16((a + 34) & c.amask, 1); // LPAR number
            c.store16((a + 40) & c.amask, c.machine.cpus().size()); // total CPUs
            c.store16((a + 42) & c.amask, c.machine.cpus().size()); // configured CPUs
            ebcdic(c, a + 48, "PVSIM", 8);
            c.cc = 0;
        } else {
            c.cc = 3;
        }
    }

    private static void ebcdic(Cpu c, long a, String s, int width) {
        byte[] e = org.pvsim.machine.sclp.Ebcdic.encode(String.format("%-" + width + "s", s));
        for (int k = 0; k < width; k++) {
            c.store8((a + k) & c.amask, e[k]);
        }
    }
}
