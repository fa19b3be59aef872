package org.pvsim.machine.uv;

import java.util.HashMap;

/**
 * A map keyed by page-aligned addresses. It stores the page number, not the address: addresses have
 * twelve zero low bits, which crowd a HashMap's low-bit buckets into trees while it grows.
 */
final class PageMap<V> {
    private final HashMap<Long, V> map = new HashMap<>();

    V get(long address) {
        return map.get(address >>> 12);
    }

    boolean containsKey(long address) {
        return map.containsKey(address >>> 12);
    }

    void put(long address, V value) {
        map.put(address >>> 12, value);
    }

    V remove(long address) {
        return map.remove(address >>> 12);
    }

    void clear() {
        map.clear();
    }
}
