package org.pvsim.machine.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pvsim.machine.cpu.DatFixture.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.pvsim.machine.ProgramInterruption;

/** Dynamic address translation of the CPU: the tables, the exceptions and their TEID, EDAT, protection. */
class DatTest {
    static final long VALUE = 0x1122334455667788L;
    static final long REAL = 0x300000;

    final DatFixture f = new DatFixture();

    /** A virtual address that needs every table of designation type {@code type}. */
    static long vaddr(int type) {
        return switch (type) {
            case 3 -> 0x1230_0000_0012_3000L;
            case 2 -> 0x0010_0400_0012_3000L;
            case 1 -> 0x0000_0100_0012_3000L;
            default -> 0x4012_3000L;
        };
    }

    /** r2 = v; r3 = VALUE; stg 3,0(2) at CODE + 24; lg 4,0(2); end. */
    static String storeAndLoad(long v) {
        return load(2, v) + load(3, VALUE) + stg(3, 2, 0) + lg(4, 2, 0) + END;
    }

    static final long STG_AT = CODE + 24;

    @ParameterizedTest(name = "designation type {0}")
    @ValueSource(ints = {0, 1, 2, 3})
    void everyDesignationTypeTranslatesToTheRealPage(int type) {
        long asce = f.asce(type);
        f.identity(asce);
        f.map(asce, vaddr(type), REAL);
        f.run(asce, storeAndLoad(vaddr(type) + 0x48));
        assertThat(f.ended()).isTrue();
        assertThat(f.read(REAL + 0x48)).isEqualTo(VALUE);
        assertThat(f.c.gr[4]).isEqualTo(VALUE);
    }

    @Test
    void withDatOffTheSameProgramStoresAtTheRealAddress() {
        f.start(0, 0, storeAndLoad(REAL + 8));
        f.c.setPsw(Psw.MASK_64BIT_DISABLED, CODE);
        f.run(100);
        assertThat(f.ended()).isTrue();
        assertThat(f.read(REAL + 8)).isEqualTo(VALUE);
    }

    /** The level whose entry is left invalid (3 region-first .. 0 segment, -1 page) and the code it raises. */
    @ParameterizedTest(name = "invalid entry at level {0}: 0x{1}")
    @CsvSource({"3, 39", "2, 3a", "1, 3b", "0, 10", "-1, 11"})
    void anInvalidEntryIsItsTranslationExceptionWithTheTeidAndNullifies(int level, String hex) {
        long asce = f.asce(3);
        f.identity(asce);
        long v = vaddr(3);
        if (level == -1) {
            f.map(asce, v, REAL, 0x400);
        } else if (level < 3) {
            f.entryAddress(asce, v, level);
        }
        f.run(asce, storeAndLoad(v + 0x10));
        assertThat(f.pgmCode()).isEqualTo(Integer.parseInt(hex, 16));
        assertThat(f.teid()).isEqualTo(v); // the page, primary space (bits 62-63 zero)
        assertThat(f.pgmOldAddress()).isEqualTo(STG_AT);
        assertThat(f.read(REAL + 0x10)).isZero();
    }

    @Test
    void anInstructionFetchFromAnUnmappedPageIsAPageTranslationExceptionAtThatAddress() {
        long asce = f.asce(0);
        f.identity(asce);
        f.map(asce, 0x5000, 0x5000, 0x400);
        f.run(asce, load(2, 0x5000) + rr("0d", 14, 2));
        assertThat(f.pgmCode()).isEqualTo(0x11);
        assertThat(f.teid()).isEqualTo(0x5000);
        assertThat(f.pgmOldAddress()).isEqualTo(0x5000);
    }

    @Test
    void theTeidNamesTheSecondarySpace() {
        long asce = f.asce(0);
        f.identity(asce);
        long secondary = f.asce(0);
        f.identity(secondary);
        f.start(asce, Dat.CR0_SECONDARY_SPACE, s("b279", 0, 0x100) + storeAndLoad(0x4000_0000L));
        f.c.cr[7] = secondary;
        f.run(100);
        assertThat(f.pgmCode()).isEqualTo(0x10);
        assertThat(f.teid()).isEqualTo(0x4000_0000L | Dat.SECONDARY);
    }

