package org.pvsim.machine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.pvsim.machine.Lowcore;
import org.pvsim.machine.ProgramInterruption;
import org.pvsim.machine.sclp.Sclp;
import org.pvsim.machine.storage.Storage;

/**
 * The machine's own services as a program without a hypervisor sees them: SERVC's program checks,
 * DIAGNOSE 308 (IPL) and 288 (watchdog), and a channel subsystem without devices.
 */
class MachineServicesTest {
    static final long CODE = 0x2000;
    static final long WAIT_PSW = 0x300; // a disabled wait at 0xfff: success
    static final String LPSWE_WAIT = "b2b20300";

    Machine m = machine(false);
    Cpu c = m.cpu(0);

    static Machine machine(boolean ultravisor) {
        return new Machine(new Machine.Options(1L << 20, 2, true, ultravisor), s -> { });
    }

    void code(String hex) {
        byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
        m.storage().write(CODE, b, 0, b.length, Storage.HOST);
        m.storage().writeLong(Lowcore.PGM_NEW_PSW, 0x0002000180000000L, Storage.HOST);
        m.storage().writeLong(Lowcore.PGM_NEW_PSW + 8, 0xdead, Storage.HOST);
        m.storage().writeLong(WAIT_PSW, 0x0002000180000000L, Storage.HOST);
        m.storage().writeLong(WAIT_PSW + 8, 0xfff, Storage.HOST);
        m.ipl(new Psw(Psw.MASK_64BIT_DISABLED, CODE));
    }

    int pgmCode() {
        return m.storage().readShort(Lowcore.PGM_CODE, Storage.HOST);
    }

    /** Runs {@code n} instructions and returns the program-interruption code (0: none). */
    int run(int n) {
        m.storage().writeShort(Lowcore.PGM_CODE, 0, Storage.HOST);
        m.run(n);
        return pgmCode();
    }

    // ---- SERVC: the SCCB address and length are checked before the SCLP sees them -------------------

    int servc(long sccb, int command) {
        code("b2200012"); // servc 1,2
        c.gr[1] = command;
        c.gr[2] = sccb;
        return run(1);
    }

    @Test
    void servcInTheFirstEightKiBOrUnalignedOrAbove2GiBIsASpecificationException() {
        assertThat(servc(0x1ff8, Sclp.CMD_READ_SCP_INFO)).isEqualTo(ProgramInterruption.SPECIFICATION);
        m.storage().writeShort(0x3000, 4096, Storage.HOST);
        assertThat(servc(0x3004, Sclp.CMD_READ_SCP_INFO)).isEqualTo(ProgramInterruption.SPECIFICATION);
    }

    @Test
    void servcInThePrefixAreaIsASpecificationException() {
        code("b2200012");
        c.prefix = 0x8000;
        c.gr[1] = Sclp.CMD_READ_SCP_INFO;
        c.gr[2] = 0x9000;
        m.storage().writeLong(0x8000 + Lowcore.PGM_NEW_PSW, 0x0002000180000000L, Storage.HOST);
        m.storage().writeLong(0x8000 + Lowcore.PGM_NEW_PSW + 8, 0xdead, Storage.HOST);
        m.run(1);
        assertThat(m.storage().readShort(0x8000 + Lowcore.PGM_CODE, Storage.HOST)).isEqualTo(ProgramInterruption.SPECIFICATION);
    }

    @Test
    void servcBeyondStorageIsAnAddressingExceptionAndAHighAddressIsNotTruncated() {
        assertThat(servc(0x200000, Sclp.CMD_READ_SCP_INFO)).isEqualTo(ProgramInterruption.ADDRESSING);
        m.storage().writeShort(0x3000, 4096, Storage.HOST);
        assertThat(servc(0x1_0000_3000L, Sclp.CMD_READ_SCP_INFO)).isEqualTo(ProgramInterruption.ADDRESSING);
    }

    @Test
    void anSccbShorterThanItsHeaderIsASpecificationException() {
        for (int len = 0; len < 8; len++) {
            m.storage().writeShort(0x3000, len, Storage.HOST);
            assertThat(servc(0x3000, Sclp.CMD_READ_SCP_INFO)).as("length %d", len).isEqualTo(ProgramInterruption.SPECIFICATION);
        }
        m.storage().writeShort(0x3000, 8, Storage.HOST);
        assertThat(servc(0x3000, Sclp.CMD_READ_SCP_INFO)).isZero();
        assertThat(c.cc).isZero();
        assertThat(m.storage().readShort(0x3006, Storage.HOST)).isEqualTo(Sclp.RC_INSUFFICIENT_SCCB_LENGTH);
    }

