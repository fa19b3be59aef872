package org.pvsim.machine.uv;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-XTS (IEEE P1619) for one 4096-byte data unit, the SE image's page cipher (reference
 * se-image-format §2.2). The per-block tweaks are computed first so that the whole page goes through
 * AES-ECB in one call (the JDK's intrinsic AES then runs at full speed).
 */
final class UvXts {
    private final Cipher data;
    private final Cipher tweakCipher;
    private final byte[] tweaks = new byte[4096];

    UvXts(byte[] key64, boolean decrypt) {
        if (key64.length != 64) {
            throw new IllegalArgumentException("XTS key must be 64 bytes: " + key64.length);
        }
        try {
            data = Cipher.getInstance("AES/ECB/NoPadding");
            data.init(decrypt ? Cipher.DECRYPT_MODE : Cipher.ENCRYPT_MODE,
                    new SecretKeySpec(key64, 0, 32, "AES"));
            tweakCipher = Cipher.getInstance("AES/ECB/NoPadding");
            tweakCipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key64, 32, 32, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES unavailable", e);
        }
    }

    /** Transforms 4096 bytes of src into dst (they may be the same array) under the 16-byte tweak. */
    void page(byte[] src, int srcOff, byte[] dst, int dstOff, byte[] tweak16) {
        try {
            byte[] t = tweakCipher.doFinal(tweak16);
            for (int b = 0; b < 256; b++) {
                System.arraycopy(t, 0, tweaks, b * 16, 16);
                multiplyByAlpha(t);
            }
            byte[] buf = new byte[4096];
            for (int i = 0; i < 4096; i++) {
                buf[i] = (byte) (src[srcOff + i] ^ tweaks[i]);
            }
            data.doFinal(buf, 0, 4096, buf, 0);
            for (int i = 0; i < 4096; i++) {
                dst[dstOff + i] = (byte) (buf[i] ^ tweaks[i]);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES failed", e);
        }
    }

    /** t := t·α in GF(2^128), little-endian byte order as XTS defines it. */
    private static void multiplyByAlpha(byte[] t) {
        int carry = 0;
        for (int i = 0; i < 16; i++) {
            int v = t[i] & 0xff;
            t[i] = (byte) ((v << 1) | carry);
            carry = v >>> 7;
        }
        if (carry != 0) {
            t[0] ^= (byte) 0x87;
        }
    }
}
