package org.pvsim.image.hostkey;

/**
 * A host-key document, or the chain of trust behind it, failed verification. The message says which
 * check failed and for which document or certificate, in one line fit for a user.
 */
public final class HostKeyVerificationException extends RuntimeException {
    public HostKeyVerificationException(String message) {
        super(message);
    }

    public HostKeyVerificationException(String message, Throwable cause) {
        super(message, cause);
    }
}
