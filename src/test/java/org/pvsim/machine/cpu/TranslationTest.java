package org.pvsim.machine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.pvsim.machine.Lowcore;
import org.pvsim.machine.ProgramInterruption;
import org.pvsim.machine.storage.Storage;

/**
 * Translated blocks ({@link Translator}) against the interpreter: every test guest, and hand-made
 * loops for condition codes, program interruptions, self-modifying code and exact instruction limits,
 * run once with translation and once without; everything architected must be the same.
 */
class TranslationTest {
    /** What a run leaves behind that the architecture defines. */
    record State(String console, Machine.Ending ending, long instructions, List<Psw> waits, List<String> cpus,
            long programInterruptions) {
    }

    static State state(Machine m, Machine.Result r, String console) {
        List<String> cpus = new ArrayList<>();
        for (Cpu c : m.cpus()) {
            cpus.add(c.psw() + " gr " + java.util.Arrays.toString(c.gr) + " count " + c.instructionCount()
                    + " prefix " + c.prefix() + " " + c.state());
        }
        return new State(console, r.ending(), r.instructions(), r.waitPsws(), cpus, m.programInterruptions());
    }

    static long blockRuns(Machine m) {
        return m.cpus().stream().mapToLong(c -> c.blockRuns).sum();
    }

    static Stream<Arguments> guests() {
        return GuestProgramsTest.guests();
    }

    @ParameterizedTest(name = "{0}-{1}")
    @MethodSource("guests")
    void everyGuestRunsTheSameTranslated(String program, String level) throws Exception {
        byte[] image = GuestProgramsTest.resource(program + "-" + level + ".bin");
        State[] s = new State[2];
        long[] runs = new long[2];
        for (int t = 0; t < 2; t++) {
            StringBuilder console = new StringBuilder();
            Machine m = new Machine(new Machine.Options(64L << 20, 2, true, false), console::append);
            m.setTranslation(t == 1);
            m.ipl(ProgramLoader.load(image, program, m.storage()));
            Machine.Result r = m.run(500_000_000L);
            m.sclp().flush();
            s[t] = state(m, r, console.toString());
            runs[t] = blockRuns(m);
        }
        assertThat(runs[0]).isZero();
        assertThat(runs[1]).as("blocks entered").isPositive();
        assertThat(s[1]).isEqualTo(s[0]);
        assertThat(s[1].ending()).isEqualTo(Machine.Ending.DISABLED_WAIT);
    }

    // ---- hand-made loops ---------------------------------------------------------------------------

    static final long CODE = 0x2000;
    static final long DATA = 0x3000;

    /** A machine with {@code hex} at 0x2000, a disabled wait at 0xfff as program-new PSW, started with {@code mask}. */
    static Machine machine(String hex, long mask, boolean translate) {
        Machine m = new Machine(new Machine.Options(1L << 20, 1, true, false), s -> { });
        m.setTranslation(translate);
        byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
        m.storage().write(CODE, b, 0, b.length, Storage.HOST);
        m.storage().writeLong(Lowcore.PGM_NEW_PSW, 0x0002000180000000L, Storage.HOST);
        m.storage().writeLong(Lowcore.PGM_NEW_PSW + 8, 0xfff, Storage.HOST);
        m.ipl(new Psw(mask, CODE));
        return m;
    }

    record Outcome(State state, long r1, long r2, long r4, int pgmCode, int ilc, long oldIa, long oldMask, long data,
            long blockRuns) {
        /** Everything but the number of blocks entered. */
        Outcome withoutRuns() {
            return new Outcome(state, r1, r2, r4, pgmCode, ilc, oldIa, oldMask, data, 0);
        }
    }

    static Outcome run(String hex, long mask, boolean translate, long max) {
        Machine m = machine(hex, mask, translate);
        Machine.Result r = m.run(max);
        Cpu c = m.cpu(0);
        Storage st = m.storage();
        return new Outcome(state(m, r, ""), c.gr[1], c.gr[2], c.gr[4], st.readShort(Lowcore.PGM_CODE, Storage.HOST),
                st.readShort(Lowcore.PGM_ILC, Storage.HOST), st.readLong(Lowcore.PGM_OLD_PSW + 8, Storage.HOST),
                st.readLong(Lowcore.PGM_OLD_PSW, Storage.HOST), st.readLong(DATA, Storage.HOST), blockRuns(m));
    }

    static Outcome[] both(String hex, long mask, long max) {
        Outcome off = run(hex, mask, false, max);
        Outcome on = run(hex, mask, true, max);
        assertThat(off.blockRuns()).isZero();
        assertThat(on.blockRuns()).isPositive();
        assertThat(on.state()).isEqualTo(off.state());
        assertThat(on.withoutRuns()).isEqualTo(off.withoutRuns());
        return new Outcome[] {off, on};
    }

    /**
     * lghi 1,200; lghi 2,0; llihf 3,0x01000000; lghi 5,0x3000;
     * loop: stg 2,0(5); agr 2,3; aghi 4,1; brctg 1,loop; then an invalid opcode (0000).
     * r2 overflows in the 128th pass (0x7f00.. + 0x0100..).
     */
    static final String OVERFLOW_LOOP = "a71900c8 a7290000 c03e01000000 a7593000"
            + " e32050000024 b9080023 a74b0001 a717fff9 0000";
    static final long MASK_64 = 0x0000000180000000L;
    static final long FIXED_POINT_OVERFLOW_MASK = 1L << (63 - 20);

