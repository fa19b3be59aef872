package org.pvsim.se;

/** Bytes that should hold a key, certificate or CRL (PEM or DER) and do not: the message says why. */
public final class PemException extends IllegalArgumentException {
    public PemException(String message) {
        super(message);
    }

    public PemException(String message, Throwable cause) {
        super(message, cause);
    }
}
