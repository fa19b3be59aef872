package org.pvsim.se;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/**
 * Runs SHA-512 and AES-XTS over scratch buffers on a daemon thread, so that a short-lived JVM has their
 * JIT-compiled, intrinsic versions ready by the time the real pages come. HotSpot uses the CPU's SHA and AES
 * instructions only in code that C2 compiled, which takes some thousand calls; a fresh {@code pvsim image
 * create} would otherwise hash and encrypt its first megabytes several times slower than the rest. Started
 * while the command line is still being parsed, the warm-up runs on the otherwise idle second core.
 */
public final class CryptoWarmup {
    /** The direction the pages will go: what the warm-up trains. */
    public enum Mode { ENCRYPT, DECRYPT }

    private static final int CHUNK = PagePipeline.CHUNK;

    private CryptoWarmup() {
    }

    /** Starts hashing and en- or decrypting {@code mib} MiB of zeros on a daemon thread; returns at once. */
    public static Thread start(Mode mode, int mib) {
        Thread t = new Thread(() -> run(mode, mib), "crypto-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
        return t;
    }

    private static void run(Mode mode, int mib) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-512");
        } catch (GeneralSecurityException e) {
            return; // the real work will report it
        }
        byte[] key = new byte[64];
        key[0] = 1; // XTS refuses equal key halves
        Xts xts = new Xts(key);
        byte[] tweak = new byte[16];
        byte[] buf = new byte[CHUNK];
        long chunks = (long) mib * (1 << 20) / CHUNK;
        for (long i = 0; i < chunks; i++) {
            for (int off = 0; off < CHUNK; off += Xts.PAGE_SIZE) {
                if (mode == Mode.ENCRYPT) {
                    xts.encryptPage(buf, off, buf, off, tweak);
                } else {
                    xts.decryptPage(buf, off, buf, off, tweak);
                }
            }
            md.update(buf, 0, CHUNK);
        }
    }
}
