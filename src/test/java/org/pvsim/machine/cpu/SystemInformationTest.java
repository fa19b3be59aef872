package org.pvsim.machine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.pvsim.machine.Lowcore;
import org.pvsim.machine.ProgramInterruption;
import org.pvsim.machine.sclp.Ebcdic;
import org.pvsim.machine.storage.Storage;

/** STSI: the configuration level, the reserved and ignored register bits, and the SYSIBs' fields. */
class SystemInformationTest {
    static final long CODE = 0x2000;
    static final long SYSIB = 0x10000;

    Machine m = new Machine(new Machine.Options(1L << 20, 2, true, false), s -> { });
    Cpu c = m.cpu(0);

    /** Runs STSI 0(2) with the given R0 and R1 (R2 = the SYSIB page). */
    void stsi(long r0, long r1) {
        byte[] b = HexFormat.of().parseHex("b27d2000");
        m.storage().write(CODE, b, 0, b.length, Storage.HOST);
        m.storage().writeLong(Lowcore.PGM_NEW_PSW, 0x0002000180000000L, Storage.HOST);
        m.storage().writeLong(Lowcore.PGM_NEW_PSW + 8, 0xfff, Storage.HOST);
        m.ipl(new Psw(Psw.MASK_64BIT_DISABLED, CODE));
        c.gr[0] = r0;
        c.gr[1] = r1;
        c.gr[2] = SYSIB;
        c.cc = 2;
        m.run(1);
    }

    int pgmCode() {
        return m.storage().readShort(Lowcore.PGM_CODE, Storage.HOST);
    }

    String text(long off, int len) {
        return Ebcdic.decode(m.storage().read(SYSIB + off, len, Storage.HOST), 0, len).trim();
    }

    int u16(long off) {
        return m.storage().readShort(SYSIB + off, Storage.HOST);
    }

    @Test
    void functionCodeZeroReportsTheLparLevel() {
        stsi(0, 0);
        assertThat(c.cc).isZero();
        assertThat(c.gr[0] >>> 28 & 0xf).isEqualTo(2);
    }

    @Test
    void functionCodeZeroReportsLevelThreeInAGuestConfiguration() {
        m.setGuestConfiguration("GUEST1");
        stsi(0xffffffff00000000L, 0);
        assertThat(c.cc).isZero();
        assertThat(c.gr[0]).isEqualTo(0xffffffff30000000L);
    }

    @Test
    void theVirtualMachineIsDescribedIn322AndBits0To31OfR0AndR1AreIgnored() {
        m.setGuestConfiguration("GUEST1");
        stsi(0xdeadbeef_00000000L | 3L << 28 | 2, 0xffffffff_00000002L);
        assertThat(pgmCode()).isZero();
        assertThat(c.cc).isZero();
        assertThat(m.storage().readByte(SYSIB + 31, Storage.HOST) & 0xf).isEqualTo(1); // count
        assertThat(u16(32 + 4)).isEqualTo(2); // total CPUs
        assertThat(u16(32 + 6)).isEqualTo(2); // configured
        assertThat(text(32 + 12, 8)).isEqualTo("GUEST1");
        assertThat(m.storage().readInt(SYSIB + 32 + 20, Storage.HOST)).isEqualTo(SystemInformation.CAF);
        assertThat(text(32 + 24, 16)).isEqualTo("PVSIM");
    }

    @Test
    void sysib322IsNotAvailableInTheLpar() {
        stsi(3L << 28 | 2, 2);
        assertThat(c.cc).isEqualTo(3);
        assertThat(pgmCode()).isZero();
    }

    @Test
    void reservedBitsOfR0AndR1AreASpecificationException() {
        stsi(1L << 28 | 1 | 1L << 8, 1); // bit 55 of R0
        assertThat(pgmCode()).isEqualTo(ProgramInterruption.SPECIFICATION);
        m.storage().writeShort(Lowcore.PGM_CODE, 0, Storage.HOST);
        stsi(1L << 28 | 1, 1 | 1L << 16); // bit 47 of R1
        assertThat(pgmCode()).isEqualTo(ProgramInterruption.SPECIFICATION);
    }

    @Test
    void lparAndMachineSysibsCarryTheArchitectedFields() {
        m.setGuestConfiguration("GUEST1");
        stsi(2L << 28 | 2, 2);
        assertThat(c.cc).isZero();
        assertThat(u16(32)).isEqualTo(1); // LPAR number
        assertThat(u16(36)).isEqualTo(2);
        assertThat(u16(38)).isEqualTo(2);
        assertThat(text(44, 8)).isEqualTo("PVSIM");
        stsi(1L << 28 | 2, 2);
        assertThat(c.cc).isZero();
        assertThat(u16(36)).isEqualTo(2); // 1.2.2 total CPUs
        assertThat(u16(38)).isEqualTo(2);
        stsi(1L << 28 | 1, 1);
        assertThat(c.cc).isZero();
        assertThat(text(32, 16)).isEqualTo("IBM");
        assertThat(text(48, 4)).isEqualTo("3931");
        assertThat(text(80, 16)).isEqualTo("PVSIM"); // sequence code
    }

    @Test
    void invalidSelectorsAnswerCc3AndAnUnalignedSysibIsASpecificationException() {
        stsi(1L << 28, 1); // selector 1 of 0
        assertThat(c.cc).isEqualTo(3);
        stsi(7L << 28, 0);
        assertThat(c.cc).isEqualTo(3);
        byte[] b = HexFormat.of().parseHex("b27d202a"); // 42 bytes into the page
        m.storage().write(CODE, b, 0, b.length, Storage.HOST);
        m.ipl(new Psw(Psw.MASK_64BIT_DISABLED, CODE));
        c.gr[0] = 1L << 28 | 1;
        c.gr[1] = 1;
        c.gr[2] = SYSIB;
        m.run(1);
        assertThat(pgmCode()).isEqualTo(ProgramInterruption.SPECIFICATION);
    }
}
