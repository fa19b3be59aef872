package org.pvsim.machine.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pvsim.machine.cpu.DatFixture.*;

import org.junit.jupiter.api.Test;
import org.pvsim.machine.ProgramInterruption;

/**
 * The TLB and the instructions of DAT: purges (IPTE, IDTE, CSPG, PTLB, control-register loads), LRA and
 * LRAG with their condition codes, STRAG, TPROT, the address-space controls SAC/SACF, and MVCOS.
 */
class DatInstructionsTest {
    static final long V = 0x4000_0000L;
    static final long REAL_A = 0x300000;
    static final long REAL_B = 0x310000;
    /** Virtual alias of the page holding V's page-table entry. */
    static final long PTE_ALIAS = 0x8000;

    final DatFixture f = new DatFixture();
    final long asce = f.asce(0);
    long pte;

    DatInstructionsTest() {
        f.identity(asce);
        pte = f.map(asce, V, REAL_A);
        f.map(asce, PTE_ALIAS, pte);
        f.write(REAL_A, 0xaaaa);
        f.write(REAL_B, 0xbbbb);
    }

    long cc() {
        return (f.c.gr[15] >>> 28) & 3;
    }

    static final String IPM_15 = "b22200f0 ";

    // ---- purges ---------------------------------------------------------------------------------

    @Test
    void ipteInvalidatesTheEntryAndPurgesTheTlb() {
        long pto = f.read(f.entryAddress(asce, V, 0)) & ~0x7ffL;
        f.run(asce, load(2, V) + lg(4, 2, 0) + load(6, pto) + ipte(6, 2) + lg(5, 2, 0) + END);
        assertThat(f.c.gr[4]).isEqualTo(0xaaaa);
        assertThat(f.pgmCode()).isEqualTo(0x11);
        assertThat(f.teid()).isEqualTo(V);
        assertThat(f.read(pte) & 0x400).isNotZero();
    }

    /** lg 4 (old mapping, now in the TLB); the PTE is pointed at REAL_B by a store; then {@code purge}; lg 5. */
    String remapThen(String purge) {
        return load(2, V) + lg(4, 2, 0) + load(7, PTE_ALIAS + (pte & 0xfff)) + load(8, REAL_B) + stg(8, 7, 0)
                + purge + lg(5, 2, 0) + END;
    }

    @Test
    void aStoreIntoAPageTableTakesEffectAfterPtlb() {
        f.run(asce, remapThen(s("b20d", 0, 0)));
        assertThat(f.c.gr[4]).isEqualTo(0xaaaa);
        assertThat(f.c.gr[5]).isEqualTo(0xbbbb);
    }

    @Test
    void cspgSwapsTheEntryAndPurgesWhenAsked() {
        String cspg = load(6, REAL_A) + load(7, REAL_B) + load(8, PTE_ALIAS + (pte & 0xfff) | 1) + rre("b98a", 6, 8)
                + IPM_15;
        f.run(asce, load(2, V) + lg(4, 2, 0) + cspg + lg(5, 2, 0) + END);
        assertThat(f.c.gr[4]).isEqualTo(0xaaaa);
        assertThat(f.c.gr[5]).isEqualTo(0xbbbb);
        assertThat(cc()).isZero();
        assertThat(f.read(pte)).isEqualTo(REAL_B);
    }

    @Test
    void cspWithAnotherValueFailsAndLoadsTheOperand() {
        f.write(0x5000, 0x1234_5678_0000_0000L);
        f.run(asce, load(6, 99) + load(7, 1) + load(8, 0x5000) + rre("b250", 6, 8) + IPM_15 + END);
        assertThat(cc()).isEqualTo(1);
        assertThat(f.c.gr[6]).isEqualTo(0x1234_5678L);
        assertThat(f.read(0x5000)).isEqualTo(0x1234_5678_0000_0000L);
    }

    @Test
    void idteInvalidatesTheSegmentEntryAndPurges() {
        f.run(asce, load(2, V) + lg(4, 2, 0) + load(6, asce & ~0xfffL) + idte(6, 2) + lg(5, 2, 0) + END);
        assertThat(f.c.gr[4]).isEqualTo(0xaaaa);
        assertThat(f.pgmCode()).isEqualTo(0x10);
        assertThat(f.read(f.entryAddress(asce, V, 0)) & 0x20).isNotZero();
    }

