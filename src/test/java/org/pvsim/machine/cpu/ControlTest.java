package org.pvsim.machine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pvsim.machine.Lowcore;
import org.pvsim.machine.ProgramInterruption;
import org.pvsim.machine.storage.Storage;

/** Supervisor instructions: PSW loads, SIGP, DIAGNOSE, clocks; and the opcode table's consistency. */
class ControlTest {
    static final long CODE = 0x2000;

    Machine m = new Machine(new Machine.Options(1L << 20, 2, true, false), s -> { });
    Cpu c = m.cpu(0);

    void code(String hex) {
        byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
        m.storage().write(CODE, b, 0, b.length, Storage.HOST);
        m.storage().writeLong(Lowcore.PGM_NEW_PSW, 0x0002000180000000L, Storage.HOST);
        m.storage().writeLong(Lowcore.PGM_NEW_PSW + 8, 0xfff, Storage.HOST);
        m.ipl(new Psw(Psw.MASK_64BIT_DISABLED, CODE));
    }

    int pgmCode() {
        return m.storage().readShort(Lowcore.PGM_CODE, Storage.HOST);
    }

    @Test
    void everyOpcodeHasTheLengthItsFormatImplies() {
        Map<Format, Integer> lengths = Map.ofEntries(Map.entry(Format.RR, 2), Map.entry(Format.I, 2),
                Map.entry(Format.E, 2), Map.entry(Format.RX, 4), Map.entry(Format.RS, 4), Map.entry(Format.RI, 4),
                Map.entry(Format.RRE, 4), Map.entry(Format.RRF, 4), Map.entry(Format.S, 4), Map.entry(Format.SI, 4),
                Map.entry(Format.RXY, 6), Map.entry(Format.RSY, 6), Map.entry(Format.RIL, 6), Map.entry(Format.RIE, 6),
                Map.entry(Format.SS, 6), Map.entry(Format.SIL, 6), Map.entry(Format.SIY, 6), Map.entry(Format.SSE, 6),
                Map.entry(Format.RRS, 6), Map.entry(Format.RIS, 6), Map.entry(Format.RXE, 6), Map.entry(Format.VRX, 6),
                Map.entry(Format.VRR, 6), Map.entry(Format.VRI, 6), Map.entry(Format.VRS, 6), Map.entry(Format.VRV, 6),
                Map.entry(Format.VSI, 6));
        Decoder d = Decoder.standard();
        assertThat(d.opcodes()).hasSizeGreaterThan(350);
        for (Opcode o : d.opcodes()) {
            assertThat(Decoder.length(o.code() >>> 8)).as(o.mnemonic()).isEqualTo(lengths.get(o.format()));
        }
    }

    @Test
    void lpsweOfAnInvalidPswIsASpecificationException() {
        m.storage().writeLong(0x3000, 0x0008000180000000L, Storage.HOST); // bit 12 set: invalid long PSW
        m.storage().writeLong(0x3008, 0x4000, Storage.HOST);
        code("a51f3000 b2b21000"); // llill 1,0x3000; lpswe 0(1)
        m.run(5);
        assertThat(pgmCode()).isEqualTo(ProgramInterruption.SPECIFICATION);
    }

    @Test
    void sigpSenseStartStopAndBadCpu() {
        // lghi 3,1; sigp 4,3,1 (sense cpu 1) -> cc1 status stopped; lghi 3,5; sigp 4,3,1 -> cc 3
        code("a7390001 ae430001 a7390005 ae430001");
        m.run(2);
        assertThat(c.cc).isEqualTo(1);
        assertThat(c.gr[4] & 0xffffffffL).isEqualTo(0x40L);
        m.run(2);
        assertThat(c.cc).isEqualTo(3);
    }

    @Test
    void sigpSetPrefixOnlyOnAStoppedCpuAndInsideMemory() {
        // lghi 3,1; llilf 5,0x200000 (beyond 1 MiB); sigp 4,3,13 -> cc1 invalid parameter
        code("a7390001 c05f00200000 ae43000d");
        m.run(3);
        assertThat(c.cc).isEqualTo(1);
        assertThat(c.gr[4] & 0xffffffffL).isEqualTo(0x100L);
    }

    @Test
    void sigpRestartRunsTheTargetFromItsRestartNewPsw() {
        // cpu 1 (prefix 0 too) restart-new PSW -> 0x2100: lghi 7,42; then a disabled wait
        m.storage().writeLong(Lowcore.RESTART_NEW_PSW, Psw.MASK_64BIT_DISABLED, Storage.HOST);
        m.storage().writeLong(Lowcore.RESTART_NEW_PSW + 8, 0x2100, Storage.HOST);
        m.storage().write(0x2100, HexFormat.of().parseHex("a779002a b2b20000".replace(" ", "")), 0, 8, Storage.HOST);
        m.storage().writeLong(0, 0x0002000180000000L, Storage.HOST);
        m.storage().writeLong(8, 0xfff, Storage.HOST);
        // lghi 3,1; sigp 4,3,6 (restart); lghi 1,0? then lpswe 0 (disabled wait 0xfff)
        code("a7390001 ae430006 b2b20000");
        Machine.Result r = m.run(100);
        assertThat(m.cpu(1).gr[7]).isEqualTo(42);
        assertThat(r.ending()).isEqualTo(Machine.Ending.DISABLED_WAIT);
        assertThat(r.success()).isTrue();
    }

