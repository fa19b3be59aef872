package org.pvsim.machine.sie;

import static org.pvsim.machine.SieBlock.*;

/**
 * Why SIE ended: the interception code and the instruction parcels (IPA: bytes 0-1, IPB: bytes 2-5)
 * the host finds in the state description. Codes as arch/s390/include/asm/kvm_host.h names them.
 */
public record Interception(int code, int ipa, int ipb) {
    static Interception of(int code) {
        return new Interception(code, 0, 0);
    }

    /** An interception of the instruction whose left-aligned bytes are {@code bits}. */
    static Interception instruction(int code, long bits) {
        return new Interception(code, (int) (bits >>> 48) & 0xffff, (int) (bits >>> 16));
    }

    /** A validity interception: the reason code is in the high half of IPB. */
    static Interception validity(int reason) {
        return new Interception(ICPT_VALIDITY, 0, reason << 16);
    }
}
