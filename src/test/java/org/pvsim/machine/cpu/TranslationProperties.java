package org.pvsim.machine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.pvsim.machine.Lowcore;
import org.pvsim.machine.storage.Storage;

/**
 * Random loop bodies of arithmetic, logical, compare, shift, load and store instructions (inline and
 * through their handlers in a translated block), run 100 times from random registers, with and without
 * translation: registers, condition code, PSW, count, data page and any program interruption
 * (overflow with the program mask on, divide) must be the same.
 */
class TranslationProperties {
    static final long CODE = 0x2000;
    static final long DATA = 0x3000;

    /** Encodings with r1 at bits 4-7 of byte 1 ("1") and r2 at bits 0-3 of byte 1 ("2") of the pattern. */
    @Provide
    Arbitrary<List<String>> body() {
        return instruction().list().ofMinSize(1).ofMaxSize(16);
    }

    Arbitrary<String> instruction() {
        Arbitrary<Integer> r = Arbitraries.integers().between(2, 9);
        Arbitrary<Integer> even = Arbitraries.of(2, 4, 6, 8);
        Arbitrary<Integer> imm = Arbitraries.integers().between(-32768, 32767);
        Arbitrary<Integer> disp = Arbitraries.integers().between(0, 31).map(k -> k * 8);
        Arbitrary<String> rre = Combinators.combine(Arbitraries.of("b908", "b909", "b90a", "b90b", "b980", "b981",
                "b982", "b903", "b900", "b901", "b902", "b90c", "b904", "b920", "b921", "b988", "b989", "b914", "b916"),
                r, r).as((op, a, b) -> String.format("%s00%x%x", op, a, b));
        Arbitrary<String> rr = Combinators.combine(Arbitraries.of("1a", "1b", "14", "16", "17", "18", "19", "15", "12",
                "13", "1e", "1f"), r, r).as((op, a, b) -> String.format("%s%x%x", op, a, b));
        Arbitrary<String> ri = Combinators.combine(Arbitraries.of("b", "a", "e", "f", "9", "8", "d", "1"), r, imm)
                .as((op, a, i) -> String.format("a7%x%s%04x", a, op, i & 0xffff));
        Arbitrary<String> shift = Combinators.combine(Arbitraries.of("0d", "0c", "0a", "0b", "1c"), r, r,
                Arbitraries.integers().between(0, 63)).as((op, a, b, n) -> String.format("eb%x%x0%03x00%s", a, b, n, op));
        Arbitrary<String> risbg = Combinators.combine(r, r, Arbitraries.integers().between(0, 63),
                Arbitraries.integers().between(0, 63), Arbitraries.integers().between(0, 63), Arbitraries.of(0, 0x80))
                .as((a, b, i3, i4, i5, z) -> String.format("ec%x%x%02x%02x%02x55", a, b, i3, i4 | z, i5));
        Arbitrary<String> mem = Combinators.combine(Arbitraries.of("24", "04", "14", "50", "58", "90", "c6"), r, disp)
                .as((op, a, d) -> op.length() == 2 && !op.equals("24") && !op.equals("04") && !op.equals("14")
                        ? memRx(op, a, d) : String.format("e3%x0a%03x00%s", a, d, op));
        // load on condition: makes each condition code visible in a register
        Arbitrary<String> loc = Combinators.combine(Arbitraries.integers().between(1, 14), r, r)
                .as((m, a, b) -> String.format("b9e2%x0%x%x", m, a, b));
        Arbitrary<String> divide = Combinators.combine(even, r).as((a, b) -> String.format("b90d00%x%x", a, b));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, rre), net.jqwik.api.Tuple.of(4, rr), net.jqwik.api.Tuple.of(4, ri), net.jqwik.api.Tuple.of(5, loc),
                net.jqwik.api.Tuple.of(2, shift), net.jqwik.api.Tuple.of(1, risbg), net.jqwik.api.Tuple.of(3, mem),
                net.jqwik.api.Tuple.of(1, divide));
    }

    /** RX forms: 50 st, 58 l, 90 stm is not RX: use 42 stc; c6 is not RX either: use 43 ic. */
    static String memRx(String op, int r, int d) {
        String o = switch (op) {
            case "50" -> "50";
            case "58" -> "58";
            case "90" -> "42";
            default -> "43";
        };
        return String.format("%s%x0a%03x", o, r, d);
    }

    record Snapshot(String psw, List<Long> gr, long count, byte[] data, int pgmCode, long pgmOld, long blockRuns) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Snapshot s && s.psw.equals(psw) && s.gr.equals(gr) && s.count == count
                    && Arrays.equals(s.data, data) && s.pgmCode == pgmCode && s.pgmOld == pgmOld;
        }

        @Override
        public int hashCode() {
            return psw.hashCode();
        }
    }

    static Snapshot run(String body, long[] regs, boolean programMask, boolean translate) {
        // lghi 1,100; loop: body; brctg 1,loop; 0000
        int bodyBytes = body.length() / 2;
        String hex = "a7190064" + body + String.format("a717%04x", (-(bodyBytes) / 2) & 0xffff) + "0000";
        Machine m = new Machine(new Machine.Options(1L << 20, 1, true, false), s -> { });
        m.setTranslation(translate);
        byte[] b = java.util.HexFormat.of().parseHex(hex);
        m.storage().write(CODE, b, 0, b.length, Storage.HOST);
        m.storage().writeLong(Lowcore.PGM_NEW_PSW, 0x0002000180000000L, Storage.HOST);
        m.storage().writeLong(Lowcore.PGM_NEW_PSW + 8, 0xfff, Storage.HOST);
        m.ipl(new Psw(0x0000000180000000L | (programMask ? 1L << 43 : 0), CODE));
        Cpu c = m.cpu(0);
        System.arraycopy(regs, 0, c.gr, 2, 8);
        c.gr[10] = DATA;
        m.run(1_000_000);
        List<Long> gr = new ArrayList<>();
        for (long v : c.gr) {
            gr.add(v);
        }
        return new Snapshot(c.psw().toString(), gr, c.instructionCount(), m.storage().read(DATA, 256, Storage.HOST),
                m.storage().readShort(Lowcore.PGM_CODE, Storage.HOST), m.storage().readLong(Lowcore.PGM_OLD_PSW + 8,
                        Storage.HOST), c.blockRuns);
    }

    @Property(tries = 200)
    void randomLoopBodiesRunTheSameTranslated(@ForAll("body") List<String> body,
            @ForAll @Size(8) List<Long> regs, @ForAll boolean programMask) {
        String code = String.join("", body);
        long[] r = regs.stream().mapToLong(Long::longValue).toArray();
        Snapshot off = run(code, r, programMask, false);
        Snapshot on = run(code, r, programMask, true);
        assertThat(off.blockRuns()).isZero();
        assertThat(on).isEqualTo(off);
        net.jqwik.api.statistics.Statistics.label("translated").collect(on.blockRuns() > 0);
        net.jqwik.api.statistics.Statistics.label("translated").coverage(
                c -> c.check(true).percentage(p -> p >= 25));
    }
}