    @ParameterizedTest(name = "designation type {0}")
    @ValueSource(ints = {0, 1, 2})
    void anAddressBeyondTheTopTableIsAnAsceTypeException(int type) {
        long asce = f.asce(type);
        f.identity(asce);
        long v = 1L << (31 + 11 * type);
        f.run(asce, storeAndLoad(v));
        assertThat(f.pgmCode()).isEqualTo(0x38);
        assertThat(f.teid()).isEqualTo(v);
    }

    @Test
    void theAsceTableLengthIsChecked() {
        long asce = f.asce(0) & ~3L; // a segment table of 512 entries
        f.identity(asce);
        f.run(asce, storeAndLoad(0x2000_0000L)); // segment index 512
        assertThat(f.pgmCode()).isEqualTo(0x10);
        assertThat(f.teid()).isEqualTo(0x2000_0000L);
    }

    @Test
    void aRegionEntrysTableOffsetIsChecked() {
        long asce = f.asce(1);
        f.identity(asce);
        long v = 0xc000_0000L; // region-third index 1, segment index 1024
        f.map(asce, v, REAL);
        long rtte = f.entryAddress(asce, v, 1);
        f.write(rtte, f.read(rtte) | 0x40); // table offset 1: segment indexes below 512 are not in the table
        f.run(asce, storeAndLoad(0x9000_0000L)); // region-third index 1 too, segment index 256
        assertThat(f.pgmCode()).isEqualTo(0x10);
    }

    @Test
    void aRegionEntrysTableLengthIsChecked() {
        long asce = f.asce(2);
        f.identity(asce);
        long v = 0x0000_0300_0000_0000L; // region-third index 1536: needs length 3
        f.map(asce, v, REAL);
        long rste = f.entryAddress(asce, v, 2);
        f.write(rste, f.read(rste) & ~3L | 2);
        f.run(asce, storeAndLoad(v));
        assertThat(f.pgmCode()).isEqualTo(0x3b);
    }

    @Test
    void aSegmentEntryWithTheWrongTableTypeIsATranslationSpecificationException() {
        long asce = f.asce(0);
        f.identity(asce);
        long ste = f.entryAddress(asce, 0x4000_0000L, 0);
        f.map(asce, 0x4000_0000L, REAL);
        f.write(ste, f.read(ste) | 0x4);
        f.run(asce, storeAndLoad(0x4000_0000L));
        assertThat(f.pgmCode()).isEqualTo(ProgramInterruption.TRANSLATION_SPECIFICATION);
    }

    @Test
    void aPageEntryWithBit52IsATranslationSpecificationException() {
        long asce = f.asce(0);
        f.identity(asce);
        f.map(asce, 0x4000_0000L, REAL, 0x800);
        f.run(asce, storeAndLoad(0x4000_0000L));
        assertThat(f.pgmCode()).isEqualTo(ProgramInterruption.TRANSLATION_SPECIFICATION);
    }

    @Test
    void aTableBeyondStorageIsAnAddressingException() {
        long asce = f.asce(0);
        f.identity(asce);
        f.write(f.entryAddress(asce, 0x4000_0000L, 0), 0x4000_0000L); // page table at 1 GiB
        f.run(asce, storeAndLoad(0x4000_0000L));
        assertThat(f.pgmCode()).isEqualTo(ProgramInterruption.ADDRESSING);
    }

    @Test
    void edat1MapsAOneMegabyteSegmentFrame() {
        long asce = f.asce(0);
        f.identity(asce);
        f.write(f.entryAddress(asce, 0x4000_0000L, 0), 0x0050_0000L | 0x400);
        f.start(asce, Dat.CR0_EDAT, storeAndLoad(0x400a_b120L));
        f.run(100);
        assertThat(f.ended()).isTrue();
        assertThat(f.read(0x005a_b120L)).isEqualTo(VALUE);
    }

    @Test
    void edat2MapsATwoGigabyteRegionFrame() {
        long asce = f.asce(1);
        f.identity(asce);
        f.write(f.entryAddress(asce, 0x8000_0000L, 1), 0x0000_0000L | 0x400 | 0x4);
        f.start(asce, Dat.CR0_EDAT, storeAndLoad(0x8030_0040L));
        f.run(100);
        assertThat(f.ended()).isTrue();
        assertThat(f.read(0x30_0040L)).isEqualTo(VALUE);
    }

