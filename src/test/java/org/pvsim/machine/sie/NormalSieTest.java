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
}
