package org.pvsim.machine.sie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pvsim.machine.SieBlock.*;
import static org.pvsim.machine.sie.SieFixture.*;

import org.junit.jupiter.api.Test;
import org.pvsim.machine.ProgramInterruption;
import org.pvsim.machine.storage.Storage;

/** SIE with format-2 state descriptions: the interceptions KVM handles for a normal guest (kvm-unit-tests sie.c). */
class NormalSieTest {
    final SieFixture f = new SieFixture();

    @Test
    void diag44IsInstructionInterception4WithTheInstructionInIpaIpb() {
        var g = f.new NormalSnippet(DIAG44);
        assertThat(g.run()).isEqualTo(new Interception(ICPT_INSTRUCTION, 0x8300, 0x00440000));
        assertThat(f.storage.readByte(g.sd + ICPTCODE, Storage.HOST)).isEqualTo(ICPT_INSTRUCTION);
        assertThat(f.storage.readShort(g.sd + IPA, Storage.HOST) & 0xffff).isEqualTo(0x8300);
        assertThat(f.storage.readInt(g.sd + IPB, Storage.HOST)).isEqualTo(0x00440000);
        assertThat(g.block.u64(GPSW + 8)).as("past the intercepted instruction (KVM rewinds it to retry)").isEqualTo(DIAG44 + 4);
    }

    @Test
    void theGuestsRegistersAreTheHostsAcrossSie() {
        var g = f.new NormalSnippet(DIAG500);
        assertThat(g.run()).isEqualTo(new Interception(ICPT_INSTRUCTION, 0x8300, 0x05000000));
        assertThat(new long[] {f.regs.gr()[1], f.regs.gr()[2], f.regs.gr()[3], f.regs.gr()[4]}).containsExactly(1, 2, 3, 4);
    }

    @Test
    void aGuestPageTheHostTablesDoNotMapIsTheHostsPageTranslationException_thenTheGuestRetries() {
        var g = f.new NormalSnippet(TOUCH);
        f.storage.writeLong(g.mem.host(0x100000), 0x1234_5678_9abc_def0L, Storage.HOST);
        f.unmap(g.mem, 0x100000);
        assertThatThrownBy(g::run).isInstanceOfSatisfying(ProgramInterruption.class, e -> {
            assertThat(e.code()).isEqualTo(0x11);
            assertThat(e.address()).isEqualTo(0x100000);
            assertThat(e.inHost()).isTrue();
        });
        assertThat(g.block.u64(GPSW + 8)).as("nullified: the guest is at its load").isEqualTo(TOUCH + 4);
        f.map(g.mem, 0x100000);
        assertThat(g.run()).isEqualTo(new Interception(ICPT_INSTRUCTION, 0x8300, 0x00440000));
        assertThat(f.regs.gr()[2]).isEqualTo(0x1234_5678_9abc_def0L);
    }

    @Test
    void anOperationExceptionWithIctlOperexcIsInterception0x2c() {
        var g = f.new NormalSnippet(0x5000);
        f.storage.writeShort(g.mem.host(0x5000), 0x0000, Storage.HOST);
        assertThat(g.run()).isEqualTo(new Interception(ICPT_OPERATION_EXCEPTION, 0, 0));
        assertThat(f.storage.readShort(g.sd + IPRCC, Storage.HOST)).isEqualTo(ProgramInterruption.OPERATION);
    }

    @Test
    void aStopRequestInTheSdEndsSieWithInterception0x28() {
        var g = f.new NormalSnippet(LOOP);
        g.block.put32(CPUFLAGS, CPUSTAT_ZARCH | CPUSTAT_STOP_INT);
        assertThat(g.run()).isEqualTo(new Interception(ICPT_STOP, 0, 0));
    }

    @Test
    void aGuestThatLoopsEndsSieWhenTheBudgetRunsOut() {
        var g = f.new NormalSnippet(LOOP);
        assertThat(g.run()).isEqualTo(new Interception(ICPT_NONE, 0, 0));
    }

    /*
     * At guest 0x8000: 1,000,000 increments of the word at 0x30000 with COMPARE AND SWAP, then diag 0x44:
     *   lgfi 5,1000000; llilh 1,3
     *   loop: l 2,0(1)
     *   retry: lr 3,2; ahi 3,1; cs 2,3,0(1); jl retry (cc 1: another CPU stored first, r2 has its value)
     *   brct 5,loop; diag 0,0,0x44; j .
     */
    static final byte[] CS_INCREMENTS = java.util.HexFormat.of().parseHex(
            "c051000f 4240a51e 00035820 10001832 a73a0001 ba231000 a744fffb a756fff7 83000044 a7f40000".replace(" ", ""));

    /** Two vCPUs of one guest on two host threads (as KVM runs them): CS must be one interlocked update. */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void compareAndSwapOnTwoThreadsLosesNoIncrement() throws Exception {
        var a = f.new NormalSnippet(0x8000);
        f.storage.write(a.mem.host(0x8000), CS_INCREMENTS, 0, CS_INCREMENTS.length, Storage.HOST);
        long sdB = f.alloc(4096, 4096);
        var b = new StateDescription(f.storage, sdB);
        for (int off = 0; off < 0x200; off += 8) {
            b.put64(off, a.block.u64(off)); // the same guest, a second vCPU
        }
        java.util.concurrent.Callable<Interception> runA = () -> until(a.sd, a.mem.asce());
        java.util.concurrent.Callable<Interception> runB = () -> until(sdB, a.mem.asce());
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var results = pool.invokeAll(java.util.List.of(runA, runB));
            for (var r : results) {
                assertThat(r.get()).isEqualTo(new Interception(ICPT_INSTRUCTION, 0x8300, 0x00440000));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(f.storage.readInt(a.mem.host(0x30000), Storage.HOST)).isEqualTo(2_000_000);
    }

    /** SIE entries (each with its own host registers) until the guest exits with something but a budget end. */
    private Interception until(long sd, long asce) {
        Sie.HostRegisters regs = Sie.HostRegisters.fresh();
        for (int i = 0; i < 10_000; i++) {
            Interception x = f.sie.run(sd, asce, regs, 200_000);
            if (x.code() != ICPT_NONE) {
                return x;
            }
        }
        throw new AssertionError("the guest does not finish");
    }
}
