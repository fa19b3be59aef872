package org.pvsim.machine.uv;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The running PLD/ALD/TLD (SHA-512) and page count over the pages unpacked so far (reference §2.3). */
final class UnpackDigests {
    private final MessageDigest pld = sha512();
    private final MessageDigest ald = sha512();
    private final MessageDigest tld = sha512();
    private final byte[] addr = new byte[8];
    private long pages;

    void update(long gaddr, byte[] tweak16, byte[] encPage, int off) {
        pld.update(encPage, off, 4096);
        for (int i = 0; i < 8; i++) {
            addr[i] = (byte) (gaddr >>> (56 - 8 * i));
        }
        ald.update(addr);
        tld.update(tweak16);
        pages++;
    }

    long pages() {
        return pages;
    }

    byte[] pld() {
        return digestOf(pld);
    }

    byte[] ald() {
        return digestOf(ald);
    }

    byte[] tld() {
        return digestOf(tld);
    }

    private static byte[] digestOf(MessageDigest d) {
        try {
            return ((MessageDigest) d.clone()).digest();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MessageDigest sha512() {
        try {
            return MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