    @Test
    void loadingCr1SwitchesTheAddressSpace() {
        long other = f.asce(0);
        f.identity(other);
        f.map(other, V, REAL_B);
        f.write(DATA, other);
        f.run(asce, load(2, V) + lg(4, 2, 0) + load(9, DATA) + lctlg(1, 1, 9, 0) + lg(5, 2, 0) + END);
        assertThat(f.c.gr[4]).isEqualTo(0xaaaa);
        assertThat(f.c.gr[5]).isEqualTo(0xbbbb);
    }

    @Test
    void turningDatOffPurgesTheVirtualEntries() {
        // stnsm 0xe20,0xfb (DAT off); lg 5,0(2) now reads real V, beyond storage
        f.run(asce, load(2, V) + lg(4, 2, 0) + "acfb0e20 " + lg(5, 2, 0) + END);
        assertThat(f.c.gr[4]).isEqualTo(0xaaaa);
        assertThat(f.pgmCode()).isEqualTo(ProgramInterruption.ADDRESSING);
    }

    // ---- translation as an answer ---------------------------------------------------------------

    String lragOf(long v) {
        return load(2, v) + lrag(3, 2, 0) + IPM_15 + END;
    }

    @Test
    void lragOfAMappedAddressIsCc0WithTheRealAddress() {
        f.run(asce, lragOf(V + 0x123));
        assertThat(cc()).isZero();
        assertThat(f.c.gr[3]).isEqualTo(REAL_A + 0x123);
    }

    @Test
    void lragTranslatesWithDatOffToo() {
        f.start(asce, 0, lragOf(V + 0x8));
        f.c.setPsw(Psw.MASK_64BIT_DISABLED, CODE);
        f.run(100);
        assertThat(cc()).isZero();
        assertThat(f.c.gr[3]).isEqualTo(REAL_A + 0x8);
    }

    @Test
    void lragOfAnInvalidSegmentEntryIsCc1WithTheEntryAddress() {
        long ste = f.entryAddress(asce, 0x5000_0000L, 0);
        f.run(asce, lragOf(0x5000_0000L));
        assertThat(cc()).isEqualTo(1);
        assertThat(f.c.gr[3]).isEqualTo(ste);
    }

    @Test
    void lragOfAnInvalidPageEntryIsCc2WithTheEntryAddress() {
        long invalid = f.map(asce, 0x5000_0000L, REAL_B, 0x400);
        f.run(asce, lragOf(0x5000_0000L));
        assertThat(cc()).isEqualTo(2);
        assertThat(f.c.gr[3]).isEqualTo(invalid);
    }

    @Test
    void lragOfAnAddressBeyondTheTablesIsCc3WithTheCode() {
        f.run(asce, load(3, 0x7777_7777_0000_0000L) + lragOf(0x1_0000_0000L));
        assertThat(cc()).isEqualTo(3);
        assertThat(f.c.gr[3]).isEqualTo(0x7777_7777_8000_0038L);
    }

    @Test
    void lraGivesTheRealAddressInBits32To63() {
        f.run(asce, load(3, 0x5555_5555_0000_0000L) + load(2, V + 4) + "b1302000 " + IPM_15 + END);
        assertThat(cc()).isZero();
        assertThat(f.c.gr[3]).isEqualTo(0x5555_5555_0000_0000L | (REAL_A + 4));
    }

    @Test
    void stragStoresTheRealAddress() {
        f.run(asce, load(2, V + 0x10) + load(3, DATA) + sse("e502", 3, 0, 2, 0) + END);
        assertThat(f.read(DATA)).isEqualTo(REAL_A + 0x10);
    }

    /** tprot 0(2),key<<4 */
    String tprot(long v, int key) {
        return load(2, v) + sse("e501", 2, 0, 0, key << 4) + IPM_15 + END;
    }

    @Test
    void tprotOfAWritablePageIsCc0() {
        f.run(asce, tprot(V, 0));
        assertThat(cc()).isZero();
    }

    @Test
    void tprotOfADatProtectedPageIsCc1() {
        f.write(pte, REAL_A | 0x200);
        f.run(asce, tprot(V, 0));
        assertThat(cc()).isEqualTo(1);
    }

