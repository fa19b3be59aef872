package org.pvsim.se;

/**
 * A well-formed header or image that fails a cryptographic check the Ultravisor makes.
 * {@link #failure()} says which one, so firmware can map it to its return code.
 */
public class SeVerificationException extends RuntimeException {

    /** The checks, in the order the Ultravisor makes them. */
    public enum Failure {
        /** No key slot carries the hash of this host key. */
        NO_KEY_SLOT,
        /** A slot matches the host key hash but its wrapped header key does not authenticate. */
        KEY_SLOT_TAG,
        /** The customer public key in the header is not a point on P-521. */
        CUSTOMER_KEY,
        /** The AES-GCM tag over the header does not match (wrong header key or tampered header). */
        HEADER_TAG,
        /** The decrypted part declares optional items, which version 1 does not support. */
        OPTIONAL_ITEMS,
        /** The number of component pages differs from the header's nep (UV rc 0x1D). */
        PAGE_COUNT,
        /** The page list digest differs (UV rc 0x1B). */
        PLD,
        /** The address list digest differs (UV rc 0x1A). */
        ALD,
        /** The tweak list digest differs (UV rc 0x1C). */
        TLD,
    }

    private final Failure failure;

    public SeVerificationException(Failure failure, String message) {
        super(message);
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }
}
