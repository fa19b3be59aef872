package org.pvsim.kvm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.pvsim.testing.InParallel;

/**
 * Page faults racing munmap of their mapping, as two vCPU threads touching memory the VMM unmaps: each
 * fault either gets a frame or EFAULT, and once every mapping is gone every frame any fault took is back in
 * the allocator (none kept by a slot munmap never saw, none freed twice, which the allocator refuses).
 */
class UserMemoryRaceTest {
    private static final int PAGES = 256;
    private static final int ROUNDS = 300;

    @Test
    void faultsRacingMunmapLoseNoFrameAndFreeNoneTwice() throws Exception {
        KvmFixture f = new KvmFixture();
        UserMemory mm = f.kvm.mm();
        long guestBefore = guestBytes(f);
        AtomicLong faulted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        for (int round = 0; round < ROUNDS; round++) {
            long m = mm.mmap(PAGES * 4096L);
            int delay = round % 64;
            InParallel.run(3, t -> {
                if (t == 2) {
                    for (int i = 0; i < delay * 100; i++) {
                        Thread.onSpinWait();
                    }
                    mm.munmap(m);
                    return;
                }
                // both faulting threads touch the same pages in the same order, so they also race each other
                for (int p = 0; p < PAGES; p++) {
                    try {
                        assertThat(mm.faultIn("test", m + p * 4096L)).isPositive();
                        faulted.incrementAndGet();
                    } catch (KvmException e) {
                        assertThat(e.errno()).isEqualTo(Errno.EFAULT);
                        refused.incrementAndGet();
                        return;
                    }
                }
            });
        }
        assertThat(guestBytes(f)).as("guest frames in use after every mapping is gone").isEqualTo(guestBefore);
        assertThat(faulted.get()).as("faults that got a frame").isPositive();
        assertThat(refused.get()).as("faults that met munmap").isPositive();
    }

    private static long guestBytes(KvmFixture f) {
        return f.kvm.stats().bytesInUse().get(HostFrameAllocator.Use.GUEST);
    }
}
