package org.pvsim.machine.cpu;

import java.util.EnumSet;
import java.util.Set;
import org.pvsim.machine.ProgramInterruption;

/**
 * The opcode table: one {@link Opcode} per (extended) opcode, selected by the first byte and, for the
 * opcodes that have one, the extension (second nibble, second byte or sixth byte). Each family declares
 * its instructions with {@link #add} (one call per instruction: mnemonic, format, semantics and
 * {@link Attribute}s); an opcode without an entry is an operation exception.
 */
public final class Decoder {
    private final Opcode[] table = new Opcode[1 << 16];
    /** Inline instructions so far: the next one gets the fast-path id {@code inline + 1}. */
    private int inline;

    private static final Decoder STANDARD = build();

    /** The table of every instruction this CPU implements (built once; it does not change). */
    public static Decoder standard() {
        return STANDARD;
    }

    private static Decoder build() {
        Decoder d = new Decoder();
        FixedPoint.register(d);
        Logical.register(d);
        StorageToStorage.register(d);
        FloatingPoint.register(d);
        Vector.register(d);
        Extensions.register(d);
        HighWord.register(d);
        Branch.register(d);
        Control.register(d);
        Sigp.register(d);
        StorageKeys.register(d);
        ChannelSubsystem.register(d);
        DatInstructions.register(d);
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

    /**
     * Declares one instruction: its key, mnemonic, format, semantics and attributes, all that the
     * interpreter and the translator use. Without attributes it is an instruction that only computes,
     * loads and stores, and may be translated.
     */
    void add(int key, String mnemonic, Format format, Handler handler, Attribute... attributes) {
        Set<Attribute> a = attributes(attributes);
        put(new Opcode(key, mnemonic, format, a, guarded(handler, a), null, FastPath.NONE));
    }

    /**
     * Declares an instruction that the run loop and translated blocks execute inline (see {@link Inline});
     * its handler is the generated fast path, so that its kernel is its only semantics.
     */
    void add(int key, String mnemonic, Format format, Inline kernel, Attribute... attributes) {
        Set<Attribute> a = attributes(attributes);
        if (a.contains(Attribute.CONTROL) || a.contains(Attribute.PRIVILEGED)) {
            throw new IllegalStateException(mnemonic + ": the fast path does not check interception or privilege");
        }
        boolean branch = kernel.kind() == Inline.Kind.RELATIVE_BRANCH || kernel.kind() == Inline.Kind.REGISTER_BRANCH;
        if (branch != a.contains(Attribute.BRANCHES)) {
            throw new IllegalStateException(mnemonic + ": a branch kernel and the BRANCHES attribute go together");
        }
        put(new Opcode(key, mnemonic, format, a, (c, i) -> FastPath.DISPATCH.exec(c, i), kernel, ++inline));
    }

    /**
     * Declares a control instruction: the CPU's {@link InterceptionHook}, if any, sees it first, and it
     * is never translated. The check costs one field load, and only these instructions pay it.
     */
    void addControl(int key, String mnemonic, Format format, Handler handler, Attribute... attributes) {
        Attribute[] all = java.util.Arrays.copyOf(attributes, attributes.length + 1);
        all[attributes.length] = Attribute.CONTROL;
        add(key, mnemonic, format, handler, all);
    }

    private static Set<Attribute> attributes(Attribute... attributes) {
        Set<Attribute> a = EnumSet.noneOf(Attribute.class);
        a.addAll(java.util.Arrays.asList(attributes));
        return a;
    }

    /** The handler with the checks its attributes ask for, in the architected order: interception, then privilege. */
    private static Handler guarded(Handler semantics, Set<Attribute> attributes) {
        Handler h = semantics;
        if (attributes.contains(Attribute.PRIVILEGED)) {
            Handler body = h;
            h = (c, i) -> {
                c.privileged();
                body.exec(c, i);
            };
        }
        if (attributes.contains(Attribute.CONTROL)) {
            Handler body = h;
            h = (c, i) -> {
                InterceptionHook hook = c.interceptionHook;
                if (hook != null && hook.intercept(c, i)) {
                    return;
                }
                body.exec(c, i);
            };
        }
        return h;
    }

    private void put(Opcode o) {
        if (table[o.code()] != null) {
            throw new IllegalStateException("opcode " + Integer.toHexString(o.code()) + " registered twice: "
                    + table[o.code()].mnemonic() + " and " + o.mnemonic());
        }
        table[o.code()] = o;
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
        return new Insn(op, length((int) (bits >>> 56) & 0xff), bits);
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