    @Test
    void anSccbCrossingItsPageIsAnsweredWithTheServiceSignal() { // kvm-unit-tests sclp: page boundary violation
        m.storage().writeShort(0x3ff8, 64, Storage.HOST);
        m.storage().writeLong(Lowcore.EXT_NEW_PSW, Psw.MASK_64BIT_DISABLED, Storage.HOST);
        m.storage().writeLong(Lowcore.EXT_NEW_PSW + 8, 0x2100, Storage.HOST);
        m.storage().write(0x2100, HexFormat.of().parseHex(LPSWE_WAIT), 0, 4, Storage.HOST);
        m.storage().writeLong(0x310, 0x0102000180000000L, Storage.HOST); // enabled (EXT) wait
        m.storage().writeLong(0x318, 0x2200, Storage.HOST);
        code("b2200012 b2b20310"); // servc 1,2; then wait for the service signal
        c.gr[1] = Sclp.CMD_WRITE_EVENT_DATA;
        c.gr[2] = 0x3ff8;
        c.cr[0] |= 0x200; // service-signal subclass
        Machine.Result r = m.run(100);
        assertThat(r.success()).as("the signal ended the wait").isTrue();
        assertThat(m.storage().readShort(0x3ffe, Storage.HOST)).isEqualTo(Sclp.RC_SCCB_BOUNDARY_VIOLATION);
        assertThat(m.storage().readInt(Lowcore.EXT_PARAM, Storage.HOST)).isEqualTo(0x3ff8);
        assertThat(m.storage().readShort(Lowcore.EXT_CODE, Storage.HOST)).isEqualTo(Interruptions.EXT_SERVICE_SIGNAL);
    }

    @Test
    void servcIgnoresTheUnusedBitsOfItsInstruction() { // kvm-unit-tests sclp: instruction format ignored bits
        m.storage().writeShort(0x3000, 4096, Storage.HOST);
        code("b2204212");
        c.gr[1] = Sclp.CMD_READ_SCP_INFO;
        c.gr[2] = 0x3000;
        assertThat(run(1)).isZero();
        assertThat(c.cc).isZero();
        assertThat(m.storage().readShort(0x3006, Storage.HOST)).isEqualTo(Sclp.RC_NORMAL_READ_COMPLETION);
    }

    @Test
    void aSecondServcBeforeTheFirstSignalIsTakenIsBusy() {
        m.storage().writeShort(0x3000, 4096, Storage.HOST);
        code("b2200012 b2200012");
        c.gr[1] = Sclp.CMD_READ_SCP_INFO;
        c.gr[2] = 0x3000;
        m.run(1);
        assertThat(c.cc).isZero();
        m.run(1);
        assertThat(c.cc).as("the first SCCB's signal is still pending").isEqualTo(2);
    }

    // ---- DIAGNOSE 308 ---------------------------------------------------------------------------

    /** diag 4,6,0x308: block address in GR4, subcode in GR6, rc to GR5. */
    int diag308(long subcode, long address) {
        code("83460308 " + LPSWE_WAIT);
        c.gr[4] = address;
        c.gr[6] = subcode;
        c.gr[5] = -1;
        return run(1);
    }

    void iplb(long at, int length, int type) {
        m.storage().write(at, new byte[4096], 0, 4096, Storage.HOST);
        m.storage().writeInt(at, length, Storage.HOST);
        m.storage().writeByte(at + 12, type, Storage.HOST);
    }

    @Test
    void diag308SubcodesBeyondTheDefinedOnesAreSpecificationExceptions() {
        for (long sub : new long[] {2, 7, 11, 0x101, 0xffff, 0x10001, -1}) {
            assertThat(diag308(sub, 0)).as("subcode %x", sub).isEqualTo(ProgramInterruption.SPECIFICATION);
        }
    }

