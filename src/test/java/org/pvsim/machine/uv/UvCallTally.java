package org.pvsim.machine.uv;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.pvsim.machine.uv.cb.UvCommand;

/**
 * UV answers counted per command and rc from many threads: a stress test keeps one tally of the calls its
 * threads made and one of the UV's own call events, and the two must agree afterwards.
 */
final class UvCallTally {
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    void count(UvCommand command, int rc) {
        counts.computeIfAbsent(command + String.format(" rc 0x%04x", rc), k -> new LongAdder()).increment();
    }

    /** The counts so far, sorted by command and rc. */
    Map<String, Long> snapshot() {
        Map<String, Long> r = new TreeMap<>();
        counts.forEach((k, v) -> r.put(k, v.sum()));
        return r;
    }
}
