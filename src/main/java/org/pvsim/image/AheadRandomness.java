package org.pvsim.image;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Cipher;
import org.pvsim.se.P521;

/**
 * The secure randomness of the one image a process is about to create, prepared on a second thread while the
 * first still parses the command line: a fresh JVM takes tens of milliseconds for its first SecureRandom and as
 * many for the first P-521 key pair, all class loading and provider set-up that would otherwise hold up the
 * image. The key pair is the customer key the image is then made with (its first draw, as {@link
 * ImageRandomness#secure()} would draw it); same generator, same source, only earlier. The thread also looks up
 * SHA-512 and AES, which the image needs next, and then runs them a little (see {@link StreamingWarmUp}).
 */
final class AheadRandomness {
    private record Prepared(SecureRandom random, KeyPair customerKey) {
    }

    private static final AtomicReference<FutureTask<Prepared>> AHEAD = new AtomicReference<>();

    private AheadRandomness() {
    }

    /** Starts preparing on a daemon thread; a second call before {@link #take} does nothing. */
    static void start() {
        FutureTask<Prepared> task = new FutureTask<>(AheadRandomness::prepare);
        if (AHEAD.compareAndSet(null, task)) {
            Thread t = new Thread(() -> {
                task.run();
                StreamingWarmUp.run(Cipher.ENCRYPT_MODE);
            }, "image-randomness");
            t.setDaemon(true);
            t.start();
        }
    }

    /** The prepared randomness, once (null when none was started or preparing it failed: the caller makes its own). */
    static ImageRandomness take() {
        FutureTask<Prepared> task = AHEAD.getAndSet(null);
        if (task == null) {
            return null;
        }
        Prepared p;
        try {
            p = task.get();
        } catch (ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        return new ImageRandomness() {
            private KeyPair key = p.customerKey();

            @Override
            public KeyPair customerKey() {
                KeyPair k = key;
                key = null;
                return k != null ? k : P521.generate(p.random());
            }

            @Override
            public void nextBytes(byte[] out) {
                p.random().nextBytes(out);
            }
        };
    }

    private static Prepared prepare() throws GeneralSecurityException {
        SecureRandom random = new SecureRandom();
        KeyPair key = P521.generate(random);
        MessageDigest.getInstance("SHA-512");
        Cipher.getInstance("AES/ECB/NoPadding");
        return new Prepared(random, key);
    }
}