    @Test
    void diag308SetAndStoreNeedAnEvenRegisterAndAPageAlignedBlock() {
        code("83160308"); // diag 1,6,0x308: odd R1
        c.gr[6] = 5;
        assertThat(run(1)).isEqualTo(ProgramInterruption.SPECIFICATION);
        assertThat(diag308(5, 54321)).isEqualTo(ProgramInterruption.SPECIFICATION);
        assertThat(diag308(6, 54321)).isEqualTo(ProgramInterruption.SPECIFICATION);
        assertThat(diag308(5, 0x100000)).as("beyond storage").isEqualTo(ProgramInterruption.ADDRESSING);
        assertThat(diag308(6, 0xff000 + 4096)).isEqualTo(ProgramInterruption.ADDRESSING);
    }

    @Test
    void diag308StoresOnlyABlockThatWasSetAndValid() {
        assertThat(diag308(6, 0x6000)).isZero();
        assertThat(c.gr[5]).isEqualTo(0x0102);
        iplb(0x4000, 199, IplDiagnose.PBT_CCW);
        diag308(5, 0x4000);
        assertThat(c.gr[5]).as("CCW block one byte short").isEqualTo(0x0402);
        iplb(0x4000, 383, IplDiagnose.PBT_FCP);
        diag308(5, 0x4000);
        assertThat(c.gr[5]).as("FCP block one byte short").isEqualTo(0x0402);
        iplb(0x4000, 4097, IplDiagnose.PBT_CCW);
        diag308(5, 0x4000);
        assertThat(c.gr[5]).as("longer than a page").isEqualTo(0x0402);
        iplb(0x4000, 400, 0x01);
        diag308(5, 0x4000);
        assertThat(c.gr[5]).as("unknown type").isEqualTo(0x0402);
        iplb(0x4000, 200, IplDiagnose.PBT_CCW);
        m.storage().writeLong(0x4000 + 100, 0x1122334455667788L, Storage.HOST);
        assertThat(diag308(5, 0x4000)).isZero();
        assertThat(c.gr[5]).isEqualTo(0x0001);
        assertThat(diag308(6, 0x6000)).isZero();
        assertThat(c.gr[5]).isEqualTo(0x0001);
        assertThat(m.storage().readInt(0x6000, Storage.HOST)).isEqualTo(200);
        assertThat(m.storage().readLong(0x6000 + 100, Storage.HOST)).isEqualTo(0x1122334455667788L);
    }

    @Test
    void diag308PvSubcodesNeedTheUnpackFacility() {
        for (long sub : new long[] {8, 9, 10}) {
            assertThat(diag308(sub, 0x4000)).as("subcode %d", sub).isEqualTo(ProgramInterruption.SPECIFICATION);
        }
        m = machine(true);
        c = m.cpu(0);
        assertThat(diag308(10, 0)).isZero();
        assertThat(c.gr[5]).as("no PV block set").isEqualTo(0x0902);
        assertThat(diag308(9, 0x6000)).isZero();
        assertThat(c.gr[5]).isEqualTo(0x0102);
        iplb(0x4000, 200, IplDiagnose.PBT_CCW);
        diag308(8, 0x4000);
        assertThat(c.gr[5]).as("not a PV block").isEqualTo(0x0402);
    }

    @Test
    void diag308LoadNormalResetsTheCpuAndRunsTheShortPswAtZero() {
        // the short PSW at 0 points at 0x2100: lghi 7,42; lpswe 0x300
        m.storage().write(0x2100, HexFormat.of().parseHex("a779002a" + LPSWE_WAIT), 0, 8, Storage.HOST);
        m.storage().writeLong(0, 0x0008000180000000L | 0x2100, Storage.HOST);
        m.storage().writeLong(0x5000, 0x5a5a, Storage.HOST);
        for (long sub : new long[] {0, 1}) {
            code("83460308 " + LPSWE_WAIT);
            c.gr[6] = sub;
            c.gr[9] = 99;
            c.cr[0] |= 0x200;
            m.cpu(1).start();
            Machine.Result r = m.run(100);
            assertThat(r.success()).as("subcode %d", sub).isTrue();
            assertThat(c.gr[7]).isEqualTo(42);
            assertThat(c.gr[9]).as(sub == 0 ? "a clear reset zeroes registers" : "an initial reset keeps them")
                    .isEqualTo(sub == 0 ? 0 : 99);
            assertThat(c.cr[0]).isEqualTo(0xe0L);
            assertThat(m.cpu(1).state()).isEqualTo(Cpu.State.STOPPED);
            assertThat(m.storage().readLong(0x5000, Storage.HOST)).as("storage kept").isEqualTo(0x5a5a);
        }
    }

