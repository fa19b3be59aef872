package org.pvsim.machine.cpu;

/**
 * One decoded instruction: the handler and its fields, filled once when the instruction is first
 * fetched (see {@link CodeCache}). Field meaning depends on the {@link Format}; unused fields are zero.
 * Relative-branch offsets are kept as the signed immediate; handlers add them to the instruction address.
 */
public final class Insn {
    public final Opcode opcode;
    public final Handler handler;
    /** Length in bytes: 2, 4 or 6. */
    public final int length;
    /** The instruction's bytes, left-aligned (for EXECUTE, traces and the UV's interception data). */
    public final long bits;
    /** {@link FastPath} id, or 0 when the run loop calls the handler. */
    final int fast;

    public int r1;
    public int r2;
    public int r3;
    public int x2;
    public int b1;
    public int b2;
    public int m;
    public long d1;
    public long d2;
    public long i2;
    public int i3;
    public int i4;
    public int i5;

    /** May be part of a translated block. */
    final boolean translatable;
    /** May branch: ends a translated block. */
    final boolean branches;
    /** The translated block that starts here, if any (dropped when its bytes are stored into). */
    Block block;
    /** Dispatches from the interpreter loop; at {@link Translator#HOT} a block is translated, -1: never. */
    int heat;

    Insn(Opcode opcode, int length, long bits) {
        // copied from the opcode so that the run loop and the translator read them without an indirection
        this.translatable = opcode.translatable();
        this.branches = opcode.branches();
        this.opcode = opcode;
        this.handler = opcode.handler();
        this.length = length;
        this.bits = bits;
        this.fast = opcode.fast();
        opcode.format().decode(bits, this);
    }

    @Override
    public String toString() {
        String hex = String.format("%016x", bits).substring(0, length * 2);
        return opcode.mnemonic() + " (" + hex + ")";
    }
}
