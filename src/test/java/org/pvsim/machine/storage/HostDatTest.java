package org.pvsim.machine.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The firmware's walk of host DAT tables answers an address or an exception code, whatever the tables hold. */
class HostDatTest {
    Storage s = new Storage(1L << 20);

    /** A segment table at 0x10000 whose first entry points at a page table at 0x11000 (segment-table ASCE). */
    long asce(long pte) {
        s.writeLong(0x10000, 0x11000, Storage.HOST);
        s.writeLong(0x11000, pte, Storage.HOST);
        return 0x10000;
    }

    @Test
    void aValidPageTranslates() {
        assertThat(HostDat.translate(s, asce(0x5000), 0x123)).isEqualTo(0x5123);
    }

    @Test
    void aPageFrameBeyondStorageIsAPageTranslationException() {
        assertThat(HostDat.translate(s, asce(1L << 20), 0x123)).isEqualTo(-HostDat.PAGE_TRANSLATION);
    }

    @Test
    void aPageFrameWithBitZeroSetIsAPageTranslationExceptionNotAnotherCode() {
        assertThat(HostDat.translate(s, asce(0x8000_0000_0000_5000L), 0x123)).isEqualTo(-HostDat.PAGE_TRANSLATION);
    }
}
