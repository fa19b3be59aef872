package org.pvsim.se;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/**
 * The three SHA-512 digests over all component pages in image order (reference §2.3): PLD over the encrypted
 * page bytes, ALD over each page's guest address (BE64), TLD over each page's 16-byte tweak. Feed pages one
 * at a time; the digests can be read at any point without ending the computation.
 */
public final class PageDigests {
    private final MessageDigest pld = sha512();
    private final MessageDigest ald = sha512();
    private final MessageDigest tld = sha512();
    private final byte[] address = new byte[8];
    private long pages;

    /** Adds one 4096-byte page as it sits in the image (encrypted unless the image is not encrypted). */
    public void update(long guestAddress, byte[] tweak16, byte[] encPage, int off) {
        pld.update(encPage, off, Xts.PAGE_SIZE);
        updateAddressAndTweak(guestAddress, tweak16);
    }

    /** The PLD-free half of {@link #update}, for callers that hash page bytes on another thread. */
    public void updateAddressAndTweak(long guestAddress, byte[] tweak16) {
        Be.putLong(address, 0, guestAddress);
        ald.update(address);
        tld.update(tweak16, 0, 16);
        pages++;
    }

    /** Adds page bytes to the PLD only (pair with {@link #updateAddressAndTweak}). */
    public void updatePageBytes(byte[] encPages, int off, int len) {
        if (len % Xts.PAGE_SIZE != 0) {
            throw new IllegalArgumentException("page bytes must be whole pages, got " + len);
        }
        pld.update(encPages, off, len);
    }

    public byte[] pld() {
        return peek(pld);
    }

    public byte[] ald() {
        return peek(ald);
    }

    public byte[] tld() {
        return peek(tld);
    }

    public long pages() {
        return pages;
    }

    private static byte[] peek(MessageDigest md) {
        try {
            return ((MessageDigest) md.clone()).digest();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-512 digest cannot be cloned", e);
        }
    }

    private static MessageDigest sha512() {
        try {
            return MessageDigest.getInstance("SHA-512");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
