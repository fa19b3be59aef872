package org.pvsim.machine.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.pvsim.machine.Lowcore;
import org.pvsim.machine.storage.Storage;

/**
 * Runs one fuzz input on a small two-CPU machine: the bytes choose the PSW, the registers and a stream of
 * instructions (mostly opcodes the CPU implements, with random fields; some raw bytes), which then run
 * for a bounded number of instructions. Whatever the input, the outcome must be architected: the run
 * ends (completion, wait, stop, the instruction bound), every program interruption carries a code the
 * architecture defines, every operating CPU holds a valid PSW, and no Java exception escapes.
 *
 * <p>Each interruption's new PSW points at an LPSWE of its old PSW, so a stream goes on after a program
 * interruption (a nullifying one runs again until the bound).
 */
final class CpuFuzzHarness {
    static final long MEMORY = 256 << 10;
    static final long CODE = 0x4000;
    /** Instructions run from each instruction of the stream on. */
    static final long STEP = 24;
    static final int MAX_STREAM = 512;
    private static final long STREAM_ROOM = 0x8000;
    static final long MAX_NANOS = 5_000_000_000L;
    private static final long HANDLERS = 0x3000;
    private static final long END_PSW = 0xff0;

    /** Program-interruption codes the z/Architecture defines (PER 0x80 may be or'ed into any). */
    static final Set<Integer> ARCHITECTED = architected();

    private static Set<Integer> architected() {
        Set<Integer> s = new java.util.HashSet<>();
        for (int c = 0x01; c <= 0x13; c++) {
            s.add(c);
        }
        s.addAll(List.of(0x15, 0x16, 0x18, 0x19, 0x1b, 0x1c, 0x1d, 0x1f));
        for (int c = 0x20; c <= 0x34; c++) {
            s.add(c);
        }
        s.addAll(List.of(0x38, 0x39, 0x3a, 0x3b, 0x3d, 0x3e, 0x3f, 0x40));
        return Set.copyOf(s);
    }

    /** Values that probe the edges: memory's end, the prefix area, the 24/31/64-bit wraps, signs. */
    private static final long[] EDGES = {0, 1, 2, 4, 7, 8, 0xfff, 0x1000, 0x1ff8, 0x2000, CODE, CODE + 0x800, 0x5000,
        0x10000, MEMORY - 8, MEMORY - 1, MEMORY, MEMORY + 0x1000, 0xfffff8, 0xffffff, 0x1000000, 0x7ffffff8L,
        0x7fffffffL, 0x80000000L, 0xfffffff8L, 0xffffffffL, 0x100000000L, -8, -1, -4096, Long.MIN_VALUE,
        Long.MAX_VALUE, 0xfff0_0000_0000_0000L, 0x0000_1000_0000_0000L};

    private static final List<Opcode> OPCODES = Decoder.standard().opcodes();

    /** What a run did, for the tests' own checks. */
    record Outcome(List<Machine.Result> results, List<Integer> programCodes, List<Cpu> cpus) {
    }

    /** A cursor over the input that reads zeros once it is used up. */
    private static final class Input {
        private final byte[] data;
        private int pos;

        Input(byte[] data) {
            this.data = data;
        }

        boolean more() {
            return pos < data.length;
        }

        int u8() {
            return pos < data.length ? data[pos++] & 0xff : 0;
        }

        int u16() {
            return u8() << 8 | u8();
        }

        long u64() {
            long v = 0;
            for (int k = 0; k < 8; k++) {
                v = v << 8 | u8();
            }
            return v;
        }
    }

    private CpuFuzzHarness() {
    }

