package org.pvsim.machine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import org.pvsim.machine.storage.Storage;

/**
 * Every vector instruction (and LCBB) with random fields, vector registers and data, with the vector
 * controls on, run in a loop ({@code la 12,1(12); INSN; brctg 11,loop}, 100 passes) by the interpreter
 * alone and with translated blocks: GRs, all 32 VRs, FPC, PSW with the CC, count and storage must end the
 * same. (The table-wide {@link InstructionTranslationProperties} runs them with the controls off.)
 */
class VectorTranslationProperties {
    static final int MEMORY = InstructionTranslationProperties.MEMORY;
    static final EnumSet<Format> VECTOR_FORMATS = EnumSet.of(Format.VRX, Format.VRR, Format.VRI, Format.VRS,
            Format.VRV, Format.VSI);

    static final List<Opcode> VECTOR = Decoder.standard().opcodes().stream()
            .filter(o -> VECTOR_FORMATS.contains(o.format()) || o.mnemonic().equals("lcbb")).toList();

    @Property(tries = 8)
    void everyVectorInstructionRunsTheSameInABlock(@ForAll long seed) {
        assertThat(VECTOR).hasSizeGreaterThan(110);
        for (Opcode o : VECTOR) {
            Random r = new Random(seed * 31 + o.code());
            byte[] insn = encode(o, r);
            long[] regs = new long[16 + 64];
            for (int k = 0; k < regs.length; k++) {
                regs[k] = k < 16 ? InstructionTranslationProperties.register(r) : r.nextLong();
            }
            byte[] data = new byte[0x1200];
            r.nextBytes(data);
            String[] state = new String[2];
            long[] blocks = new long[2];
            for (int t = 0; t < 2; t++) {
                Cpu c = run(insn, regs, data, t == 1);
                state[t] = c.psw() + " gr " + Arrays.toString(c.gr) + " fpr " + Arrays.toString(c.fpr) + " vh "
                        + Arrays.toString(c.vrHigh) + " vl " + Arrays.toString(c.vrLow) + " fpc " + c.fpc + " count "
                        + c.instructionCount() + " storage "
                        + Arrays.hashCode(c.machine().storage().read(0, MEMORY, Storage.HOST));
                blocks[t] = c.blockRuns;
            }
            assertThat(blocks[0]).isZero();
            assertThat(state[1]).as(o.mnemonic() + " " + HexFormat.of().formatHex(insn)).isEqualTo(state[0]);
            Statistics.label("translated").collect(blocks[1] > 0);
        }
        Statistics.label("translated").coverage(c -> c.check(true).percentage(p -> p >= 50));
    }

    /**
     * Random fields; base registers at the data page (R10), no index register, GR fields in R0-R9, and
     * element-size and flag nibbles mostly small, so that most encodings are valid.
     */
    static byte[] encode(Opcode o, Random r) {
        int[] n = new int[12];
        for (int k = 0; k < 12; k++) {
            n[k] = r.nextInt(16);
        }
        for (int k = 5; k <= 8; k++) {
            if (r.nextInt(4) != 0) {
                n[k] &= 3;
            }
        }
        switch (o.format()) {
            case VRX, RXE -> {
                n[2] = o.format() == Format.RXE ? n[2] % 10 : n[2];
                n[3] = 0;
                InstructionTranslationProperties.base(n, 4, r);
            }
            case VRS -> {
                n[2] %= 10; // VLGV's R1
                n[3] %= 10; // VLL/VSTL/VLVG's R3
                InstructionTranslationProperties.base(n, 4, r);
                n[4] = r.nextBoolean() ? 10 : 0;
            }
            case VRV, VSI -> InstructionTranslationProperties.base(n, 4, r);
            default -> { }
        }
        long bits = 0;
        for (int k = 0; k < 12; k++) {
            bits = bits << 4 | n[k];
        }
        bits <<= 16;
        bits = (bits & ~(0xffL << 56)) | (long) (o.code() >>> 8) << 56;
        bits = (bits & ~(0xffL << 16)) | (long) (o.code() & 0xff) << 16;
        assertThat(Decoder.key(bits)).isEqualTo(o.code());
        byte[] b = new byte[6];
        for (int k = 0; k < 6; k++) {
            b[k] = (byte) (bits >>> (56 - 8 * k));
        }
        return b;
    }

    static Cpu run(byte[] insn, long[] regs, byte[] data, boolean translate) {
        Machine m = InstructionTranslationProperties.loopMachine(insn, regs, data, 0x0000000180000000L, translate);
        Cpu c = m.cpu(0);
        c.cr[0] |= Vector.CR0_AFP | Vector.CR0_VECTOR;
        for (int v = 0; v < 32; v++) {
            Vector.set(c, v, regs[16 + 2 * v], regs[17 + 2 * v]);
        }
        m.run(100_000);
        return c;
    }
}
