package org.pvsim.machine.sie;

/**
 * Why SIE ended: the interception code and the instruction parcels (IPA: bytes 0-1, IPB: bytes 2-5)
 * the host finds in the state description. Codes as arch/s390/include/asm/kvm_host.h names them.
 */
public record Interception(int code, int ipa, int ipb) {
    /** No interception: SIE ended for the host (a host interruption, a kick); execute SIE again. */
    public static final int NONE = 0x00;
    public static final int INSTRUCTION = 0x04;
    public static final int PROGRAM = 0x08;
    public static final int INSTRUCTION_AND_PROGRAM = 0x0c;
    public static final int EXTERNAL_REQUEST = 0x10;
    public static final int IO_REQUEST = 0x18;
    public static final int WAIT = 0x1c;
    public static final int VALIDITY = 0x20;
    public static final int STOP = 0x28;
    public static final int OPERATION_EXCEPTION = 0x2c;
    public static final int PARTIAL_EXECUTION = 0x38;
    public static final int PV_INSTRUCTION = 0x68;
    public static final int PV_NOTIFICATION = 0x6c;
    public static final int PV_PREFIX = 0x70;

    static Interception of(int code) {
        return new Interception(code, 0, 0);
    }

    /** An interception of the instruction whose left-aligned bytes are {@code bits}. */
    static Interception instruction(int code, long bits) {
        return new Interception(code, (int) (bits >>> 48) & 0xffff, (int) (bits >>> 16));
    }

    /** A validity interception: the reason code is in the high half of IPB. */
    static Interception validity(int reason) {
        return new Interception(VALIDITY, 0, reason << 16);
    }
}