    @Test
    void diag308LoadClearClearsStorageAndIplsTheProgramAgain() {
        int[] loads = {0};
        m.setProgram(() -> {
            loads[0]++;
            m.storage().write(0x2100, HexFormat.of().parseHex("a779002a" + LPSWE_WAIT), 0, 8, Storage.HOST);
            m.storage().writeLong(WAIT_PSW, 0x0002000180000000L, Storage.HOST);
            m.storage().writeLong(WAIT_PSW + 8, 0xfff, Storage.HOST);
            return new Psw(Psw.MASK_64BIT_DISABLED, 0x2100);
        });
        code("83460308 " + LPSWE_WAIT);
        m.storage().writeLong(0x5000, 0x5a5a, Storage.HOST);
        c.gr[6] = 3;
        assertThat(m.run(100).success()).isTrue();
        assertThat(loads[0]).isOne();
        assertThat(c.gr[7]).isEqualTo(42);
        assertThat(m.storage().readLong(0x5000, Storage.HOST)).as("storage cleared").isZero();

        code("83460308 " + LPSWE_WAIT);
        m.storage().writeLong(0x5000, 0x5a5a, Storage.HOST);
        c.gr[6] = 4;
        assertThat(m.run(100).success()).isTrue();
        assertThat(loads[0]).isEqualTo(2);
        assertThat(m.storage().readLong(0x5000, Storage.HOST)).as("a dump IPL keeps storage").isEqualTo(0x5a5a);
    }

    // ---- DIAGNOSE 288 ---------------------------------------------------------------------------

    /** diag 0,2,0x288: function GR0, timeout GR1 (seconds), action GR2. */
    int diag288(long function, long seconds, long action) {
        code("83020288");
        c.gr[0] = function;
        c.gr[1] = seconds;
        c.gr[2] = action;
        return run(1);
    }

    @Test
    void diag288ChecksItsOperands() {
        code("83120288"); // diag 1,2,0x288: odd R1
        assertThat(run(1)).isEqualTo(ProgramInterruption.SPECIFICATION);
        assertThat(diag288(Watchdog.INIT, 15, 42)).as("unsupported action").isEqualTo(ProgramInterruption.SPECIFICATION);
        assertThat(diag288(42, 15, 0)).as("unsupported function").isEqualTo(ProgramInterruption.SPECIFICATION);
        assertThat(diag288(Watchdog.CANCEL, 15, 0)).as("no init").isEqualTo(ProgramInterruption.SPECIFICATION);
        assertThat(diag288(Watchdog.CHANGE, 15, 0)).as("no init").isEqualTo(ProgramInterruption.SPECIFICATION);
        assertThat(diag288(Watchdog.INIT, 14, 0)).as("min timer").isEqualTo(ProgramInterruption.SPECIFICATION);
        assertThat(diag288(Watchdog.INIT, 15, 0)).isZero();
        assertThat(diag288(Watchdog.CHANGE, 30, 0)).isZero();
        assertThat(diag288(Watchdog.CANCEL, 0, 0)).isZero();
        assertThat(diag288(Watchdog.CANCEL, 0, 0)).as("cancelled").isEqualTo(ProgramInterruption.SPECIFICATION);
    }

    /** Arms the watchdog and waits enabled (no subclass): only the watchdog can end the wait. */
    Machine.Result armAndWait(boolean cancel) {
        // restart new PSW -> 0x2100: lghi 7,42; lpswe 0x300
        m.storage().writeLong(Lowcore.RESTART_NEW_PSW, Psw.MASK_64BIT_DISABLED, Storage.HOST);
        m.storage().writeLong(Lowcore.RESTART_NEW_PSW + 8, 0x2100, Storage.HOST);
        m.storage().write(0x2100, HexFormat.of().parseHex("a779002a" + LPSWE_WAIT), 0, 8, Storage.HOST);
        m.storage().writeLong(0x310, 0x0102000180000000L, Storage.HOST); // enabled (EXT) wait
        m.storage().writeLong(0x318, 0x2200, Storage.HOST);
        code("83020288 " + (cancel ? "a7090002 83020288 " : "") + "b2b20310");
        c.gr[0] = Watchdog.INIT;
        c.gr[1] = 20;
        c.gr[2] = 0;
        return m.run(1000);
    }

