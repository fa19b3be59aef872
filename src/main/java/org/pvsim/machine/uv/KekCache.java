package org.pvsim.machine.uv;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * A simulator speed-up, not firmware behaviour: remembers the key-encryption keys of the last
 * {@link #CAPACITY} (host key, customer public key) pairs. A KEK is a pure function of that pair
 * (SHA-256 of the ECDH secret), and one P-521 scalar multiplication costs the JDK milliseconds, while
 * a test suite or a benchmark opens the same image again and again. Only successfully derived KEKs
 * are kept, so a customer key that fails (not on the curve) fails again the same way; callers get a
 * copy they may wipe. Real firmware does ECDH in hardware and needs nothing of this.
 *
 * <p>Lookups take no lock: every SET_SEC_CONF_PARAMS of every configuration comes here, and one monitor
 * made configurations on two CPUs wait for each other. Recency is a tick per entry, bumped only when the
 * entry is not already the most recent one (so two threads opening one image write nothing shared); the
 * rare insert evicts the least recent entry under a lock. A cached KEK is never changed once published,
 * and an evicted one is dropped, not wiped, as a lookup may be copying it at that moment.
 */
final class KekCache {
    static final int CAPACITY = 64;

    private record Pair(ByteBuffer hostKeyHash, ByteBuffer customerKey) {
    }

    private static final class Entry {
        final byte[] kek;
        volatile long used;

        Entry(byte[] kek, long used) {
            this.kek = kek;
            this.used = used;
        }
    }

    private final Map<Pair, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong clock = new AtomicLong();
    private final Object inserts = new Object();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    /**
     * The KEK for the host key with digest {@code hostKeyHash} and the customer key whose 160-byte
     * padded X‖Y is {@code customerKey}: from the cache, or from {@code derive} (which may throw; then
     * nothing is cached). Returns a fresh copy.
     */
    byte[] kek(byte[] hostKeyHash, byte[] customerKey, Supplier<byte[]> derive) {
        Pair key = new Pair(ByteBuffer.wrap(hostKeyHash.clone()), ByteBuffer.wrap(customerKey.clone()));
        Entry e = entries.get(key);
        if (e != null) {
            hits.increment();
            if (e.used != clock.get()) {
                e.used = clock.incrementAndGet();
            }
            return e.kek.clone();
        }
        misses.increment();
        byte[] kek = derive.get(); // no lock held: two threads may both derive, which is harmless
        synchronized (inserts) {
            entries.put(key, new Entry(kek.clone(), clock.incrementAndGet()));
            if (entries.size() > CAPACITY) {
                evictLeastRecent();
            }
        }
        return kek;
    }

    private void evictLeastRecent() {
        Map.Entry<Pair, Entry> eldest = null;
        for (Map.Entry<Pair, Entry> x : entries.entrySet()) {
            if (eldest == null || x.getValue().used < eldest.getValue().used) {
                eldest = x;
            }
        }
        entries.remove(eldest.getKey(), eldest.getValue());
    }

    int size() {
        return entries.size();
    }

    /** Lookups answered from the cache and lookups that derived the KEK (for tests and benchmarks). */
    long[] hitsAndMisses() {
        return new long[] {hits.sum(), misses.sum()};
    }

    /** Forgets every KEK. */
    void clear() {
        synchronized (inserts) {
            entries.clear();
        }
    }
}
