package org.pvsim.machine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pvsim.machine.ProgramInterruption;

/**
 * Translated blocks keep the GRs and the condition code in JVM locals ({@link KernelInliner}); a program
 * interruption after the block has assigned several of them, with the condition code not yet computed
 * (its kernel's arguments kept instead), and a handler call between kernels must leave exactly the
 * interpreter's state: registers, old PSW with its condition code, interruption code, ILC and count.
 */
class RegisterLocalsTest {
    /**
     * lghi 1,1000; lghi 4,0; loop: lgr 6,4; aghi 4,1; MIDDLE; xr 6,1; cghi 4,256; sllg 7,4,12; lg 2,0(7);
     * brctg 1,loop; then an invalid opcode. The LG of pass 256 reaches past the 1 MiB of storage: an
     * addressing exception with R4, R6 and R7 assigned in the pass and the condition code CGHI's, 0 in
     * this pass only (1 in every pass before, so a stale one shows).
     * MIDDLE is "ar 6,4" (a handler call, which reads R6 and R4 from the CPU and assigns R6 there) or
     * "lr 6,6" (inline, the same length).
     */
    @ParameterizedTest
    @ValueSource(strings = {"1a64", "1866"})
    void anInterruptionAfterRegistersWereAssignedInLocalsLeavesTheInterpretersState(String middle) {
        String hex = "a71903e8 a7490000 b9040064 a74b0001 " + middle + " 1761 a74f0100 eb74000c000d e32070000004"
                + " a717fff2 0000";
        TranslationTest.Outcome[] o = TranslationTest.both(hex, TranslationTest.MASK_64, 1_000_000);
        assertThat(o[1].pgmCode()).isEqualTo(ProgramInterruption.ADDRESSING);
        assertThat(o[1].ilc()).isEqualTo(6);
        assertThat(o[1].r4()).isEqualTo(256);
        assertThat(o[1].r1()).isEqualTo(1000 - 255);
        assertThat(o[1].state().instructions()).isEqualTo(2 + 255 * 8 + 7);
        assertThat((o[1].oldMask() >>> 44) & 3).isEqualTo(0);
    }

    /**
     * The same loop with the LG in front, so that the interruption comes before anything of its pass
     * ran: the condition code at the LG of pass 257 is the one pass 256's CGHI left (kept as its operands
     * across the loop's back edge), and the registers are those pass 256 assigned.
     * lghi 1,1000; lghi 4,0; loop: sllg 7,4,12; lg 2,0(7); lgr 6,4; aghi 4,1; MIDDLE; xr 6,1; cghi 4,256;
     * brctg 1,loop.
     */
    @ParameterizedTest
    @ValueSource(strings = {"1a64", "1866"})
    void anInterruptionAtTheStartOfAPassSeesThePreviousPassesConditionCode(String middle) {
        String hex = "a71903e8 a7490000 eb74000c000d e32070000004 b9040064 a74b0001 " + middle + " 1761 a74f0100"
                + " a717fff2 0000";
        TranslationTest.Outcome[] o = TranslationTest.both(hex, TranslationTest.MASK_64, 1_000_000);
        assertThat(o[1].pgmCode()).isEqualTo(ProgramInterruption.ADDRESSING);
        assertThat(o[1].r4()).isEqualTo(256);
        assertThat(o[1].state().instructions()).isEqualTo(2 + 256 * 8 + 2);
        assertThat((o[1].oldMask() >>> 44) & 3).isEqualTo(0);
    }

    /**
     * A loop of 31 RXSBG and AGHI pairs, one more RXSBG and BRCTG: a block of the most instructions
     * ({@link Translator#MAX}), every one inlined with its registers and condition code in locals (7.5 KB of
     * code, under {@link Translator#MAX_CODE}), runs as the interpreter does. lghi 1,100; lghi 2,-1;
     * lghi 3,7; loop: (rxsbg 3,2,0,63,k; aghi 2,3) x 31; rxsbg 3,2,0,63,31; brctg 1,loop; an invalid opcode.
     */
    @org.junit.jupiter.api.Test
    void aBlockOfTheMostInstructionsRunsTheSame() {
        StringBuilder hex = new StringBuilder("a7190064 a729ffff a7390007");
        int bytes = 0;
        for (int k = 0; k < 31; k++) {
            hex.append(String.format(" ec32003f%02x57 a72b0003", k));
            bytes += 10;
        }
        hex.append(" ec32003f1f57");
        bytes += 6;
        hex.append(String.format(" a717%04x 0000", (-bytes / 2) & 0xffff));
        TranslationTest.Outcome[] o = TranslationTest.both(hex.toString(), TranslationTest.MASK_64, 1_000_000);
        assertThat(o[1].pgmCode()).isEqualTo(ProgramInterruption.OPERATION);
        assertThat(o[1].state().instructions()).isEqualTo(3 + 100 * 64 + 1);
    }
}
