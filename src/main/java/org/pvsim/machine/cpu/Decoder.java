package org.pvsim.machine.cpu;

import org.pvsim.machine.ProgramInterruption;

/**
 * The opcode table: one {@link Opcode} per (extended) opcode, selected by the first byte and, for the
 * opcodes that have one, the extension (second nibble, second byte or sixth byte). Families register
 * their handlers in {@link #standard()}; an opcode without an entry is an operation exception.
 */
public final class Decoder {
    private final Opcode[] table = new Opcode[1 << 16];
    /** Opcodes a translated block may contain (see {@link Translator}): no control, SIGP, key or EXECUTE-type instructions. */
    private final boolean[] translatable = new boolean[1 << 16];
    /** Opcodes that may branch: a translated block ends with the first of them. */
    private final boolean[] branches = new boolean[1 << 16];
    private final boolean[] control = new boolean[1 << 16];

    /** The table of every instruction this CPU implements. */
    public static Decoder standard() {
        Decoder d = new Decoder();
        FixedPoint.register(d);
        Logical.register(d);
        StorageToStorage.register(d);
        FloatingPoint.register(d);
        Extensions.register(d);
        HighWord.register(d);
        // everything so far only computes, loads and stores (a few may branch: Extensions' compare-and-branch)
        for (Opcode o : d.opcodes()) {
            d.translatable[o.code()] = !d.control[o.code()];
        }
        Branch.register(d);
        for (Opcode o : d.opcodes()) {
            if (!d.translatable[o.code()] && !d.control[o.code()] && !o.mnemonic().matches("svc|ex|exrl")) {
                d.translatable[o.code()] = true;
                d.branches[o.code()] = true;
            }
        }
        Control.register(d);
        Sigp.register(d);
        StorageKeys.register(d);
        for (String name : new String[] {"brcth", "brxhg", "brxlg", "clrb", "clgrb", "cib", "cgib", "clib", "clgib"}) {
            for (Opcode o : d.opcodes()) {
                if (o.mnemonic().equals(name)) {
                    d.branches[o.code()] = true;
                }
            }
        }
        return d;
    }

    /** Length in bytes of the instruction whose first byte is {@code op}: from its two high bits. */
    public static int length(int op) {
        return switch (op >>> 6) {
            case 0 -> 2;
            case 3 -> 6;
            default -> 4;
        };
    }

    /** The table key of the instruction with these (left-aligned) bytes. */
    public static int key(long bits) {
        int op = (int) (bits >>> 56) & 0xff;
        int ext = switch (op) {
            case 0xa5, 0xa7, 0xc0, 0xc2, 0xc4, 0xc6, 0xc8, 0xcc -> (int) (bits >>> 48) & 0x0f;
            case 0x01, 0xb2, 0xb3, 0xb9, 0xe5 -> (int) (bits >>> 48) & 0xff;
            case 0xe3, 0xe7, 0xeb, 0xec, 0xed -> (int) (bits >>> 16) & 0xff;
            default -> 0;
        };
        return op << 8 | ext;
    }

    void add(int key, String mnemonic, Format format, Handler handler) {
        if (table[key] != null) {
            throw new IllegalStateException("opcode " + Integer.toHexString(key) + " registered twice: "
                    + table[key].mnemonic() + " and " + mnemonic);
        }
        table[key] = new Opcode(key, mnemonic, format, handler);
    }

    /**
     * Registers a control instruction: the CPU's {@link InterceptionHook}, if any, sees it first.
     * The check costs one field load, and only these instructions pay it.
     */
    void addControl(int key, String mnemonic, Format format, Handler handler) {
        control[key] = true;
        add(key, mnemonic, format, (c, i) -> {
            InterceptionHook hook = c.interceptionHook;
            if (hook != null && hook.intercept(c, i)) {
                return;
            }
            handler.exec(c, i);
        });
    }

    public Opcode lookup(long bits) {
        return table[key(bits)];
    }

    /** Decodes the instruction; an unknown opcode is an operation exception (PGM 0x01). */
    public Insn decode(long bits) {
        Opcode op = table[key(bits)];
        if (op == null) {
            throw new ProgramInterruption(ProgramInterruption.OPERATION);
        }
        int key = op.code();
        return new Insn(op, length((int) (bits >>> 56) & 0xff), bits, translatable[key], branches[key]);
    }

    /** Number of opcodes implemented. */
    public int size() {
        int n = 0;
        for (Opcode o : table) {
            if (o != null) {
                n++;
            }
        }
        return n;
    }

    /** Every implemented opcode, in key order. */
    public java.util.List<Opcode> opcodes() {
        java.util.List<Opcode> l = new java.util.ArrayList<>();
        for (Opcode o : table) {
            if (o != null) {
                l.add(o);
            }
        }
        return l;
    }

    /** The mnemonic registered for a key, or null. */
    public String mnemonic(int key) {
        Opcode o = table[key];
        return o == null ? null : o.mnemonic();
    }
}
