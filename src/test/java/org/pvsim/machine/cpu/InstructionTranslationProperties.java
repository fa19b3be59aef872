package org.pvsim.machine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import org.pvsim.machine.Lowcore;
import org.pvsim.machine.storage.Storage;

/**
 * Every translatable instruction of the opcode table, with random fields, registers and data, run in a
 * loop ({@code la 12,1(12); INSN; brctg 11,loop}, 100 passes) by the interpreter alone and with
 * translated blocks (the loop's head is translated after 64 passes): the whole CPU state (GRs, ARs,
 * FPRs, CRs, FPC, PSW with the condition code, prefix, instruction count) and all of storage must end
 * the same. Base fields point at a data page, register fields avoid R10-R12 (data base, loop counter,
 * pass count), and most relative branches go back to the loop's head, so that most encodings run all
 * passes instead of faulting or leaving at once.
 */
class InstructionTranslationProperties {
    static final long CODE = 0x2000;
    static final long DATA = 0x3000;
    static final int MEMORY = 1 << 20;

    static final List<Opcode> TRANSLATABLE = Decoder.standard().opcodes().stream().filter(Opcode::translatable).toList();

    record State(String psw, long[] gr, int[] ar, long[] fpr, long[] cr, int fpc, long prefix, long count,
            byte[] storage) {
        String difference(State o) {
            if (!psw.equals(o.psw)) {
                return "PSW " + psw + " / " + o.psw;
            }
            if (!Arrays.equals(gr, o.gr)) {
                return "GRs " + Arrays.toString(gr) + " / " + Arrays.toString(o.gr);
            }
            if (!Arrays.equals(ar, o.ar) || !Arrays.equals(fpr, o.fpr) || !Arrays.equals(cr, o.cr) || fpc != o.fpc) {
                return "ARs, FPRs, CRs or FPC";
            }
            if (prefix != o.prefix || count != o.count) {
                return "prefix or count " + count + " / " + o.count;
            }
            if (!Arrays.equals(storage, o.storage)) {
                return "storage at 0x" + Integer.toHexString(Arrays.mismatch(storage, o.storage));
            }
            return null;
        }
    }

    record Run(State state, long blockRuns) {
    }

    @Property(tries = 8)
    void everyTranslatableInstructionRunsTheSameInABlock(@ForAll long seed) {
        assertThat(TRANSLATABLE).hasSizeGreaterThan(400);
        for (Opcode o : TRANSLATABLE) {
            Random r = new Random(seed * 31 + o.code());
            byte[] insn = encode(o, r);
            long[] regs = new long[16];
            for (int k = 0; k < 16; k++) {
                regs[k] = register(r);
            }
            byte[] data = new byte[0x1200];
            r.nextBytes(data);
            boolean programMask = r.nextBoolean();
            Run off = run(insn, regs, data, programMask, false);
            Run on = run(insn, regs, data, programMask, true);
            assertThat(off.blockRuns()).isZero();
            String hex = o.mnemonic() + " " + HexFormat.of().formatHex(insn);
            assertThat(on.state().difference(off.state())).as(hex).isNull();
            Statistics.label("translated").collect(on.blockRuns() > 0);
            if (on.state().psw().startsWith("escaped")) {
                Statistics.label("escaped the CPU").collect(o.mnemonic());
            }
        }
        Statistics.label("translated").coverage(c -> c.check(true).percentage(p -> p >= 50));
    }

    /** Random fields for the format, with bases at the data page, no index, no high displacement, registers R0-R9. */
    static byte[] encode(Opcode o, Random r) {
        int len = Decoder.length(o.code() >>> 8);
        int[] n = new int[12];
        for (int k = 0; k < 12; k++) {
            n[k] = r.nextInt(16);
        }
        switch (o.format()) {
            case RR -> regs(n, 2, 3);
            case RRE, RRF, RRD -> regs(n, 4, 5, 6, 7);
            case RX, RXE -> {
                regs(n, 2);
                n[3] = 0;
                base(n, 4, r);
            }
            case RXY, RSY, SIY -> {
                regs(n, 2, 3);
                if (o.format() == Format.RXY) {
                    n[3] = 0;
                }
                base(n, 4, r);
                n[8] = 0;
                n[9] = 0;
            }
            case RS, RRS -> {
                regs(n, 2, 3);
                base(n, 4, r);
            }
            case RIS -> {
                regs(n, 2);
                base(n, 4, r);
            }
            case RI, RIL -> regs(n, 2);
            case RIE -> regs(n, 2, 3);
            case SI, SIL, S, RSL -> base(n, 4, r);
            case SS, SSE, SSF -> {
                base(n, 4, r);
                base(n, 8, r);
            }
            case E, I -> { }
        }
        if (o.branches() && r.nextInt(4) != 0) {
            // a relative branch back to the loop's head (4 bytes before it), so that a taken branch loops too
            int last = o.format() == Format.RIL ? 11 : 7;
            for (int k = 4; k <= last; k++) {
                n[k] = k == last ? 0xe : 0xf;
            }
        }
        long bits = 0;
        for (int k = 0; k < 12; k++) {
            bits = bits << 4 | n[k];
        }
        bits <<= 16;
        int op = o.code() >>> 8;
        int ext = o.code() & 0xff;
        bits = (bits & ~(0xffL << 56)) | (long) op << 56;
        switch (op) {
            case 0xa5, 0xa7, 0xc0, 0xc2, 0xc4, 0xc6, 0xc8, 0xcc -> bits = (bits & ~(0xfL << 48)) | (long) ext << 48;
            case 0x01, 0xb2, 0xb3, 0xb9, 0xe5 -> bits = (bits & ~(0xffL << 48)) | (long) ext << 48;
            case 0xe3, 0xe7, 0xeb, 0xec, 0xed -> bits = (bits & ~(0xffL << 16)) | (long) ext << 16;
            default -> { }
        }
        assertThat(Decoder.key(bits)).isEqualTo(o.code());
        byte[] b = new byte[len];
        for (int k = 0; k < len; k++) {
            b[k] = (byte) (bits >>> (56 - 8 * k));
        }
        return b;
    }

