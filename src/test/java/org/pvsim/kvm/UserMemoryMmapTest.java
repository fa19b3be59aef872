package org.pvsim.kvm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.pvsim.testing.InParallel;

/**
 * mmap from several threads at once: each thread maps from an arena of its own, and no two mappings of the
 * process overlap, whichever threads made them, however large (a mapping larger than an arena included).
 */
class UserMemoryMmapTest {
    private static final long MIB = 1L << 20;

    @Test
    void mappingsOfConcurrentThreadsAreDisjointAndAligned() throws Exception {
        UserMemory mm = new KvmFixture().kvm.mm();
        ConcurrentLinkedQueue<long[]> ranges = new ConcurrentLinkedQueue<>();
        InParallel.run(4, t -> {
            for (int i = 0; i < 200; i++) {
                long length = (i % 7 + 1) * 4096L + (i % 3) * MIB;
                long start = mm.mmap(length);
                ranges.add(new long[] {start, length});
                mm.write(start + length - 1, new byte[] {(byte) t}); // the last byte is inside the mapping
            }
        });
        TreeMap<Long, Long> byStart = new TreeMap<>();
        for (long[] r : ranges) {
            assertThat(r[0] % MIB).as("start 0x%x", r[0]).isZero();
            assertThat(byStart.put(r[0], r[1])).as("two mappings at 0x%x", r[0]).isNull();
        }
        long end = 0;
        for (var e : byStart.entrySet()) {
            assertThat(e.getKey()).as("mapping at 0x%x overlaps the one before", e.getKey()).isGreaterThanOrEqualTo(end);
            end = e.getKey() + e.getValue();
        }
        assertThat(byStart).hasSize(800);
    }

    @Test
    void aMappingLargerThanTheArenaGetsAnArenaOfItsOwn() {
        UserMemory mm = new KvmFixture().kvm.mm();
        long small = mm.mmap(4096);
        long large = mm.mmap(1L << 31); // twice an arena; its pages are made on first touch only
        long after = mm.mmap(4096);
        for (long a : List.of(small, after)) {
            assertThat(a < large || a >= large + (1L << 31)).as("0x%x inside the large mapping", a).isTrue();
        }
        mm.write(large + (1L << 31) - 1, new byte[] {1});
        assertThat(mm.read(large + (1L << 31) - 1, 1)).containsExactly(1);
        assertThat(mm.isMapped(after, 4096)).isTrue();
    }
}
