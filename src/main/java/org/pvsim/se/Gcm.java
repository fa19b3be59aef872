package org.pvsim.se;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** AES-256-GCM with a 16-byte tag, as the header and the key slots use it. */
public final class Gcm {
    public static final int TAG_SIZE = 16;

    private Gcm() {
    }

    /** Returns ciphertext ‖ tag. */
    public static byte[] seal(byte[] key, byte[] iv, byte[] aad, byte[] plain) {
        try {
            Cipher c = cipher(Cipher.ENCRYPT_MODE, key, iv);
            if (aad.length > 0) {
                c.updateAAD(aad);
            }
            return c.doFinal(plain);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM encryption failed", e);
        }
    }

    /** Decrypts ciphertext ‖ tag; returns null when the tag does not authenticate. */
    public static byte[] open(byte[] key, byte[] iv, byte[] aad, byte[] cipherAndTag) {
        try {
            Cipher c = DECRYPTERS.get();
            init(c, Cipher.DECRYPT_MODE, key, iv);
            if (aad.length > 0) {
                c.updateAAD(aad);
            }
            return c.doFinal(cipherAndTag);
        } catch (AEADBadTagException e) {
            return null;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM decryption failed", e);
        }
    }

    /**
     * One decrypting cipher per thread, re-initialised per call: Cipher.getInstance costs more than
     * opening a key slot. (Encryption gets a fresh cipher: GCM refuses to re-initialise a cipher for
     * encryption with the key and IV it used last.)
     */
    private static final ThreadLocal<Cipher> DECRYPTERS = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM unavailable", e);
        }
    });

    private static Cipher cipher(int mode, byte[] key, byte[] iv) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        init(c, mode, key, iv);
        return c;
    }

    private static void init(Cipher c, int mode, byte[] key, byte[] iv) throws GeneralSecurityException {
        if (key.length != 32) {
            throw new IllegalArgumentException("AES-256-GCM key must be 32 bytes, got " + key.length);
        }
        c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_SIZE * 8, iv));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