    static void regs(int[] n, int... at) {
        for (int k : at) {
            n[k] %= 10;
        }
    }

    /** B = R10 (the data page) and a doubleword-aligned displacement in its first 0x800 bytes. */
    static void base(int[] n, int at, Random r) {
        int d = r.nextInt(256) << 3;
        n[at] = 10;
        n[at + 1] = d >>> 8;
        n[at + 2] = (d >>> 4) & 15;
        n[at + 3] = d & 15;
    }

    static long register(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> 0;
            case 1 -> r.nextInt(64) - 32;
            case 2 -> r.nextBoolean() ? DATA + 8 * r.nextInt(64) : CODE + 4; // the loop's head: branches to registers
            case 3 -> r.nextBoolean() ? Long.MIN_VALUE : Integer.MIN_VALUE & 0xffffffffL;
            default -> r.nextLong();
        };
    }

    /**
     * A machine IPLed (not yet run) with INSN in a loop at CODE, {@code data} at DATA and a program-new PSW
     * that is a disabled wait; GRs from {@code regs}, then r10 = DATA and r12 = 0 (the loop's counter):
     * lghi 11,100; loop: la 12,1(12); INSN; brctg 11,loop; 0000.
     */
    static Machine loopMachine(byte[] insn, long[] regs, byte[] data, long pswMask, boolean translate) {
        int back = -(4 + insn.length) / 2;
        String hex = "a7b90064" + "41c0c001" + HexFormat.of().formatHex(insn)
                + String.format("a7b7%04x", back & 0xffff) + "0000";
        Machine m = new Machine(new Machine.Options(MEMORY, 1, true, false), s -> { });
        m.setTranslation(translate);
        byte[] code = HexFormat.of().parseHex(hex);
        m.storage().write(CODE, code, 0, code.length, Storage.HOST);
        m.storage().write(DATA, data, 0, data.length, Storage.HOST);
        m.storage().writeLong(Lowcore.PGM_NEW_PSW, 0x0002000180000000L, Storage.HOST);
        m.storage().writeLong(Lowcore.PGM_NEW_PSW + 8, 0xfff, Storage.HOST);
        m.ipl(new Psw(pswMask, CODE));
        Cpu c = m.cpu(0);
        System.arraycopy(regs, 0, c.gr, 0, 16);
        c.gr[10] = DATA;
        c.gr[12] = 0;
        return m;
    }

    static Run run(byte[] insn, long[] regs, byte[] data, boolean programMask, boolean translate) {
        Machine m = loopMachine(insn, regs, data, 0x0000000180000000L | (programMask ? 1L << 43 : 0), translate);
        Cpu c = m.cpu(0);
        try {
            m.run(100_000);
        } catch (ArrayIndexOutOfBoundsException e) {
            // a known bug outside this test's subject: an access at an address >= 2^63 escapes the CPU (fetchPage
            // and fillRead compare the absolute address with the storage size signed); both runs must agree on it
            return new Run(new State("escaped at 0x" + Long.toHexString(c.ia), c.gr.clone(), c.ar.clone(),
                    c.fpr.clone(), c.cr.clone(), c.fpc, c.prefix(), c.instructionCount(), new byte[0]), c.blockRuns);
        }
        State s = new State(c.psw().toString(), c.gr.clone(), c.ar.clone(), c.fpr.clone(), c.cr.clone(), c.fpc,
                c.prefix(), c.instructionCount(), m.storage().read(0, MEMORY, Storage.HOST));
        return new Run(s, c.blockRuns);
    }
}
