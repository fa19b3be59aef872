package org.pvsim.se;

/** Image bytes by guest address (an SE image is loaded at 0, so for a file the address is the offset). */
@FunctionalInterface
public interface PageSource {
    /** Fills {@code dst[off, off+len)} with the bytes at {@code address}; the caller has bounds-checked the range. */
    void read(long address, byte[] dst, int off, int len);
}