    @Test
    void anExpiredWatchdogRestartsTheCpu() {
        long t0 = m.clocks().tod();
        Machine.Result r = armAndWait(false);
        assertThat(r.success()).isTrue();
        assertThat(c.gr[7]).isEqualTo(42);
        assertThat(m.clocks().tod() - t0).as("20 s of TOD passed").isGreaterThanOrEqualTo(20_000_000L << 12);
    }

    @Test
    void aCancelledWatchdogDoesNotBite() {
        Machine.Result r = armAndWait(true);
        assertThat(r.ending()).isEqualTo(Machine.Ending.ENABLED_WAIT_FOREVER);
        assertThat(c.gr[7]).isZero();
    }

    // ---- channel subsystem without devices ---------------------------------------------------------

    /** Runs {@code insn} (operand 0(r2), r2 = 0x3000) with GR1 = {@code gr1}; returns the program code. */
    int io(String insn, long gr1) {
        code("a7293000 " + insn);
        c.gr[1] = gr1;
        return run(2);
    }

    @Test
    void everySubchannelIsNotOperational() {
        for (String insn : new String[] {"b2342000", "b2352000", "b2322000", "b2332000", "b2302000", "b2312000",
                "b2382000", "b2762000"}) {
            for (long schid : new long[] {0x00010000L, 0x0001ffffL, 0x00070000L}) {
                assertThat(io(insn, schid)).as("%s %x", insn, schid).isZero();
                assertThat(c.cc).as("%s %x", insn, schid).isEqualTo(3);
            }
        }
    }

    @Test
    void aBadSubsystemIdIsAnOperandException() {
        for (String insn : new String[] {"b2342000", "b2352000", "b2322000", "b2332000", "b2302000"}) {
            assertThat(io(insn, 0)).as(insn).isEqualTo(ChannelSubsystem.OPERAND);
            assertThat(io(insn, 0x01010000L)).as(insn).isEqualTo(ChannelSubsystem.OPERAND);
            assertThat(io(insn, 0x00090000L)).as(insn + ": M bit without the facility").isEqualTo(ChannelSubsystem.OPERAND);
        }
        code("a7293002 b2342000"); // unaligned SCHIB comes first
        c.gr[1] = 0;
        assertThat(run(2)).isEqualTo(ProgramInterruption.SPECIFICATION);
    }

    @Test
    void stcrwStoresZerosWithConditionCodeOne() {
        m.storage().writeInt(0x3000, -1, Storage.HOST);
        assertThat(io("b2392000", 0)).isZero();
        assertThat(c.cc).isEqualTo(1);
        assertThat(m.storage().readInt(0x3000, Storage.HOST)).isZero();
        code("a7293001 b2392000");
        assertThat(run(2)).isEqualTo(ProgramInterruption.SPECIFICATION);
    }

    @Test
    void chscAnswersInvalidCommandForEveryRequest() {
        m.storage().writeShort(0x3000, 16, Storage.HOST);
        m.storage().writeShort(0x3002, 0x0010, Storage.HOST); // store subchannel description
        m.storage().writeLong(0x3010, -1, Storage.HOST);
        code("a7293000 b25f0020"); // chsc 2,0
        assertThat(run(2)).isZero();
        assertThat(c.cc).isZero();
        assertThat(m.storage().readShort(0x3010, Storage.HOST)).isEqualTo(8);
        assertThat(m.storage().readShort(0x3012, Storage.HOST)).isEqualTo(0x0004);
        assertThat(m.storage().readInt(0x3014, Storage.HOST)).isZero();
        m.storage().writeShort(0x3000, 12, Storage.HOST);
        code("a7293000 b25f0020");
        assertThat(run(2)).as("request shorter than 16").isEqualTo(ChannelSubsystem.OPERAND);
        code("a7293008 b25f0020");
        assertThat(run(2)).as("not page aligned").isEqualTo(ProgramInterruption.SPECIFICATION);
    }
}
