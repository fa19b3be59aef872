package org.pvsim.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pvsim.machine.SieBlock.*;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pvsim.machine.storage.Storage;

/** The SIE block's sub-doubleword fields, written by the vCPU thread while other threads set its flags. */
class SieControlBlockTest {
    final SieControlBlock sd = new SieControlBlock(new Storage(1 << 20).hostView(), 0x8000);

    @Test
    void fieldsShareADoublewordWithoutTouchingEachOther() {
        sd.orFlags(CPUSTAT_ZARCH | CPUSTAT_STOP_INT);
        sd.setPrefix(0x7fffe000L);
        sd.put8(IICTL, 0x02);
        sd.put16(IPA, 0x8302);
        sd.clearFlags(CPUSTAT_STOP_INT);
        assertThat(sd.u32(CPUFLAGS)).isEqualTo(CPUSTAT_ZARCH);
        assertThat(sd.prefix()).isEqualTo(0x7fffe000L);
        assertThat(sd.u8(IICTL)).isEqualTo(0x02);
        assertThat(sd.u16(IPA)).isEqualTo(0x8302);
    }

    /**
     * kick() sets the stop request from another thread while the vCPU thread rewrites the prefix in the same
     * doubleword: a plain read-modify-write of the prefix would bring a cleared flag back or lose a set one.
     */
    @Test
    @Timeout(30)
    void aFlagSetOrClearedByOneThreadIsNeverLostToAnotherThreadsFieldWrite() throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong writes = new AtomicLong();
        Thread vcpu = new Thread(() -> {
            for (long p = 0; !done.get(); p++) {
                sd.setPrefix((p & 0xffff) << 13);
                writes.incrementAndGet();
            }
        });
        vcpu.start();
        while (writes.get() == 0) {
            Thread.onSpinWait();
        }
        int lost = 0;
        try {
            for (int i = 0; i < 1_000_000; i++) {
                sd.orFlags(CPUSTAT_STOP_INT);
                lost += (sd.u32(CPUFLAGS) & CPUSTAT_STOP_INT) == 0 ? 1 : 0;
                sd.clearFlags(CPUSTAT_STOP_INT);
                lost += (sd.u32(CPUFLAGS) & CPUSTAT_STOP_INT) != 0 ? 1 : 0;
            }
        } finally {
            done.set(true);
            vcpu.join();
        }
        assertThat(writes.get()).as("the other thread really wrote meanwhile").isPositive();
        assertThat(lost).isZero();
    }
}
