package org.pvsim.machine.cpu;

/** Instruction formats: where an instruction keeps its register, base, displacement and immediate fields. */
public enum Format {
    E, I, RR, RRE, RRF, RRD, RX, RXE, RXY, RS, RSY, RSL, RI, RIL, RIE, RIS, RRS, SI, SIY, SIL, S, SS, SSE, SSF,
    /**
     * The vector formats. A vector-register field has 5 bits: its nibble at bits 8, 12, 16 or 32 and, as
     * its high bit, bit 36, 37, 38 or 39 (the RXB field). Decoded into r1 (bits 8-11), r2 (12-15), r3
     * (16-19), i4 (32-35: V4) with their RXB bits, m (the plain nibble at 32-35: M3/M4/M5), i5 (bits 20-31:
     * the M5/M6 nibbles of VRR, see {@link Vector}), i2 (bits 16-31, unsigned: the VRI immediates), x2,
     * b2 and d2 (VRX, VRS, VRV, VSI) and, for VSI, i3 (bits 8-15) with V1 in r1.
     */
    VRX, VRR, VRI, VRS, VRV, VSI;

    /** Fills the fields of {@code in} from the instruction bytes {@code w} (left-aligned in a long). */
    void decode(long w, Insn in) {
        int b1 = (int) (w >>> 48) & 0xff; // second byte
        switch (this) {
            case E -> { }
            case I -> in.i2 = b1;
            case RR -> {
                in.r1 = b1 >>> 4;
                in.r2 = b1 & 15;
            }
            case RRE, RRF, RRD -> {
                int b3 = (int) (w >>> 32) & 0xff;
                int b2 = (int) (w >>> 40) & 0xff;
                in.r1 = b3 >>> 4;
                in.r2 = b3 & 15;
                in.r3 = b2 >>> 4;
                in.m = b2 & 15;
            }
            case RX, RXE -> {
                in.r1 = b1 >>> 4;
                in.x2 = b1 & 15;
                in.b2 = (int) (w >>> 44) & 15;
                in.d2 = (w >>> 32) & 0xfff;
                in.m = (int) (w >>> 28) & 15; // RXE m3
            }
            case RXY, RSY, SIY -> {
                in.r1 = b1 >>> 4;
                in.x2 = b1 & 15;
                in.r3 = b1 & 15;
                in.b2 = (int) (w >>> 44) & 15;
                long dl = (w >>> 32) & 0xfff;
                long dh = (byte) (w >>> 24);
                in.d2 = dh << 12 | dl;
                in.i2 = (byte) (w >>> 48); // SIY: signed immediate byte
                in.b1 = in.b2;
                in.d1 = in.d2;
                in.m = in.r3; // RSY-b m3
            }
            case RS -> {
                in.r1 = b1 >>> 4;
                in.r3 = b1 & 15;
                in.b2 = (int) (w >>> 44) & 15;
                in.d2 = (w >>> 32) & 0xfff;
            }
            case RI -> {
                in.r1 = b1 >>> 4;
                in.i2 = (short) (w >>> 32);
            }
            case RIL -> {
                in.r1 = b1 >>> 4;
                in.i2 = (int) (w >>> 16);
            }
            case RIE -> {
                in.r1 = b1 >>> 4;
                in.r2 = b1 & 15;
                in.r3 = b1 & 15;
                in.m = (int) (w >>> 28) & 15; // RIE-a/b: m3 in bits 32-35
                in.i2 = (short) (w >>> 32); // RIE-a/d/g: 16-bit immediate; RIE-b: RI4
                in.i3 = (int) (w >>> 40) & 0xff; // RIE-f
                in.i4 = (int) (w >>> 32) & 0xff;
                in.i5 = (int) (w >>> 24) & 0xff; // RIE-f i5, RIE-c i2 (unsigned here)
            }
            case RIS, RRS -> {
                in.r1 = b1 >>> 4;
                in.r2 = b1 & 15;
                in.m = b1 & 15;
                in.b2 = (int) (w >>> 44) & 15;
                in.d2 = (w >>> 32) & 0xfff;
                in.i2 = (byte) (w >>> 24);
                in.i3 = (int) (w >>> 28) & 15;
            }
            case SI -> {
                in.i2 = b1;
                in.b1 = (int) (w >>> 44) & 15;
                in.d1 = (w >>> 32) & 0xfff;
            }
            case SIL -> {
                in.b1 = (int) (w >>> 44) & 15;
                in.d1 = (w >>> 32) & 0xfff;
                in.i2 = (short) (w >>> 16);
            }
            case S -> {
                in.b2 = (int) (w >>> 44) & 15;
                in.d2 = (w >>> 32) & 0xfff;
            }
            case RSL -> {
                in.i2 = (int) (w >>> 52) & 15;
                in.b1 = (int) (w >>> 44) & 15;
                in.d1 = (w >>> 32) & 0xfff;
            }
            case SS, SSE, SSF -> {
                in.i2 = b1; // SS-a: L (length - 1)
                in.r1 = b1 >>> 4;
                in.r3 = b1 & 15;
                in.b1 = (int) (w >>> 44) & 15;
                in.d1 = (w >>> 32) & 0xfff;
                in.b2 = (int) (w >>> 28) & 15;
                in.d2 = (w >>> 16) & 0xfff;
            }
            case VRX, VRR, VRI, VRS, VRV, VSI -> {
                int rxb = (int) (w >>> 24) & 15;
                int n8 = b1 >>> 4;
                int n12 = b1 & 15;
                int n16 = (int) (w >>> 44) & 15;
                int n32 = (int) (w >>> 28) & 15;
                in.r1 = n8 | (rxb & 8) << 1;
                in.r2 = n12 | (rxb & 4) << 2;
                in.r3 = n16 | (rxb & 2) << 3;
                in.i4 = n32 | (rxb & 1) << 4;
                in.m = n32;
                in.i5 = (int) (w >>> 32) & 0xfff;
                in.i2 = (w >>> 32) & 0xffff;
                in.x2 = n12;
                in.b2 = n16;
                in.d2 = (w >>> 32) & 0xfff;
                if (this == VSI) {
                    in.i3 = b1;
                    in.r1 = in.i4;
                }
            }
        }
    }
}