    @Test
    void prefixingFollowsARealPageButNotAnAbsoluteFrame() {
        long asce = f.asce(0);
        f.identity(asce);
        f.map(asce, 0x4000_0000L, 0); // real page 0: the prefix area
        f.write(f.entryAddress(asce, 0x4010_0000L, 0), 0x400); // a 1 MiB frame at absolute 0
        f.start(asce, Dat.CR0_EDAT, load(2, 0x4000_0f00L) + load(5, 0x4010_0f08L) + load(3, VALUE)
                + stg(3, 2, 0) + stg(3, 5, 0) + END);
        f.c.prefix = 0x20000;
        f.write(0x20000 + DONE_PSW, f.read(DONE_PSW));
        f.write(0x20000 + DONE_PSW + 8, 0xfff);
        f.run(100);
        assertThat(f.ended()).isTrue();
        assertThat(f.read(0x20f00)).isEqualTo(VALUE); // real 0xf00 -> absolute prefix + 0xf00
        assertThat(f.read(0xf08)).isEqualTo(VALUE); // absolute 0xf08, unprefixed
        assertThat(f.read(0xf00)).isZero();
    }

    // ---- DAT protection ------------------------------------------------------------------------

    @ParameterizedTest(name = "protection bit in the {0} entry")
    @ValueSource(strings = {"page", "segment", "region"})
    void aProtectedEntryAllowsLoadsButAStoreIsAProtectionException(String where) {
        long asce = f.asce(1);
        f.identity(asce);
        long v = 0x4000_0000L;
        long pte = f.map(asce, v, REAL);
        f.write(REAL, 42);
        switch (where) {
            case "page" -> f.write(pte, f.read(pte) | 0x200);
            case "segment" -> f.write(f.entryAddress(asce, v, 0), f.read(f.entryAddress(asce, v, 0)) | 0x200);
            default -> f.write(f.entryAddress(asce, v, 1), f.read(f.entryAddress(asce, v, 1)) | 0x200);
        }
        f.start(asce, Dat.CR0_EDAT, load(2, v) + load(3, VALUE) + lg(4, 2, 0) + stg(3, 2, 0) + END);
        f.run(100);
        assertThat(f.c.gr[4]).isEqualTo(42);
        assertThat(f.pgmCode()).isEqualTo(ProgramInterruption.PROTECTION);
        assertThat(f.teid()).isEqualTo(v | Dat.TEID_DAT);
        assertThat(f.pgmOldAddress()).isEqualTo(CODE + 36); // suppressed: past the store
        assertThat(f.read(REAL)).isEqualTo(42);
    }

    @Test
    void regionProtectionNeedsEdat1() {
        long asce = f.asce(1);
        f.identity(asce);
        long v = 0x4000_0000L;
        f.map(asce, v, REAL);
        f.write(f.entryAddress(asce, v, 1), f.read(f.entryAddress(asce, v, 1)) | 0x200);
        f.run(asce, storeAndLoad(v));
        assertThat(f.ended()).isTrue();
        assertThat(f.read(REAL)).isEqualTo(VALUE);
    }

    @Test
    void instructionExecutionProtectionStopsAFetchWithIepOn() {
        long asce = f.asce(0);
        f.identity(asce);
        f.map(asce, 0x5000, 0x5000, 0x100);
        f.write(0x5000, 0xb2b20e00_00000000L); // lpswe DONE_PSW
        f.start(asce, Dat.CR0_IEP, load(2, 0x5000) + rr("0d", 14, 2));
        f.run(100);
        assertThat(f.pgmCode()).isEqualTo(ProgramInterruption.PROTECTION);
        assertThat(f.teid()).isEqualTo(0x5000 | Dat.TEID_IEP);
        assertThat(f.pgmOldAddress()).isEqualTo(0x5000);
    }

    @Test
    void withoutIepTheNoExecuteBitIsIgnored() {
        long asce = f.asce(0);
        f.identity(asce);
        f.map(asce, 0x5000, 0x5000, 0x100);
        f.write(0x5000, 0xb2b20e00_00000000L);
        f.run(asce, load(2, 0x5000) + rr("0d", 14, 2));
        assertThat(f.ended()).isTrue();
    }

