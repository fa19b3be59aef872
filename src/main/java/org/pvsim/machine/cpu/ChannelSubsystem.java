package org.pvsim.machine.cpu;

import static org.pvsim.machine.cpu.Attribute.PRIVILEGED;
import static org.pvsim.machine.cpu.Format.RRE;
import static org.pvsim.machine.cpu.Format.S;

import org.pvsim.machine.ProgramInterruption;

/**
 * A channel subsystem with no devices: enough for a program to find that out, as on a machine with
 * no I/O configured. The checks are the architecture's, in QEMU's order (target/s390x/ioinst.c):
 * an operand address not aligned as its block needs is a specification exception; GR1 must hold a
 * subsystem-identification word (bit 47, the "one" bit, set; bits 32-39 zero without the
 * multiple-subchannel-set facility's M bit, which is not installed), else an operand exception, raised
 * after the operand's access check as the architecture orders them. Then every subchannel is not
 * operational:
 * <ul>
 * <li>STSCH, TSCH, MSCH, SSCH, CSCH, HSCH, RSCH, XSCH: condition code 3;
 * <li>STCRW: no channel report is pending, so zeros are stored and the condition code is 1;
 * <li>TPI: no I/O interruption is pending, condition code 0 and nothing stored;
 * <li>CHSC: every command is unsupported: a response block of length 8 with response code 0x0004
 *     follows the request, condition code 0. The request must be page aligned (specification
 *     exception) with a length of 16 to 4088, a multiple of 8 (operand exception).
 * </ul>
 */
final class ChannelSubsystem {
    static final int OPERAND = 0x15;
    static final int SCHIB_SIZE = 52;
    static final int IRB_SIZE = 96;
    static final int ORB_SIZE = 32;
    static final int CHSC_RESPONSE_INVALID_COMMAND = 0x0004;
    static final int CHSC_MIN_RESPONSE = 8;

    private ChannelSubsystem() {
    }

    static void register(Decoder d) {
        d.addControl(0xb234, "stsch", S, (c, i) -> notOperational(c, c.ea(i.b2, i.d2), SCHIB_SIZE, true), PRIVILEGED);
        d.addControl(0xb235, "tsch", S, (c, i) -> notOperational(c, c.ea(i.b2, i.d2), IRB_SIZE, true), PRIVILEGED);
        d.addControl(0xb232, "msch", S, (c, i) -> notOperational(c, c.ea(i.b2, i.d2), SCHIB_SIZE, false), PRIVILEGED);
        d.addControl(0xb233, "ssch", S, (c, i) -> notOperational(c, c.ea(i.b2, i.d2), ORB_SIZE, false), PRIVILEGED);
        d.addControl(0xb230, "csch", S, (c, i) -> notOperational(c, -1, 0, false), PRIVILEGED);
        d.addControl(0xb231, "hsch", S, (c, i) -> notOperational(c, -1, 0, false), PRIVILEGED);
        d.addControl(0xb238, "rsch", S, (c, i) -> notOperational(c, -1, 0, false), PRIVILEGED);
        d.addControl(0xb276, "xsch", S, (c, i) -> notOperational(c, -1, 0, false), PRIVILEGED);
        d.addControl(0xb239, "stcrw", S, (c, i) -> {
            long a = c.ea(i.b2, i.d2);
            if ((a & 3) != 0) {
                throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
            }
            c.store32(a, 0);
            c.cc = 1;
        }, PRIVILEGED);
        d.addControl(0xb236, "tpi", S, (c, i) -> {
            long a = c.ea(i.b2, i.d2);
            if ((a & 3) != 0) {
                throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
            }
            c.cc = 0;
        }, PRIVILEGED);
        d.addControl(0xb25f, "chsc", RRE, ChannelSubsystem::chsc, PRIVILEGED);
    }

    /**
     * The subchannel instructions: {@code operand} is the address of their block (-1: none), which
     * must be word aligned; {@code stores} tells whether the instruction would store it (else fetch).
     */
    private static void notOperational(Cpu c, long operand, int size, boolean stores) {
        if (operand >= 0 && (operand & 3) != 0) {
            throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
        }
        if (!validSubsystemId(c.gr[1])) {
            if (operand >= 0) {
                if (stores) {
                    c.checkWrite(operand, size);
                } else {
                    c.checkRead(operand, size);
                }
            }
            throw new ProgramInterruption(OPERAND);
        }
        c.cc = 3;
    }

    /** Bits 32-63 of GR1: 0x0001 in bits 32-47 with the subchannel-set bits (45-46) free, M (44) off. */
    static boolean validSubsystemId(long gr1) {
        int id = (int) gr1;
        return (id & 0x00010000) != 0 && (id & 0x00080000) == 0 && (id & 0xff000000) == 0
                && (id & 0x00f00000) == 0;
    }

    private static void chsc(Cpu c, Insn i) {
        long a = c.gr[i.r1] & c.amask;
        if ((a & 0xfff) != 0) {
            throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
        }
        int len = c.load16(a) & 0xffff;
        if (len < 16 || len > 4088 || (len & 7) != 0) {
            throw new ProgramInterruption(OPERAND);
        }
        long response = (a + len) & c.amask;
        c.checkWrite(response, CHSC_MIN_RESPONSE);
        c.store16(response, CHSC_MIN_RESPONSE);
        c.store16((response + 2) & c.amask, CHSC_RESPONSE_INVALID_COMMAND);
        c.store32((response + 4) & c.amask, 0);
        c.cc = 0;
    }
}
