package org.pvsim.kvm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.pvsim.testing.InParallel;

/**
 * Two threads allocate and free runs of the striped allocator at once (single frames, aligned runs that
 * fit a chunk, runs too large for one, which take the all-storage path): no frame is ever handed out
 * twice, and afterwards every counter is back where it started.
 */
class HostFrameAllocatorStressTest {
    private static final long SIZE = 1L << 30; // four stripes
    private static final int ROUNDS = 20_000;

    private record Run(long address, long pages, HostFrameAllocator.Use use) {
    }

    @Test
    void twoThreadsNeverShareAFrameAndTheAccountingComesOutExact() throws Exception {
        HostFrameAllocator a = new HostFrameAllocator(SIZE);
        long free0 = a.freeBytes();
        ConcurrentHashMap<Long, Integer> owner = new ConcurrentHashMap<>(); // frame -> thread holding it
        List<List<Run>> kept = List.of(new ArrayList<>(), new ArrayList<>());
        InParallel.run(2, me -> churn(a, me, owner, kept.get(me)));
        long keptBytes = 0;
        for (List<Run> runs : kept) {
            for (Run r : runs) {
                for (long f = 0; f < r.pages; f++) {
                    assertThat(a.isAllocated(r.address + f * 4096)).isTrue();
                }
                keptBytes += r.pages * 4096;
            }
        }
        assertThat(a.freeBytes()).isEqualTo(free0 - keptBytes);
        for (List<Run> runs : kept) {
            for (Run r : runs) {
                a.free(r.address, r.pages, r.use);
            }
        }
        assertThat(a.freeBytes()).isEqualTo(free0);
        for (HostFrameAllocator.Use u : HostFrameAllocator.Use.values()) {
            assertThat(a.bytesInUse(u)).as(u.name()).isZero();
        }
    }

    /** Allocates and frees at random, claiming every frame it gets in {@code owner}; keeps a few at the end. */
    private static void churn(HostFrameAllocator a, int me, ConcurrentHashMap<Long, Integer> owner, List<Run> kept) {
        Random rnd = new Random(me);
        List<Run> live = new ArrayList<>();
        HostFrameAllocator.Use[] uses = HostFrameAllocator.Use.values();
        for (int i = 0; i < ROUNDS; i++) {
            if (live.size() < 64 && (live.isEmpty() || rnd.nextInt(3) > 0)) {
                int kind = rnd.nextInt(20);
                long pages = kind == 0 ? 5000 : kind < 5 ? 8 : 1; // 5000 frames span two chunks
                long align = kind < 5 && kind > 0 ? 4 : 1;
                HostFrameAllocator.Use use = uses[rnd.nextInt(uses.length)];
                long addr = a.allocate(pages, align, use);
                assertThat(addr).isPositive();
                assertThat(addr & (align * 4096 - 1)).isZero();
                for (long f = 0; f < pages; f++) {
                    Integer prev = owner.putIfAbsent(addr + f * 4096, me);
                    assertThat(prev).as("frame 0x%x handed out twice", addr + f * 4096).isNull();
                }
                live.add(new Run(addr, pages, use));
            } else {
                Run r = live.remove(rnd.nextInt(live.size()));
                for (long f = 0; f < r.pages; f++) {
                    owner.remove(r.address + f * 4096);
                }
                a.free(r.address, r.pages, r.use);
            }
        }
        kept.addAll(live);
    }
}