    // ---- low-address and key-controlled protection ----------------------------------------------

    @ParameterizedTest(name = "DAT {0}")
    @ValueSource(booleans = {true, false})
    void lowAddressProtectionRefusesStoresTo0To511And4096To4607(boolean dat) {
        long asce = f.asce(0);
        f.identity(asce);
        f.start(asce, Dat.CR0_LOW_ADDRESS_PROTECTION, mvi(0, 0x200, 1) + load(2, 0x1200) + mvi(2, 0, 2)
                + load(2, 0x1000) + mvi(2, 0x1f0, 3) + END);
        if (!dat) {
            f.c.setPsw(Psw.MASK_64BIT_DISABLED, CODE);
        }
        f.run(100);
        assertThat(f.storage().readByte(0x200, org.pvsim.machine.storage.Storage.HOST)).isEqualTo(1);
        assertThat(f.storage().readByte(0x1200, org.pvsim.machine.storage.Storage.HOST)).isEqualTo(2);
        assertThat(f.pgmCode()).isEqualTo(ProgramInterruption.PROTECTION);
        assertThat(f.teid()).isEqualTo(0x1000 | Dat.TEID_LOW_ADDRESS);
        assertThat(f.storage().readByte(0x11f0, org.pvsim.machine.storage.Storage.HOST)).isZero();
    }

    @Test
    void aPrivateSpaceIsNotLowAddressProtected() {
        long asce = f.asce(0) | Dat.ASCE_PRIVATE;
        f.identity(asce);
        f.start(asce, Dat.CR0_LOW_ADDRESS_PROTECTION, mvi(0, 0x100, 7) + END);
        f.run(100);
        assertThat(f.ended()).isTrue();
        assertThat(f.storage().readByte(0x100, org.pvsim.machine.storage.Storage.HOST)).isEqualTo(7);
    }

    /** sske 3,2 (key in r3 for the frame at r2); spka 0x20 (PSW key 2); then the access. */
    static String withKey(int storageKey, String access) {
        return load(2, 0x6000) + load(3, storageKey) + rre("b22b", 3, 2) + s("b20a", 0, 0x20) + access + END;
    }

    @Test
    void aStoreWithAnotherKeyIsAProtectionException() {
        long asce = f.asce(0);
        f.identity(asce);
        f.run(asce, withKey(0x30, load(3, VALUE) + stg(3, 2, 0)));
        assertThat(f.pgmCode()).isEqualTo(ProgramInterruption.PROTECTION);
        assertThat(f.teid() & 0xfff).isEqualTo(Dat.TEID_KEY);
        assertThat(f.read(0x6000)).isZero();
    }

    @Test
    void aStoreWithTheMatchingKeyIsDone() {
        long asce = f.asce(0);
        f.identity(asce);
        f.run(asce, withKey(0x20, load(3, VALUE) + stg(3, 2, 0)));
        assertThat(f.ended()).isTrue();
        assertThat(f.read(0x6000)).isEqualTo(VALUE);
    }

    @ParameterizedTest(name = "storage key {0}")
    @CsvSource({"48, false", "56, true"})
    void aFetchWithAnotherKeyFaultsOnlyOnAFetchProtectedFrame(int storageKey, boolean faults) {
        long asce = f.asce(0);
        f.identity(asce);
        f.write(0x6000, 99);
        f.run(asce, withKey(storageKey, lg(4, 2, 0)));
        if (faults) {
            assertThat(f.pgmCode()).isEqualTo(ProgramInterruption.PROTECTION);
            assertThat(f.c.gr[4]).isZero();
        } else {
            assertThat(f.ended()).isTrue();
            assertThat(f.c.gr[4]).isEqualTo(99);
        }
    }

    @Test
    void keyNineFramesPassWithTheStorageProtectionOverride() {
        long asce = f.asce(0);
        f.identity(asce);
        f.start(asce, Dat.CR0_STORAGE_PROTECTION_OVERRIDE, withKey(0x90, load(3, VALUE) + stg(3, 2, 0)));
        f.run(100);
        assertThat(f.ended()).isTrue();
        assertThat(f.read(0x6000)).isEqualTo(VALUE);
    }
}
