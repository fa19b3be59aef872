package org.pvsim.kvm;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A snapshot of the host kernel's memory accounting: host frames by use, storage donated to the UV and
 * given back, and what was leaked on purpose (by reason) because the UV did not give it back.
 */
public record KvmStats(Map<HostFrameAllocator.Use, Long> bytesInUse, long donatedBytes, long reclaimedBytes,
        Map<LeakReason, Long> leakedBytes, Map<String, Long> vcpuEvents) {

    /** Why storage was leaked on purpose (reference kernel-pv §3.6, §6.2). */
    public enum LeakReason {
        /** DESTROY_SEC_CPU failed: the CPU's donated storage stays with the UV. */
        CPU_DESTROY_FAILED,
        /** DESTROY_SEC_CONF failed: the configuration's base and variable storage stay with the UV. */
        CONFIG_DESTROY_FAILED,
        /** DESTROY_SEC_CONF failed: the top-level DAT table whose address the UV knows is set aside. */
        ASCE_SET_ASIDE,
        /** A page could be neither destroyed nor exported when its memory was freed. */
        SECURE_PAGE
    }

    public KvmStats {
        bytesInUse = Map.copyOf(bytesInUse);
        leakedBytes = Map.copyOf(leakedBytes);
        vcpuEvents = Map.copyOf(vcpuEvents);
    }

    /**
     * A vCPU event counter as the kernel's vcpu stats name them ({@code exit_0x1c}, {@code diagnose_0x308},
     * {@code sigp_0x03}); 0 if it never happened.
     */
    public long event(String name) {
        return vcpuEvents.getOrDefault(name, 0L);
    }

    /** Donated storage the UV still holds and the host still expects back (donated - reclaimed - leaked). */
    public long outstandingDonation() {
        return donatedBytes - reclaimedBytes - leakedDonation();
    }

    /** Leaked bytes that were donations (CPU and configuration storage). */
    public long leakedDonation() {
        return leaked(LeakReason.CPU_DESTROY_FAILED) + leaked(LeakReason.CONFIG_DESTROY_FAILED);
    }

    public long leaked(LeakReason r) {
        return leakedBytes.getOrDefault(r, 0L);
    }

    public long totalLeaked() {
        return leakedBytes.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The kernel's live counters; {@link #snapshot} makes the record. */
    static final class Counters {
        // Adders: every VM's create and destroy counts here, and a monitor made two VMs wait for each other.
        private final LongAdder donated = new LongAdder();
        private final LongAdder reclaimed = new LongAdder();
        private final Map<LeakReason, Long> leaked = new EnumMap<>(LeakReason.class);

        void donated(long bytes) {
            donated.add(bytes);
        }

        void reclaimed(long bytes) {
            reclaimed.add(bytes);
        }

        synchronized void leaked(LeakReason reason, long bytes) {
            leaked.merge(reason, bytes, Long::sum);
        }

        // Counted on every SIE exit, so an adder per event found by a lock-free lookup of its kind and code,
        // instead of a formatted name in a locked map (which cost each exit a lock and a String.format).
        private final Map<Integer, LongAdder> events = new ConcurrentHashMap<>();
        private static final String[] EVENT_NAMES = {"exit_0x%02x", "diagnose_0x%03x", "sigp_0x%02x"};

        void exit(int icptcode) {
            count(0, icptcode);
        }

        void diagnose(int code) {
            count(1, code);
        }

        void sigp(int order) {
            count(2, order);
        }

        /** {@code code} is at most 16 bits (a diagnose code), so kind and code fit one key. */
        private void count(int kind, int code) {
            events.computeIfAbsent(kind << 16 | code, k -> new LongAdder()).increment();
        }

        private Map<String, Long> eventsByName() {
            Map<String, Long> named = new TreeMap<>();
            events.forEach((key, n) -> named.put(String.format(EVENT_NAMES[key >>> 16], key & 0xffff), n.sum()));
            return named;
        }

        synchronized KvmStats snapshot(HostFrameAllocator allocator) {
            Map<HostFrameAllocator.Use, Long> use = new EnumMap<>(HostFrameAllocator.Use.class);
            for (HostFrameAllocator.Use u : HostFrameAllocator.Use.values()) {
                use.put(u, allocator.bytesInUse(u));
            }
            return new KvmStats(use, donated.sum(), reclaimed.sum(), leaked, eventsByName());
        }
    }
}
