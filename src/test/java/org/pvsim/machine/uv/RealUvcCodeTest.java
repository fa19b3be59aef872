package org.pvsim.machine.uv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.pvsim.machine.ProgramInterruption;
import org.pvsim.machine.Lowcore;
import org.pvsim.machine.cpu.Machine;
import org.pvsim.machine.cpu.Psw;
import org.pvsim.machine.storage.Storage;
import org.pvsim.machine.uv.cb.InitUv;
import org.pvsim.machine.uv.cb.QueryUvInfo;
import org.pvsim.machine.uv.cb.UvCaller;
import org.pvsim.machine.uv.cb.Uvcb;

/**
 * s390x code issuing UVC on pvsim's CPU gets the same answer, byte for byte, as the Java host path
 * (UvCaller) on an identical machine; and the CPU's own UVC checks (uv-host 1 and 2).
 */
class RealUvcCodeTest {
    static final long CODE = 0x2000;
    static final long UVCB = 0x3000;
    static final long CC_SLOT = 0x800;
    static final long WAIT = 0xfff;
    // llill 2,0x3000; uvc 0,2,0; ipm 3; st 3,0x800
    static final String ISSUE_UVC = "a52f3000 b9a40002 b2220030 50300800";

    record Cpu(Machine machine, Ultravisor uv) {
        static Cpu create() {
            Machine m = new Machine(new Machine.Options(Storage.DEFAULT_SIZE, 1, true, true), s -> { });
            Ultravisor uv = new Ultravisor(m.storage(), UvFixture.IDENTITY);
            m.setUvcHandler(uv::call);
            return new Cpu(m, uv);
        }

        /** Runs the code in the given PSW mask; returns the condition code UVC left (via IPM). */
        int run(String hex, long mask, Uvcb block) {
            Storage s = machine.storage();
            block.write(s, UVCB, Storage.HOST);
            byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
            s.write(CODE, b, 0, b.length, Storage.HOST);
            s.writeLong(Lowcore.PGM_NEW_PSW, 0x0002000180000000L, Storage.HOST);
            s.writeLong(Lowcore.PGM_NEW_PSW + 8, WAIT, Storage.HOST);
            s.writeInt(CC_SLOT, -1, Storage.HOST);
            machine.ipl(new Psw(mask, CODE));
            machine.run(4);
            return (s.readInt(CC_SLOT, Storage.HOST) >>> 28) & 3;
        }

        byte[] block(int len) {
            return machine.storage().read(UVCB, len, Storage.HOST);
        }

        int pgmCode() {
            return machine.storage().readShort(Lowcore.PGM_CODE, Storage.HOST);
        }
    }

    /** The same block through the Java host path on an identical fresh machine. */
    static UvCaller.Answer<? extends Uvcb> java(Uvcb block, Uvcb... before) {
        Storage s = new Storage(Storage.DEFAULT_SIZE);
        Ultravisor uv = new Ultravisor(s, UvFixture.IDENTITY);
        UvCaller caller = new UvCaller(s.hostView(), uv, UVCB);
        for (Uvcb b : before) {
            caller.call(b);
        }
        return caller.once(block);
    }

    @Test
    void queryFromRealCodeMatchesTheJavaPathByteForByte() {
        Cpu cpu = Cpu.create();
        int cc = cpu.run(ISSUE_UVC, Psw.MASK_64BIT_DISABLED, QueryUvInfo.request());
        var j = java(QueryUvInfo.request());
        assertThat(cc).isEqualTo(j.cc()).isZero();
        assertThat(cpu.block(QueryUvInfo.SIZE)).isEqualTo(j.cb().encode());
        assertThat(QueryUvInfo.decode(cpu.block(QueryUvInfo.SIZE)).installed(1)).isTrue();
    }

    @Test
    void aFailingInitFromRealCodeMatchesTheJavaPath() {
        Cpu cpu = Cpu.create();
        InitUv bad = InitUv.of(1L << 30, UvParameters.UV_BASE_STOR_LEN); // below 2 GiB
        int cc = cpu.run(ISSUE_UVC, Psw.MASK_64BIT_DISABLED, bad);
        var j = java(bad);
        assertThat(cc).isEqualTo(j.cc()).isOne();
        assertThat(cpu.block(InitUv.SIZE)).isEqualTo(j.cb().encode());
        assertThat(InitUv.decode(cpu.block(InitUv.SIZE)).header().rc()).isEqualTo(0x0108);
    }

    @Test
    void problemStateIsAPrivilegedOperation() { // uv-host 2
        Cpu cpu = Cpu.create();
        cpu.run(ISSUE_UVC, Psw.MASK_64BIT_DISABLED | Psw.PROBLEM, InitUv.of(1L << 31, 1L << 20));
        assertThat(cpu.pgmCode()).isEqualTo(ProgramInterruption.PRIVILEGED_OPERATION);
        assertThat(cpu.block(8)).as("the UV never saw it").isEqualTo(InitUv.of(1L << 31, 1L << 20).header().encode());
    }

    @Test
    void nonZeroI3FieldIsASpecificationException() { // uv-host 1: .insn rrf,0xB9A40000,r1,r2,4,2
        Cpu cpu = Cpu.create();
        cpu.run("a52f3000 b9a44202 b2220030 50300800", Psw.MASK_64BIT_DISABLED, QueryUvInfo.request());
        assertThat(cpu.pgmCode()).isEqualTo(ProgramInterruption.SPECIFICATION);
    }

    @Test
    void initWithASecondCpuRunningAnswers0x102() { // uv-host 6, with the machine's own CPU census
        Machine m = new Machine(new Machine.Options(Storage.DEFAULT_SIZE, 2, true, true), s -> { });
        Ultravisor uv = new Ultravisor(m.storage(), UvFixture.IDENTITY);
        uv.setRunningCpuCensus(() -> (int) m.cpus().stream()
                .filter(c -> c.state() == org.pvsim.machine.cpu.Cpu.State.OPERATING).count());
        m.setUvcHandler(uv::call);
        Cpu cpu = new Cpu(m, uv);
        InitUv init = InitUv.of(1L << 31, UvParameters.UV_BASE_STOR_LEN);
        m.cpu(1).setPsw(Psw.MASK_64BIT_DISABLED, 0x6000); // a loop: j .
        m.storage().writeInt(0x6000, 0xa7f40000, Storage.HOST);
        m.cpu(1).start();
        assertThat(cpu.run(ISSUE_UVC, Psw.MASK_64BIT_DISABLED, init)).isOne();
        assertThat(InitUv.decode(cpu.block(InitUv.SIZE)).header().rc()).isEqualTo(0x0102);
        m.cpu(1).stop();
        assertThat(cpu.run(ISSUE_UVC, Psw.MASK_64BIT_DISABLED, init)).isZero();
    }
}
