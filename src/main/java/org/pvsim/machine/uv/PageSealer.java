package org.pvsim.machine.uv;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Export/import protection of one configuration's pages: AES-256-GCM under a key only the UV holds,
 * the authenticated data binding the configuration handle and the guest address, the 12-byte IV a
 * counter that never repeats for this key. The ciphertext (4096 bytes) goes to the host frame; IV and
 * tag stay in the UV, so an altered, moved or replayed page fails its next import.
 */
final class PageSealer {
    /** What the UV keeps of an exported page; {@code shared} restores a shared page as shared. */
    record Seal(byte[] iv, byte[] tag, boolean shared) {
    }

    private final SecretKeySpec key;
    private final long handle;
    /**
     * Re-initialised per page with a fresh IV; the UV is single-threaded. Made on the first export or
     * import: most configurations never export a page, and Cipher.getInstance costs microseconds.
     */
    private Cipher cipher;
    private long counter;

    PageSealer(byte[] key32, long handle) {
        this.key = new SecretKeySpec(key32, "AES");
        this.handle = handle;
    }

    private Cipher cipher() throws GeneralSecurityException {
        if (cipher == null) {
            cipher = Cipher.getInstance("AES/GCM/NoPadding");
        }
        return cipher;
    }

    byte[] keyBytes() {
        return key.getEncoded();
    }

    /** Encrypts {@code page} in place and returns what the UV keeps. */
    Seal seal(byte[] page, long gaddr, boolean shared) {
        byte[] iv = ByteBuffer.allocate(12).putInt(0x50565345).putLong(++counter).array(); // "PVSE" || counter
        try {
            Cipher c = cipher();
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            c.updateAAD(aad(gaddr));
            byte[] out = c.doFinal(page);
            System.arraycopy(out, 0, page, 0, page.length);
            return new Seal(iv, java.util.Arrays.copyOfRange(out, page.length, out.length), shared);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** Decrypts {@code page} (ciphertext) into a new array, or null when the integrity check fails. */
    byte[] open(byte[] page, long gaddr, Seal seal) {
        try {
            Cipher c = cipher();
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, seal.iv()));
            c.updateAAD(aad(gaddr));
            c.update(page);
            return c.doFinal(seal.tag());
        } catch (javax.crypto.AEADBadTagException e) {
            return null;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    private byte[] aad(long gaddr) {
        return ByteBuffer.allocate(16).putLong(handle).putLong(gaddr).array();
    }
}
