package org.pvsim.vmm;

/** The VMM cannot go on (a bad option, an image it cannot load, a host that cannot run the guest): one line. */
public final class VmmException extends RuntimeException {
    public VmmException(String message) {
        super(message, null, false, false);
    }

    public VmmException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