    @Test
    void tprotOfAFetchProtectedFrameWithAnotherKeyIsCc2() {
        f.m.storageKeys().put(REAL_A >>> 12, (byte) 0x38);
        f.run(asce, tprot(V, 2));
        assertThat(cc()).isEqualTo(2);
    }

    @Test
    void tprotOfAnAddressThatDoesNotTranslateIsCc3() {
        f.run(asce, tprot(0x5000_0000L, 0));
        assertThat(cc()).isEqualTo(3);
    }

    // ---- address spaces ---------------------------------------------------------------------------

    long otherSpace() {
        long other = f.asce(0);
        f.identity(other);
        f.map(other, V, REAL_B);
        return other;
    }

    @Test
    void sacfToSecondaryReadsThroughCr7() {
        long other = otherSpace();
        f.start(asce, Dat.CR0_SECONDARY_SPACE, load(2, V) + s("b279", 0, 0x100) + lg(5, 2, 0) + s("b279", 0, 0)
                + lg(4, 2, 0) + END);
        f.c.cr[7] = other;
        f.run(100);
        assertThat(f.ended()).isTrue();
        assertThat(f.c.gr[5]).isEqualTo(0xbbbb);
        assertThat(f.c.gr[4]).isEqualTo(0xaaaa);
    }

    @Test
    void sacToHomeReadsThroughCr13() {
        long other = otherSpace();
        f.start(asce, 0, load(2, V) + s("b219", 0, 0x300) + lg(5, 2, 0) + s("b219", 0, 0) + END);
        f.c.cr[13] = other;
        f.run(100);
        assertThat(f.ended()).isTrue();
        assertThat(f.c.gr[5]).isEqualTo(0xbbbb);
    }

    @Test
    void secondaryModeNeedsTheSecondarySpaceControl() {
        f.run(asce, s("b219", 0, 0x100) + END);
        assertThat(f.pgmCode()).isEqualTo(ProgramInterruption.SPECIAL_OPERATION);
    }

    @Test
    void sacWithDatOffIsASpecialOperationException() {
        f.start(asce, 0, s("b219", 0, 0) + END);
        f.c.setPsw(Psw.MASK_64BIT_DISABLED, CODE);
        f.run(100);
        assertThat(f.pgmCode()).isEqualTo(ProgramInterruption.SPECIAL_OPERATION);
    }

    @Test
    void accessRegisterModeIsNotModelledAndIsASpecificationException() {
        f.start(asce, Dat.CR0_SECONDARY_SPACE, s("b219", 0, 0x200) + END);
        f.run(100);
        assertThat(f.pgmCode()).isEqualTo(ProgramInterruption.SPECIFICATION);
    }

    @Test
    void mvcosMovesFromTheSecondarySpaceNamedInGr0() {
        long other = otherSpace();
        // gr0: OAC2 = secondary space (bits 8-9 = 10) with its A bit; mvcos 0(3),0(2),4
        f.start(asce, 0, load(0, 0x0081) + load(2, V) + load(3, DATA) + load(4, 8) + "c8403000 2000 " + IPM_15 + END);
        f.c.cr[7] = other;
        f.run(100);
        assertThat(f.ended()).isTrue();
        assertThat(cc()).isZero();
        assertThat(f.read(DATA)).isEqualTo(0xbbbb);
    }

    @Test
    void mvcosOfMoreThan4096BytesMoves4096AndIsCc3() {
        f.write(REAL_A + 4095, 0x7700_0000_0000_0000L);
        f.write(REAL_A + 4096, 0x6600_0000_0000_0000L);
        f.map(asce, V + 0x1000, REAL_A + 0x1000);
        f.map(asce, 0x20000, 0x20000);
        f.map(asce, 0x21000, 0x21000);
        f.run(asce, load(0, 0) + load(2, V) + load(3, 0x20000) + load(4, 5000) + "c8403000 2000 " + IPM_15 + END);
        assertThat(cc()).isEqualTo(3);
        assertThat(f.storage().readByte(0x20000 + 4095, org.pvsim.machine.storage.Storage.HOST)).isEqualTo(0x77);
        assertThat(f.storage().readByte(0x20000 + 4096, org.pvsim.machine.storage.Storage.HOST)).isZero();
    }
}
