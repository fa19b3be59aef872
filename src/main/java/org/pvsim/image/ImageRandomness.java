package org.pvsim.image;

import java.security.KeyPair;
import java.security.SecureRandom;
import org.pvsim.se.P521;

/**
 * Every random choice image creation makes: the customer EC key, tweak randoms, IV and keys not given.
 * Production uses {@link #secure()}; tests fix it with {@link #fixed} so fixed inputs give fixed bytes.
 */
public interface ImageRandomness {
    KeyPair customerKey();

    void nextBytes(byte[] out);

    /** A SecureRandom's, and a customer key drawn from it; prepared ahead if {@link #prepareSecure} was called. */
    static ImageRandomness secure() {
        ImageRandomness ahead = AheadRandomness.take();
        if (ahead != null) {
            return ahead;
        }
        SecureRandom rnd = new SecureRandom();
        return new ImageRandomness() {
            @Override
            public KeyPair customerKey() {
                return P521.generate(rnd);
            }

            @Override
            public void nextBytes(byte[] out) {
                rnd.nextBytes(out);
            }
        };
    }

    /**
     * Starts preparing, on a second thread, what the next {@link #secure()} returns: for a process that is about
     * to create one image and has other start-up work to do meanwhile.
     */
    static void prepareSecure() {
        AheadRandomness.start();
    }

    /** Test hook: a given customer key and a seeded, repeatable byte stream. Never for real images. */
    static ImageRandomness fixed(KeyPair customerKey, long seed) {
        java.util.Random rnd = new java.util.Random(seed);
        return new ImageRandomness() {
            @Override
            public KeyPair customerKey() {
                return customerKey;
            }

            @Override
            public void nextBytes(byte[] out) {
                rnd.nextBytes(out);
            }
        };
    }
}