    static Outcome run(byte[] data) {
        Input in = new Input(data);
        // mostly small; sometimes past 16 MiB and 2 GiB, where 24- and 31-bit addresses wrap inside storage
        int size = in.u8();
        long memory = size < 0xe0 ? MEMORY : size < 0xf8 ? (17L << 20) : (2L << 30) + (64 << 10);
        Machine m = new Machine(new Machine.Options(memory, 2, true, false), s -> { });
        m.setTranslation((in.u8() & 1) != 0);
        List<Integer> codes = new ArrayList<>();
        m.observeProgramInterruptions(codes::add);
        Storage st = m.storage();
        long mask = pswMask(in.u8());
        Cpu c0 = m.cpu(0);
        Cpu c1 = m.cpu(1);
        long[] regs = new long[16];
        for (int r = 0; r < 16; r++) {
            regs[r] = value(in);
        }
        long cr0 = (in.u8() & 1) != 0 ? in.u64() : 0xe0L;
        List<Long> starts = new ArrayList<>();
        long code = CODE;
        while (in.more() && code < CODE + STREAM_ROOM && starts.size() < MAX_STREAM) {
            byte[] insn = instruction(in);
            st.write(code, insn, 0, insn.length, Storage.HOST);
            starts.add(code);
            code += insn.length;
        }
        st.writeInt(code, 0xb2b20000 | (int) END_PSW, Storage.HOST); // lpswe END_PSW
        starts.add(code);
        m.ipl(new Psw(mask, CODE));
        System.arraycopy(regs, 0, c0.gr, 0, 16);
        System.arraycopy(regs, 0, c1.gr, 0, 16);
        c0.cr[0] = cr0;
        // Each instruction of the stream in turn, in the state the ones before left (registers, storage,
        // control registers, prefix, CPU 1), so that every one runs although a branch or a loop of
        // interruptions would take the PSW elsewhere. CPU 1 starts only if a SIGP starts it.
        List<Machine.Result> results = new ArrayList<>();
        for (long at : starts) {
            for (Cpu c : m.cpus()) {
                c.checkStop = null;
            }
            installHandlers(c0); // the stream may have overwritten them (or moved the prefix)
            long current = c0.pswMaskWithoutCc() | (long) c0.cc << Psw.CC_SHIFT;
            boolean resumable = c0.state() == Cpu.State.OPERATING && !c0.isWaiting() && Psw.isValid(current, at);
            c0.setPsw(resumable ? current : mask, at);
            c0.start();
            results.add(m.run(STEP, MAX_NANOS));
        }
        return new Outcome(results, codes, m.cpus());
    }

    /** Each new PSW: 64-bit, disabled, at an LPSWE of the matching old PSW; the end PSW a disabled wait. */
    private static void installHandlers(Cpu c) {
        Storage st = c.machine().storage();
        int[][] pairs = {{Lowcore.RESTART_NEW_PSW, Lowcore.RESTART_OLD_PSW}, {Lowcore.EXT_NEW_PSW, Lowcore.EXT_OLD_PSW},
            {Lowcore.SVC_NEW_PSW, Lowcore.SVC_OLD_PSW}, {Lowcore.PGM_NEW_PSW, Lowcore.PGM_OLD_PSW},
            {Lowcore.MCCK_NEW_PSW, Lowcore.MCCK_OLD_PSW}, {Lowcore.IO_NEW_PSW, Lowcore.IO_OLD_PSW}};
        for (int k = 0; k < pairs.length; k++) {
            long handler = HANDLERS + 8L * k;
            st.writeLong(c.lowcore(pairs[k][0]), Psw.MASK_64BIT_DISABLED, Storage.HOST);
            st.writeLong(c.lowcore(pairs[k][0] + 8), handler, Storage.HOST);
            st.writeInt(c.realToAbsolute(handler), 0xb2b20000 | pairs[k][1], Storage.HOST);
        }
        st.writeLong(c.realToAbsolute(END_PSW), Psw.WAIT | Psw.MASK_64BIT_DISABLED, Storage.HOST);
        st.writeLong(c.realToAbsolute(END_PSW + 8), 0xfff, Storage.HOST);
    }

    /** A valid PSW mask: addressing mode, problem state, program mask and key from one byte. */
    private static long pswMask(int b) {
        long mode = switch (b & 3) {
            case 0 -> 0;
            case 1 -> Psw.BA;
            default -> Psw.EA | Psw.BA;
        };
        long problem = (b & 4) != 0 && (b & 8) != 0 ? Psw.PROBLEM : 0;
        long programMask = (long) ((b >>> 4) & 0xf) << 40;
        return mode | problem | programMask;
    }

    private static long value(Input in) {
        int sel = in.u8();
        if (sel < 0x80) {
            return EDGES[sel % EDGES.length];
        }
        if (sel < 0xc0) {
            return in.u16() * 8L % MEMORY; // inside memory, often aligned
        }
        return in.u64();
    }

    /** An implemented opcode with random fields (7 in 8), or raw bytes (operation exceptions, gaps). */
    private static byte[] instruction(Input in) {
        int sel = in.u8();
        byte[] b = new byte[6];
        Opcode o = (sel & 7) == 7 ? null : OPCODES.get(in.u16() % OPCODES.size());
        b[0] = (byte) (o == null ? in.u8() : o.code() >>> 8);
        int len = Decoder.length(b[0] & 0xff);
        for (int k = 1; k < len; k++) {
            b[k] = (byte) in.u8();
        }
        if (o != null) { // the extension where Decoder.key reads it
            int ext = o.code() & 0xff;
            switch (o.code() >>> 8) {
                case 0xa5, 0xa7, 0xc0, 0xc2, 0xc4, 0xc6, 0xc8, 0xcc -> b[1] = (byte) ((b[1] & 0xf0) | ext);
                case 0x01, 0xb2, 0xb3, 0xb9, 0xe5 -> b[1] = (byte) ext;
                case 0xe3, 0xe7, 0xeb, 0xec, 0xed -> b[5] = (byte) ext;
                default -> { }
            }
        }
        return java.util.Arrays.copyOf(b, len);
    }
}
