package org.pvsim.machine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.pvsim.machine.Lowcore;
import org.pvsim.machine.ProgramInterruption;
import org.pvsim.machine.storage.Storage;

/** SSKE, ISKE and RRBE: what they keep, and the addressing exception for a frame beyond storage. */
class StorageKeysTest {
    static final long CODE = 0x2000;
    static final long MEMORY = 1L << 20;

    Machine m = new Machine(new Machine.Options(MEMORY, 1, true, false), s -> { });
    Cpu c = m.cpu(0);

    /** Runs {@code hex} with R1 = key, R2 = address; returns the program-interruption code. */
    int run(long mask, String hex, long key, long address) {
        byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
        m.storage().write(CODE, b, 0, b.length, Storage.HOST);
        m.storage().writeLong(Lowcore.PGM_NEW_PSW, 0x0002000180000000L, Storage.HOST);
        m.storage().writeLong(Lowcore.PGM_NEW_PSW + 8, 0xfff, Storage.HOST);
        m.storage().writeShort(Lowcore.PGM_CODE, 0, Storage.HOST);
        m.ipl(new Psw(mask, CODE));
        c.gr[1] = key;
        c.gr[2] = address;
        m.run(b.length / 4);
        return m.storage().readShort(Lowcore.PGM_CODE, Storage.HOST);
    }

    static final String SSKE = "b22b0012";
    static final String ISKE = "b2290012";
    static final String RRBE = "b22a0012";

    @Test
    void aKeySetIsInsertedBack() {
        assertThat(run(Psw.MASK_64BIT_DISABLED, SSKE + ISKE.replace("0012", "0032"), 0x36, 0x5000)).isZero();
        assertThat(c.gr[3] & 0xff).isEqualTo(0x36);
    }

    @Test
    void resetReferenceBitReportsReferenceAndChange() {
        assertThat(run(Psw.MASK_64BIT_DISABLED, SSKE + RRBE, 0x06, 0x5000)).isZero(); // reference and change set
        assertThat(c.cc).isEqualTo(3);
        assertThat(run(Psw.MASK_64BIT_DISABLED, ISKE.replace("0012", "0032"), 0, 0x5000)).isZero();
        assertThat(c.gr[3] & 0xff).isEqualTo(0x02); // reference bit reset, change kept
    }

    @Test
    void aFrameBeyondStorageIsAnAddressingException() {
        for (String insn : new String[] {SSKE, ISKE, RRBE}) {
            assertThat(run(Psw.MASK_64BIT_DISABLED, insn, 0x10, MEMORY)).as(insn).isEqualTo(ProgramInterruption.ADDRESSING);
            assertThat(run(Psw.BA, insn, 0x10, 0x7ffff000L)).as(insn + " 31-bit").isEqualTo(ProgramInterruption.ADDRESSING);
        }
    }

    @Test
    void a64BitAddressWithTheHighBitSetIsAnAddressingExceptionNotAKeyOfItsOwn() {
        for (String insn : new String[] {SSKE, ISKE, RRBE}) {
            assertThat(run(Psw.MASK_64BIT_DISABLED, insn, 0x10, -4096L)).as(insn).isEqualTo(ProgramInterruption.ADDRESSING);
        }
        assertThat(m.storageKeys()).isEmpty();
    }

    @Test
    void theLow12BitsAndTheAddressingModesHighBitsAreIgnored() {
        // in the 24-bit mode only bits 40-51 address the frame: 0xff005123 is frame 5
        assertThat(run(0, SSKE, 0x20, 0xff005123L)).isZero();
        assertThat(m.storageKeys().get(5L)).isEqualTo((byte) 0x20);
    }
}
