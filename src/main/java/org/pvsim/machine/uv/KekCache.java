package org.pvsim.machine.uv;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A simulator speed-up, not firmware behaviour: remembers the key-encryption keys of the last
 * {@link #CAPACITY} (host key, customer public key) pairs. A KEK is a pure function of that pair
 * (SHA-256 of the ECDH secret), and one P-521 scalar multiplication costs the JDK milliseconds, while
 * a test suite or a benchmark opens the same image again and again. Only successfully derived KEKs
 * are kept, so a customer key that fails (not on the curve) fails again the same way; callers get a
 * copy they may wipe. Real firmware does ECDH in hardware and needs nothing of this.
 */
final class KekCache {
    static final int CAPACITY = 64;

    private record Pair(ByteBuffer hostKeyHash, ByteBuffer customerKey) {
    }

    private final Map<Pair, byte[]> entries = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Pair, byte[]> eldest) {
            if (size() <= CAPACITY) {
                return false;
            }
            Arrays.fill(eldest.getValue(), (byte) 0);
            return true;
        }
    };
    private long hits;
    private long misses;

    /**
     * The KEK for the host key with digest {@code hostKeyHash} and the customer key whose 160-byte
     * padded X‖Y is {@code customerKey}: from the cache, or from {@code derive} (which may throw; then
     * nothing is cached). Returns a fresh copy.
     */
    byte[] kek(byte[] hostKeyHash, byte[] customerKey, Supplier<byte[]> derive) {
        Pair key = new Pair(ByteBuffer.wrap(hostKeyHash.clone()), ByteBuffer.wrap(customerKey.clone()));
        byte[] kek;
        synchronized (this) {
            kek = entries.get(key);
            if (kek != null) {
                hits++;
                return kek.clone();
            }
            misses++;
        }
        kek = derive.get(); // outside the lock: two threads may both derive, which is harmless
        synchronized (this) {
            entries.put(key, kek.clone());
        }
        return kek;
    }

    synchronized int size() {
        return entries.size();
    }

    /** Lookups answered from the cache and lookups that derived the KEK (for tests and benchmarks). */
    synchronized long[] hitsAndMisses() {
        return new long[] {hits, misses};
    }

    /** Forgets every KEK (the values are wiped). */
    synchronized void clear() {
        entries.values().forEach(k -> Arrays.fill(k, (byte) 0));
        entries.clear();
    }
}
