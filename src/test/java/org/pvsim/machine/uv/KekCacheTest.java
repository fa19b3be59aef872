package org.pvsim.machine.uv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pvsim.machine.uv.HostCallConformanceTest.expect;
import static org.pvsim.machine.uv.ImageCallsConformanceTest.expectRrc;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.pvsim.machine.storage.Storage;
import org.pvsim.machine.uv.cb.SetSecConfParams;

class KekCacheTest {
    private static byte[] bytes(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    @Test
    void derivesOncePerPairAndHandsOutCopies() {
        KekCache cache = new KekCache();
        AtomicInteger derived = new AtomicInteger();
        byte[] first = cache.kek(bytes(32, 1), bytes(160, 2), () -> {
            derived.incrementAndGet();
            return bytes(32, 9);
        });
        Arrays.fill(first, (byte) 0); // a caller wipes its copy
        byte[] second = cache.kek(bytes(32, 1), bytes(160, 2), () -> bytes(32, 7));
        assertThat(second).isEqualTo(bytes(32, 9));
        assertThat(derived).hasValue(1);
        assertThat(cache.kek(bytes(32, 1), bytes(160, 3), () -> bytes(32, 7))).isEqualTo(bytes(32, 7));
        assertThat(cache.kek(bytes(32, 4), bytes(160, 2), () -> bytes(32, 8))).isEqualTo(bytes(32, 8));
        assertThat(cache.hitsAndMisses()).containsExactly(1, 3);
    }

    @Test
    void isBoundedAndForgetsTheLeastRecentlyUsed() {
        KekCache cache = new KekCache();
        for (int i = 0; i <= KekCache.CAPACITY; i++) {
            int v = i;
            cache.kek(bytes(32, 0), bytes(160, i), () -> bytes(32, v));
            if (i == KekCache.CAPACITY - 1) {
                cache.kek(bytes(32, 0), bytes(160, 0), () -> bytes(32, 0)); // touch the eldest: 1 is now eldest
            }
        }
        assertThat(cache.size()).isEqualTo(KekCache.CAPACITY);
        AtomicInteger derived = new AtomicInteger();
        cache.kek(bytes(32, 0), bytes(160, 0), () -> bytes(32, derived.incrementAndGet()));
        assertThat(derived).as("entry 0 was used recently and stays").hasValue(0);
        cache.kek(bytes(32, 0), bytes(160, 1), () -> bytes(32, derived.incrementAndGet()));
        assertThat(derived).as("entry 1 was the least recently used and is gone").hasValue(1);
    }

    @Test
    void aFailedDerivationIsNotCached() {
        KekCache cache = new KekCache();
        assertThatThrownBy(() -> cache.kek(bytes(32, 1), bytes(160, 1), () -> {
            throw new IllegalArgumentException("not on the curve");
        })).hasMessage("not on the curve");
        assertThat(cache.size()).isZero();
        assertThat(cache.kek(bytes(32, 1), bytes(160, 1), () -> bytes(32, 5))).isEqualTo(bytes(32, 5));
    }

    /** Through the UV: a cached KEK changes no answer, neither for the good header nor for bad ones. */
    @Test
    void theUltravisorAnswersTheSameWithACachedKek() {
        UvFixture m = new UvFixture();
        m.init();
        UvFixture.Guest g = m.createGuest(16L << 20);
        TestImages.Image image = TestImages.build(m.storage, g.mem()::host,
                ImageCallsConformanceTest.hostKeys(UvFixture.IDENTITY), 0xe0, TestImages.components(1, 1));
        byte[] good = image.headerBytes();
        byte[] badSlotTag = good.clone();
        badSlotTag[0x1a0 + 32 + 5] ^= 1; // the first key slot's wrapped key (the machine's first host key)
        byte[] badCurve = good.clone();
        badCurve[0x40 + 79] ^= 1;
        KekCache keks = m.uv.kekCache();

        expect(ssc(m, m.createGuest(16L << 20), good), 1);
        assertThat(keks.hitsAndMisses()).containsExactly(0, 1);
        expect(ssc(m, g, good), 1);
        assertThat(keks.hitsAndMisses()).containsExactly(1, 1);
        expectRrc(ssc(m, m.createGuest(16L << 20), badSlotTag), 0x010a, 0x0042);
        assertThat(keks.hitsAndMisses()).containsExactly(2, 1);
        for (int i = 0; i < 2; i++) {
            expectRrc(ssc(m, m.createGuest(16L << 20), badCurve), 0x0108, 0x000b);
        }
        assertThat(keks.hitsAndMisses()).containsExactly(2, 3);
        assertThat(keks.size()).isEqualTo(1);
    }

    private static org.pvsim.machine.uv.cb.UvCaller.Answer<SetSecConfParams> ssc(UvFixture m, UvFixture.Guest g,
            byte[] header) {
        long addr = m.alloc(8192, 4096);
        m.storage.write(addr, header, 0, header.length, Storage.HOST);
        return m.call(SetSecConfParams.of(g.handle(), addr, header.length));
    }

}
