package org.pvsim.image;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.pvsim.se.Xts;

/**
 * SHA-512 and AES run at full speed only once C2 has compiled the JDK loops that call their intrinsics; until
 * then an image's first pages stream through Java code several times slower. Hashing and en- or decrypting a
 * MiB of zeros page by page, as an image does, on the core that parsing the command line leaves idle, gets
 * those compilations done before the first real page.
 */
public final class StreamingWarmUp {
    private static final int PAGES = 256;

    private StreamingWarmUp() {
    }

    /** For image verify, which decrypts: warms up on a daemon thread of its own. */
    public static void startForVerify() {
        Thread t = new Thread(() -> run(Cipher.DECRYPT_MODE), "image-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /** Warms up SHA-512 and AES in {@code aesMode} ({@link Cipher#ENCRYPT_MODE} or {@link Cipher#DECRYPT_MODE}). */
    static void run(int aesMode) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-512");
            Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
            aes.init(aesMode, new SecretKeySpec(new byte[32], "AES"));
            byte[] page = new byte[Xts.PAGE_SIZE];
            byte[] out = new byte[Xts.PAGE_SIZE];
            for (int i = 0; i < PAGES; i++) {
                sha.update(page, 0, page.length);
                aes.update(page, 0, page.length, out, 0);
            }
        } catch (GeneralSecurityException e) {
            // nothing to warm up: the image itself will report what is missing
        }
    }
}
