package org.pvsim.machine.uv.cb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The shared codec itself; the byte layouts of the real blocks are UvcbLayoutTest's (against gcc). */
class UvcbLayoutCodecTest {
    static final UvcbLayout LAYOUT = UvcbLayout.of("Test", 0x20).u64(0x08).u32(0x10).u16(0x16).u8(0x1f);

    @Test
    void encodesBigEndianAtTheOffsetsAndDecodesZeroExtended() {
        UvcbHeader h = new UvcbHeader(0x20, 0x1234, 0, 0);
        byte[] b = LAYOUT.encode(h, 0x0102030405060708L, 0xfffffffeL, 0xfffe, 0xff);
        assertThat(b).hasSize(0x20);
        assertThat(b).startsWith(0x00, 0x20, 0x12, 0x34, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(java.util.Arrays.copyOfRange(b, 0x10, 0x20))
                .containsExactly(0xff, 0xff, 0xff, 0xfe, 0, 0, 0xff, 0xfe, 0, 0, 0, 0, 0, 0, 0, 0xff);
        UvcbLayout.Fields f = LAYOUT.decode(b);
        assertThat(f.header()).isEqualTo(h);
        assertThat(f.values()).containsExactly(0x0102030405060708L, 0xfffffffeL, 0xfffe, 0xff);
        assertThat(f.small(1)).isEqualTo(-2);
    }

    @Test
    void encodingIntoABlockStoresTheHeaderAndFieldsOnly() {
        byte[] b = new byte[0x20];
        java.util.Arrays.fill(b, (byte) 0x77);
        LAYOUT.encodeInto(b, new UvcbHeader(0x20, 0x1234, 1, 2), 0x0102030405060708L, 0, 0, 0xff);
        assertThat(b).startsWith(0x00, 0x20, 0x12, 0x34, 0, 1, 0, 2, 1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(java.util.Arrays.copyOfRange(b, 0x10, 0x20))
                .containsExactly(0, 0, 0, 0, 0x77, 0x77, 0, 0, 0x77, 0x77, 0x77, 0x77, 0x77, 0x77, 0x77, 0xff);
        assertThatThrownBy(() -> LAYOUT.encodeInto(new byte[0x1f], new UvcbHeader(0x20, 1, 0, 0), 1, 2, 3, 4))
                .hasMessage("Test UVCB needs 32 bytes, got 31");
    }

    @Test
    void rejectsFieldsOutsideTheBlockOrMisalignedAndShortBlocks() {
        assertThatThrownBy(() -> UvcbLayout.of("X", 0x20).u64(0x20)).hasMessageContaining("X: field at 0x20");
        assertThatThrownBy(() -> UvcbLayout.of("X", 0x20).u64(0x04)).hasMessageContaining("0x4");
        assertThatThrownBy(() -> UvcbLayout.of("X", 0x20).u32(0x12)).hasMessageContaining("0x12");
        assertThatThrownBy(() -> LAYOUT.decode(new byte[0x1f])).hasMessage("Test UVCB needs 32 bytes, got 31");
        assertThatThrownBy(() -> LAYOUT.encode(new UvcbHeader(0x20, 1, 0, 0), 1, 2))
                .hasMessage("Test: 4 fields, 2 values");
    }
}
