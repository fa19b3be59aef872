package org.pvsim.machine.uv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.pvsim.testing.InParallel;

/**
 * Two threads look up KEKs in the lock-free cache at once, over more pairs than it holds (so inserts
 * evict while the other thread reads): every answer is the pair's KEK, every lookup is counted once as a
 * hit or a miss, a miss is a derivation, and the cache ends within its bound.
 */
class KekCacheStressTest {
    private static final int LOOKUPS = 50_000;
    private static final int PAIRS = KekCache.CAPACITY + 16;

    private static byte[] fill(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    @Test
    void concurrentLookupsAnswerRightAndCountExactly() throws Exception {
        KekCache cache = new KekCache();
        LongAdder derivations = new LongAdder();
        InParallel.run(2, seed -> {
            Random rnd = new Random(seed);
            for (int i = 0; i < LOOKUPS; i++) {
                // mostly a hot pair, sometimes a cold one that forces an insert and an eviction
                int pair = rnd.nextInt(8) == 0 ? rnd.nextInt(PAIRS) : 0;
                byte[] kek = cache.kek(fill(32, 1), fill(160, pair), () -> {
                    derivations.increment();
                    return fill(32, pair + 7);
                });
                assertThat(kek).isEqualTo(fill(32, pair + 7));
                Arrays.fill(kek, (byte) 0); // the caller's copy: wiping it changes nothing cached
            }
        });
        long[] hm = cache.hitsAndMisses();
        assertThat(hm[0] + hm[1]).isEqualTo(2L * LOOKUPS);
        assertThat(hm[1]).isEqualTo(derivations.sum());
        assertThat(cache.size()).isLessThanOrEqualTo(KekCache.CAPACITY);
        assertThat(cache.kek(fill(32, 1), fill(160, 0), () -> fill(32, 99))).as("the hot pair stays").isEqualTo(fill(32, 7));
    }
}