    @Test
    void anOverflowInsideABlockIsACompletingExceptionAtTheRightInstruction() {
        Outcome o = both(OVERFLOW_LOOP, MASK_64 | FIXED_POINT_OVERFLOW_MASK, 1_000_000)[1];
        assertThat(o.pgmCode()).isEqualTo(ProgramInterruption.FIXED_POINT_OVERFLOW);
        assertThat(o.ilc()).isEqualTo(4);
        assertThat(o.oldIa()).isEqualTo(0x201c); // completing: past the AGR, at the AGHI
        assertThat((o.oldMask() >>> 44) & 3).isEqualTo(3); // condition code 3
        assertThat(o.r2()).isEqualTo(0x8000000000000000L);
        assertThat(o.r4()).isEqualTo(127);
        assertThat(o.r1()).isEqualTo(200 - 127);
        assertThat(o.data()).isEqualTo(0x7f00000000000000L);
        assertThat(o.state().instructions()).isEqualTo(4 + 127 * 4 + 2);
    }

    @Test
    void withoutTheProgramMaskTheOverflowOnlySetsTheConditionCode() {
        Outcome o = both(OVERFLOW_LOOP, MASK_64, 1_000_000)[1];
        assertThat(o.r2()).isEqualTo(0xc800000000000000L); // 200 * 2^56 mod 2^64
        assertThat(o.r4()).isEqualTo(200);
        assertThat(o.pgmCode()).isEqualTo(ProgramInterruption.OPERATION);
        assertThat(o.oldIa()).isEqualTo(0x2026);
        assertThat((o.oldMask() >>> 44) & 3).isEqualTo(2); // from the last AGHI: positive
        assertThat(o.state().instructions()).isEqualTo(4 + 200 * 4 + 1);
    }

    /**
     * OVERFLOW_LOOP with r2 starting at (128 - p) * 2^56 (llihf 2), so that the overflow is in pass p: small
     * loops are unrolled, and each pass of the unrolled copies must deliver it with its own count (the
     * block is translated after 64 passes: the passes from there on land in every copy).
     */
    @ParameterizedTest
    @ValueSource(ints = {65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 80, 100, 150})
    void anOverflowInAnyPassOfAnUnrolledLoopIsDeliveredAsTheInterpreterDoes(int pass) {
        String hex = String.format("a71900c8 c02e%08x c03e01000000 a7593000", (128 - pass) << 24)
                + " e32050000024 b9080023 a74b0001 a717fff9 0000";
        Outcome o = both(hex, MASK_64 | FIXED_POINT_OVERFLOW_MASK, 1_000_000)[1];
        assertThat(o.pgmCode()).isEqualTo(ProgramInterruption.FIXED_POINT_OVERFLOW);
        assertThat(o.r4()).isEqualTo(pass - 1);
        assertThat(o.state().instructions()).isEqualTo(4 + (pass - 1) * 4 + 2);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 5, 100, 263, 264, 265, 266, 267, 400, 801, 812})
    void theInstructionLimitIsExactInsideBlocks(long max) {
        Outcome off = run(OVERFLOW_LOOP, MASK_64, false, max);
        Outcome on = run(OVERFLOW_LOOP, MASK_64, true, max);
        assertThat(on.state()).isEqualTo(off.state());
        assertThat(on.withoutRuns()).isEqualTo(off.withoutRuns());
        assertThat(on.state().instructions()).isEqualTo(Math.min(max, 805));
    }

    /**
     * lghi 5,0x3000 (DATA - 0x1000... ) loop: lg 2,0(5); aghi 5,4096 (wait: agfi) ; brctg; the loads walk up
     * the pages until one is beyond the 1 MiB of storage: an addressing exception inside the block.
     * lghi 1,1000; lghi 5,0; loop: lg 2,0(5); aghi 5,2048; aghi 5,2048; brctg 1,loop.
     */
    @Test
    void anAddressingExceptionInsideABlockIsDeliveredAsTheInterpreterDoes() {
        String hex = "a71903e8 a7590000 e32050000004 a75b0800 a75b0800 a717fff9 0000";
        Outcome o = both(hex, MASK_64, 1_000_000)[1];
        assertThat(o.pgmCode()).isEqualTo(ProgramInterruption.ADDRESSING);
        assertThat(o.ilc()).isEqualTo(6);
        assertThat(o.r1()).isEqualTo(1000 - 256);
        assertThat(o.state().instructions()).isEqualTo(2 + 256 * 4 + 1);
    }

    /**
     * A subroutine that patches the immediate of its own AGHI (sth 6,2(7)) with its counter, called
     * first with r7 at a data page (the block gets hot and is translated) and then with r7 at the
     * AGHI: from then on each pass must add the counter, not the stale 1.
     * lghi 4,0; lghi 1,100; lghi 7,0x3000; bras 14,sub; lghi 1,100; larl 7,sub+8; bras 14,sub; 0000;
     * sub: lgr 6,1; sth 6,2(7); aghi 4,1; brctg 1,sub; br 14.
     */
    @Test
    void aBlockThatStoresIntoItselfStopsAndTheNewInstructionRuns() {
        String hex = "a7490000 a7190064 a7793000 a7e5000a a7190064 c0700000000a a7e50003 0000"
                + " b9040061 40607002 a74b0001 a717fffa 07fe";
        Outcome o = both(hex, MASK_64, 1_000_000)[1];
        assertThat(o.r4()).isEqualTo(100 + 5050);
        assertThat(o.pgmCode()).isEqualTo(ProgramInterruption.OPERATION);
    }
}