    @Test
    void diagnoseGoesToTheHypervisorHook() {
        int[] seen = new int[3];
        m.setDiagnoseHandler((cpu, fn, r1, r3) -> {
            seen[0] = fn;
            seen[1] = r1;
            seen[2] = r3;
            return fn == 0x500;
        });
        code("83230500 83230258"); // diag 2,3,0x500; diag 2,3,0x258 (not handled: specification)
        m.run(1);
        assertThat(seen).containsExactly(0x500, 2, 3);
        m.run(3);
        assertThat(pgmCode()).isEqualTo(ProgramInterruption.SPECIFICATION);
    }

    @Test
    void storeClockIsStrictlyIncreasingAndSetClockMovesIt() {
        // llill 1,0x3000; stck 0(1); stck 8(1)
        code("a51f3000 b2051000 b2051008");
        m.run(3);
        long a = m.storage().readLong(0x3000, Storage.HOST);
        long b = m.storage().readLong(0x3008, Storage.HOST);
        assertThat(Long.compareUnsigned(b, a)).isPositive();
        m.clocks().set(0x1000000000000000L);
        assertThat(m.clocks().tod()).isGreaterThanOrEqualTo(0x1000000000000000L);
    }

    @Test
    void loadAndAddIsInterlockedAndReturnsTheOldValue() {
        m.storage().writeInt(0x3000, 40, Storage.HOST);
        // llill 2,0x3000; lhi 3,2; laa 1,3,0(2)
        code("a52f3000 a7380002 eb13200000f8");
        m.run(3);
        assertThat((int) c.gr[1]).isEqualTo(40);
        assertThat(m.storage().readInt(0x3000, Storage.HOST)).isEqualTo(42);
        assertThat(c.cc).isEqualTo(2);
    }

    @Test
    void programInterruptionLoopIsReportedNotSpun() {
        m.storage().writeLong(Lowcore.PGM_NEW_PSW, Psw.MASK_64BIT_DISABLED, Storage.HOST);
        m.storage().writeLong(Lowcore.PGM_NEW_PSW + 8, 0x3000, Storage.HOST); // zeros there: opcode 00
        m.storage().write(CODE, new byte[] {0, 0}, 0, 2, Storage.HOST);
        m.ipl(new Psw(Psw.MASK_64BIT_DISABLED, CODE));
        Machine.Result r = m.run(1_000_000);
        assertThat(r.ending()).isEqualTo(Machine.Ending.CHECK_STOP);
        assertThat(r.detail()).contains("program-interruption loop");
    }

    @Test
    void anInterceptionHookSeesControlInstructionsFirst() {
        StringBuilder seen = new StringBuilder();
        c.setInterceptionHook((cpu, insn) -> {
            seen.append(insn.opcode.mnemonic()).append(' ');
            return insn.opcode.mnemonic().equals("diag");
        });
        // diag 0,0,0x9999 (would be a specification exception); lghi 1,1 (not a control instruction); stap 0x300
        code("83009999 a7190001 b2120300");
        m.run(3);
        assertThat(seen.toString()).isEqualTo("diag stap ");
        assertThat(c.gr[1]).isEqualTo(1);
        assertThat(m.storage().readShort(0x8e, Storage.HOST)).isZero(); // no program interruption
    }

    @Test
    void aCpuInASecureDomainReachesItsOwnFramesOnly() {
        m.storage().writeLong(0x3000, 77, Storage.HOST);
        code("a51f3000 e32010000004"); // llill 1,0x3000; lg 2,0(1)
        for (long f = 0; f < 4; f++) {
            m.storage().setTag(f, Storage.tag(5, Storage.STATE_SECURE)); // the guest's own code and lowcore
        }
        c.setDomain(5);
        m.run(2);
        assertThat(c.gr[2]).isEqualTo(77);
    }

    @Test
    void setArchitectureKeepsZArchitectureOnly() {
        // lghi 3,0; lghi 5,2 (z/Arch); sigp 4,3,0x12 -> cc 0; lghi 5,0 (ESA/390); sigp 4,3,0x12 -> cc 1 invalid parameter
        code("a7390000 a7590002 ae430012 a7590000 ae430012");
        m.run(3);
        assertThat(c.cc).isEqualTo(0);
        m.run(2);
        assertThat(c.cc).isEqualTo(1);
        assertThat(c.gr[4] & 0xffffffffL).isEqualTo(0x100L);
    }
}
