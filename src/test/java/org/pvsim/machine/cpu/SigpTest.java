package org.pvsim.machine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.pvsim.machine.Lowcore;
import org.pvsim.machine.SigpOrder;
import org.pvsim.machine.storage.Storage;

/** SIGP orders whose effects land in storage or in another CPU: store status and the conditional emergency signal. */
class SigpTest {
    static final long CODE = 0x2000;
    static final long CPU1_PREFIX = 0x20000;

    Machine m = new Machine(new Machine.Options(1L << 20, 2, true, false), s -> { });
    Cpu c0 = m.cpu(0);
    Cpu c1 = m.cpu(1);

    void write(long at, String hex) {
        byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
        m.storage().write(at, b, 0, b.length, Storage.HOST);
    }

    long abs64(long a) {
        return m.storage().readLong(a, Storage.HOST);
    }

    /** CPU 0 runs {@code hex} at 0x2000; its program-new PSW and 0x3000 hold disabled waits. */
    void cpu0(String hex) {
        write(CODE, hex);
        m.storage().writeLong(Lowcore.PGM_NEW_PSW, 0x0002000180000000L, Storage.HOST);
        m.storage().writeLong(Lowcore.PGM_NEW_PSW + 8, 0xfff, Storage.HOST);
        m.storage().writeLong(0x3000, 0x0002000180000000L, Storage.HOST);
        m.storage().writeLong(0x3008, 0xfff, Storage.HOST);
        m.ipl(new Psw(Psw.MASK_64BIT_DISABLED, CODE));
    }

    @Test
    void stopAndStoreStatusStoresIntoTheTargetsOwnPrefixArea() {
        // lghi 3,1; sigp 4,3,9 (stop and store status); then a disabled wait
        cpu0("a7390001 ae430009 a51f3000 b2b21000");
        c1.prefix = CPU1_PREFIX;
        c1.setPsw(Psw.MASK_64BIT_DISABLED, 0x2800);
        write(0x2800, "a7f40000"); // CPU 1 loops: j .
        c1.gr[15] = 0x1234_5678_9abc_def0L;
        c1.cr[0] = 0x00000000_000000e0L;
        c1.start();
        Machine.Result r = m.run(1000);
        assertThat(r.ending()).isEqualTo(Machine.Ending.DISABLED_WAIT);
        assertThat(c1.state()).isEqualTo(Cpu.State.STOPPED);
        long sa = CPU1_PREFIX + Lowcore.SAVE_FPRS;
        assertThat(m.storage().readInt(CPU1_PREFIX + Lowcore.SAVE_PREFIX, Storage.HOST)).isEqualTo((int) CPU1_PREFIX);
        assertThat(abs64(CPU1_PREFIX + Lowcore.SAVE_GRS + 15 * 8)).isEqualTo(0x1234_5678_9abc_def0L);
        assertThat(abs64(CPU1_PREFIX + Lowcore.SAVE_PSW)).isEqualTo(Psw.MASK_64BIT_DISABLED);
        assertThat(abs64(CPU1_PREFIX + Lowcore.SAVE_PSW + 8)).isEqualTo(0x2800);
        assertThat(abs64(CPU1_PREFIX + Lowcore.SAVE_CRS)).isEqualTo(0xe0);
        assertThat(m.storage().readByte(CPU1_PREFIX + Lowcore.ARCH_MODE_ID, Storage.HOST)).isEqualTo(1);
        assertThat(sa).isEqualTo(CPU1_PREFIX + 0x1200);
        // nothing of it in CPU 0's prefix area
        assertThat(m.storage().readInt(Lowcore.SAVE_PREFIX, Storage.HOST)).isZero();
        assertThat(abs64(Lowcore.SAVE_GRS + 15 * 8)).isZero();
    }

