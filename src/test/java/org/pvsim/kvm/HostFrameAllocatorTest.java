package org.pvsim.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostFrameAllocatorTest {
    private static final long SIZE = 4L << 20; // 1024 frames, 256 below FIRST_FRAME

    @Test
    void allocatesAlignedRunsAboveTheBootAreaAndAccountsByUse() {
        HostFrameAllocator a = new HostFrameAllocator(SIZE);
        assertThat(a.freeBytes()).isEqualTo(3L << 20);
        long x = a.allocate(1, HostFrameAllocator.Use.KERNEL);
        long y = a.allocate(4, 4, HostFrameAllocator.Use.DAT);
        assertThat(x).isGreaterThanOrEqualTo(1L << 20);
        assertThat(y & 0x3fff).isZero();
        assertThat(a.bytesInUse(HostFrameAllocator.Use.DAT)).isEqualTo(4 * 4096);
        assertThat(a.bytesInUse(HostFrameAllocator.Use.KERNEL)).isEqualTo(4096);
        a.free(y, 4, HostFrameAllocator.Use.DAT);
        assertThat(a.bytesInUse(HostFrameAllocator.Use.DAT)).isZero();
        assertThat(a.isAllocated(y)).isFalse();
        assertThat(a.isAllocated(x)).isTrue();
    }

    @Test
    void exhaustionAnswersMinusOneAndFreedFramesComeBack() {
        HostFrameAllocator a = new HostFrameAllocator(SIZE);
        long last = 0;
        for (int i = 0; i < 768; i++) {
            last = a.allocate(1, HostFrameAllocator.Use.GUEST);
            assertThat(last).isPositive();
        }
        assertThat(a.allocate(1, HostFrameAllocator.Use.GUEST)).isEqualTo(-1);
        a.free(last, 1, HostFrameAllocator.Use.GUEST);
        assertThat(a.allocate(1, HostFrameAllocator.Use.GUEST)).isEqualTo(last);
        assertThat(a.allocate(2, HostFrameAllocator.Use.GUEST)).isEqualTo(-1);
    }

    @Test
    void doubleFreeAndForeignRangesAreRefused() {
        HostFrameAllocator a = new HostFrameAllocator(SIZE);
        long x = a.allocate(1, HostFrameAllocator.Use.KERNEL);
        a.free(x, 1, HostFrameAllocator.Use.KERNEL);
        assertThatThrownBy(() -> a.free(x, 1, HostFrameAllocator.Use.KERNEL)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("double free");
        assertThatThrownBy(() -> a.free(0x1000, 1, HostFrameAllocator.Use.KERNEL)).isInstanceOf(IllegalArgumentException.class);
        assertThat(a.allocateAbove(2L << 20, 256, 256, HostFrameAllocator.Use.UV_DONATION)).isEqualTo(2L << 20);
    }
}
