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

    static ImageRandomness secure() {
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