    @Test
    void storeStatusAtAddressZeroStoresAtAbsoluteZero() {
        // lghi 3,1; lghi 5,0 (address 0); sigp 4,3,14 (store status at address); then a disabled wait
        cpu0("a7390001 a7590000 ae43000e a51f3000 b2b21000");
        c1.prefix = CPU1_PREFIX;
        c1.gr[2] = 0x42;
        Machine.Result r = m.run(1000);
        assertThat(r.ending()).isEqualTo(Machine.Ending.DISABLED_WAIT);
        assertThat(c0.cc).isZero();
        assertThat(m.storage().readInt(0x118, Storage.HOST)).isEqualTo((int) CPU1_PREFIX); // prefix
        assertThat(abs64(0x80 + 2 * 8)).isEqualTo(0x42); // GR 2
        assertThat(m.storage().readInt(CPU1_PREFIX + Lowcore.SAVE_PREFIX, Storage.HOST)).isZero();
    }

    @Test
    void conditionalEmergencySignalReachesARunningCpu() {
        // CPU 1 loops enabled for external interruptions until the emergency signal's handler stops it
        // in a disabled wait; CPU 0: lghi 3,1; lghi 5,0 (ASN); sigp 4,3,0x13; then a disabled wait
        cpu0("a7390001 a7590000 ae430013 a51f3000 b2b21000");
        c1.prefix = CPU1_PREFIX;
        m.storage().writeLong(CPU1_PREFIX + Lowcore.EXT_NEW_PSW, 0x0002000180000000L, Storage.HOST);
        m.storage().writeLong(CPU1_PREFIX + Lowcore.EXT_NEW_PSW + 8, 0x1fff, Storage.HOST);
        write(0x2800, "a7f40000"); // j .
        c1.setPsw(Psw.MASK_64BIT_DISABLED | Psw.EXT, 0x2800);
        c1.cr[0] |= Interruptions.CR0_EMERGENCY_SIGNAL;
        c1.start();
        Machine.Result r = m.run(100_000);
        assertThat(r.ending()).isEqualTo(Machine.Ending.DISABLED_WAIT);
        assertThat(c0.cc).isZero();
        assertThat(m.storage().readShort(CPU1_PREFIX + Lowcore.EXT_CODE, Storage.HOST))
                .isEqualTo(Interruptions.EXT_EMERGENCY_SIGNAL);
        assertThat(m.storage().readShort(CPU1_PREFIX + Lowcore.EXT_CPU_ADDR, Storage.HOST)).isZero();
        assertThat(c1.psw().address()).isEqualTo(0x1fff);
    }

    @Test
    void conditionalEmergencySignalToAStoppedEnabledCpuWaitingAtZeroIsAnIncorrectState() {
        c1.setPsw(Psw.MASK_64BIT_DISABLED | Psw.EXT | Psw.IO | Psw.WAIT, 0);
        c1.stop();
        assertThat(Sigp.order(c0, c1, SigpOrder.CONDITIONAL_EMERGENCY_SIGNAL, 0)).isEqualTo(SigpOrder.STATUS_INCORRECT_STATE);
        assertThat(c1.emergencyFrom).isZero();
        // the same CPU waiting at a nonzero address would take it
        c1.setPsw(Psw.MASK_64BIT_DISABLED | Psw.EXT | Psw.IO | Psw.WAIT, 0x4000);
        c1.stop();
        assertThat(Sigp.order(c0, c1, SigpOrder.CONDITIONAL_EMERGENCY_SIGNAL, 0)).isZero();
        assertThat(c1.emergencyFrom).isEqualTo(1L);
    }

    @Test
    void conditionalEmergencySignalMatchesTheAsnOfAStoppedCpuThatDoesNotWait() {
        c1.setPsw(Psw.MASK_64BIT_DISABLED | Psw.EXT | Psw.IO, 0x4000);
        c1.stop();
        c1.cr[4] = 7; // primary ASN
        assertThat(Sigp.order(c0, c1, SigpOrder.CONDITIONAL_EMERGENCY_SIGNAL, 8)).isEqualTo(SigpOrder.STATUS_INCORRECT_STATE);
        assertThat(Sigp.order(c0, c1, SigpOrder.CONDITIONAL_EMERGENCY_SIGNAL, 7)).isZero();
    }
}
