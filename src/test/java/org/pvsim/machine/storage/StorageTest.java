package org.pvsim.machine.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pvsim.machine.storage.Storage.HOST;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pvsim.machine.ProgramInterruption;

class StorageTest {
    private static final int GUEST = 5;
    private static final int OTHER = 6;

    private static int pic(Runnable r) {
        try {
            r.run();
        } catch (ProgramInterruption e) {
            return e.code();
        }
        return 0;
    }

    @Test
    void untouchedStorageCostsNoFrames() {
        Storage s = new Storage(1L << 40); // 1 TiB addressable
        assertThat(s.materialisedFrames()).isZero();
        assertThat(s.readLong((1L << 40) - 8, HOST)).isZero();
        assertThat(s.materialisedFrames()).isZero();
        s.writeLong(0xfe_d456_7000L, 0x1122334455667788L, HOST);
        assertThat(s.materialisedFrames()).isOne();
        assertThat(s.readLong(0xfe_d456_7000L, HOST)).isEqualTo(0x1122334455667788L);
    }

    @Test
    void anIdleGigabyteMachineNeedsAlmostNoHeap() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        Storage[] many = new Storage[64];
        for (int i = 0; i < many.length; i++) {
            many[i] = new Storage(1L << 30);
        }
        System.gc();
        long after = rt.totalMemory() - rt.freeMemory();
        assertThat(after - before).as("heap for 64 idle 1 GiB machines").isLessThan(16L << 20);
        assertThat(many[63].size()).isEqualTo(1L << 30);
    }

    @Test
    void defaultSizeIsFourGiB() {
        assertThat(new Storage().size()).isEqualTo(4L << 30);
    }

    @Test
    void clearedFrameReadsZeroAndReleasesBytes() {
        Storage s = new Storage(1L << 20);
        s.writeInt(0x2000, -1, HOST);
        s.rawClearFrame(2);
        assertThat(s.materialisedFrames()).isZero();
        assertThat(s.readInt(0x2000, HOST)).isZero();
    }

    /** Every frame state against host, owning guest and another guest. */
    @ParameterizedTest(name = "state {0} owner {1}: host {2}, guest {3}, other guest {4}")
    @CsvSource({
        // state, owner, host pic, owning-guest pic, other-guest pic
        "0, 0, 0x00, 0x3e, 0x3e",    // non-secure: the guest must have it imported first
        "1, 5, 0x3d, 0x00, 0x3f",    // secure for config 5
        "2, 5, 0x00, 0x00, 0x3f",    // shared by config 5
        "3, 0, 0x3d, 0x3f, 0x3f",    // donated to the UV
        "3, 5, 0x3d, 0x3f, 0x3f",    // donated for config 5
    })
    void accessMatrix(int state, int owner, String hostPic, String guestPic, String otherPic) {
        Storage s = new Storage(1L << 20);
        s.setTag(3, Storage.tag(owner, state));
        long a = 3 * 4096 + 16;
        assertThat(pic(() -> s.readLong(a, HOST))).isEqualTo(Integer.decode(hostPic));
        assertThat(pic(() -> s.writeLong(a, 1, HOST))).isEqualTo(Integer.decode(hostPic));
        assertThat(pic(() -> s.readLong(a, GUEST))).isEqualTo(Integer.decode(guestPic));
        assertThat(pic(() -> s.writeByte(a, 1, GUEST))).isEqualTo(Integer.decode(guestPic));
        assertThat(pic(() -> s.readLong(a, OTHER))).isEqualTo(Integer.decode(otherPic));
        assertThat(pic(() -> s.writeLong(a, 1, OTHER))).isEqualTo(Integer.decode(otherPic));
    }

    @Test
    void theExceptionNamesTheFaultingAddress() {
        Storage s = new Storage(1L << 20);
        s.setTag(1, Storage.tag(GUEST, Storage.STATE_SECURE));
        assertThatThrownBy(() -> s.read(0xff8, 16, HOST))
                .isInstanceOfSatisfying(ProgramInterruption.class, e -> {
                    assertThat(e.code()).isEqualTo(0x3d);
                    assertThat(e.address()).isEqualTo(0x1000);
                });
    }

    @Test
    void aWriteAcrossIntoASecureFrameChangesNothing() {
        Storage s = new Storage(1L << 20);
        s.setTag(1, Storage.tag(GUEST, Storage.STATE_SECURE));
        assertThat(pic(() -> s.writeLong(0xffc, -1L, HOST))).isEqualTo(0x3d);
        assertThat(s.readInt(0xffc, HOST)).isZero();
        assertThat(s.materialisedFrames()).isZero();
    }

    @Test
    void aReadAcrossIntoASecureFrameFillsNothing() {
        Storage s = new Storage(1L << 20);
        s.writeInt(0xffc, 0x12345678, HOST);
        s.setTag(1, Storage.tag(GUEST, Storage.STATE_SECURE));
        byte[] dst = new byte[8];
        assertThat(pic(() -> s.read(0xffc, dst, 0, 8, HOST))).isEqualTo(0x3d);
        assertThat(dst).containsOnly(0);
    }

    @Test
    void crossFrameAccessIsBigEndianAndSeamless() {
        Storage s = new Storage(1L << 20);
        s.writeLong(0x1ffc, 0x0102030405060708L, HOST);
        assertThat(s.readInt(0x1ffc, HOST)).isEqualTo(0x01020304);
        assertThat(s.readInt(0x2000, HOST)).isEqualTo(0x05060708);
        assertThat(s.readLong(0x1ffc, HOST)).isEqualTo(0x0102030405060708L);
        assertThat(s.materialisedFrames()).isEqualTo(2);
    }

    @Test
    void accessesPastTheEndAreAddressingExceptions() {
        Storage s = new Storage(1L << 20);
        assertThat(pic(() -> s.readByte(1L << 20, HOST))).isEqualTo(ProgramInterruption.ADDRESSING);
        assertThat(pic(() -> s.readLong((1L << 20) - 4, HOST))).isEqualTo(ProgramInterruption.ADDRESSING);
        assertThat(pic(() -> s.writeLong((1L << 20) - 4, 0, HOST))).isEqualTo(ProgramInterruption.ADDRESSING);
        assertThat(pic(() -> s.readByte(-1, HOST))).isEqualTo(ProgramInterruption.ADDRESSING);
        assertThat(pic(() -> s.readByte(Long.MAX_VALUE, HOST))).isEqualTo(ProgramInterruption.ADDRESSING);
        assertThat(pic(() -> s.stateOf(1L << 8))).isEqualTo(ProgramInterruption.ADDRESSING);
        assertThat(pic(() -> s.setTag(1L << 8, 0))).isEqualTo(ProgramInterruption.ADDRESSING);
        assertThat(pic(() -> s.readLong((1L << 20) - 8, HOST))).isZero();
    }

    @Test
    void emptyAccessesAtTheEndAreFine() {
        Storage s = new Storage(1L << 20);
        s.write(1L << 20, new byte[0], 0, 0, HOST);
        assertThat(s.read(1L << 20, 0, HOST)).isEmpty();
    }

    @Test
    void badSizesAndWidthsAreRejected() {
        assertThatThrownBy(() -> new Storage(4095)).hasMessageContaining("multiple of 4 KiB");
        assertThatThrownBy(() -> new Storage(0)).hasMessageContaining("positive");
        assertThatThrownBy(() -> new Storage(1L << 43)).hasMessageContaining("4 TiB");
        Storage s = new Storage(1L << 20);
        assertThatThrownBy(() -> s.readUnsigned(0, 9, HOST)).hasMessageContaining("1..8");
        assertThatThrownBy(() -> s.setTag(0, -1)).hasMessageContaining("negative");
    }

    @Test
    void tagsReadBackAndZeroTagsOnUntouchedChunksCostNothing() {
        Storage s = new Storage(1L << 30);
        s.setTag(70000, 0);
        assertThat(s.tagOf(70000)).isZero();
        s.setTag(70000, Storage.tag(9, Storage.STATE_SHARED));
        assertThat(s.ownerOf(70000)).isEqualTo(9);
        assertThat(s.stateOf(70000)).isEqualTo(Storage.STATE_SHARED);
    }

    @Test
    void claimingARangeTakesEveryFrameOrNone() {
        Storage s = new Storage(1L << 30);
        int uv = Storage.tag(GUEST, Storage.STATE_UV);
        s.setTag(105, Storage.tag(OTHER, Storage.STATE_SECURE));
        long g0 = s.tagGenerationAcquire();
        assertThat(s.claimFrames(100, 110, uv)).isFalse();
        for (long f = 100; f < 110; f++) {
            assertThat(s.tagOf(f)).as("frame %d", f).isEqualTo(f == 105 ? Storage.tag(OTHER, Storage.STATE_SECURE) : 0);
        }
        assertThat(s.tagGenerationAcquire()).as("frames were taken and given back").isGreaterThan(g0);
        long g1 = s.tagGenerationAcquire();
        assertThat(s.claimFrames(100, 105, uv)).isTrue();
        assertThat(s.tagGenerationAcquire()).isGreaterThan(g1);
        for (long f = 100; f < 105; f++) {
            assertThat(s.tagOf(f)).isEqualTo(uv);
        }
    }

    @Test
    void releasingARangeClearsItsFramesAndGivesThemToTheHost() {
        Storage s = new Storage(1L << 30);
        s.setTags(200, 203, Storage.tag(GUEST, Storage.STATE_UV));
        s.rawFrameForWrite(201)[7] = 42;
        long g = s.tagGenerationAcquire();
        s.clearAndRelease(200, 203);
        assertThat(s.tagGenerationAcquire()).isGreaterThan(g);
        for (long f = 200; f < 203; f++) {
            assertThat(s.tagOf(f)).isZero();
        }
        assertThat(s.read(201L << 12, 4096, HOST)).containsOnly(0);
        assertThat(s.tagOf(203)).isZero();
    }
}
