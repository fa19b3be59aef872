package org.pvsim.se;

/** Receives each decrypted page (for example, the Ultravisor placing it into guest storage). */
@FunctionalInterface
public interface PlaintextSink {
    /** {@code page[off, off+4096)} is the plaintext of the page at {@code address}; it is reused after the call. */
    void accept(long address, byte[] page, int off);
}
