package org.pvsim.machine.cpu;

/**
 * A straight-line run of decoded instructions of one page, translated to JVM bytecode by
 * {@link Translator}. It starts at a dispatch point of the interpreter and ends at its first branch
 * (inclusive), before an instruction it does not translate, or at the end of the page.
 *
 * <p>{@link #run} executes the instructions with the interpreter's exact semantics and counting: the
 * caller guarantees that {@code length} instructions fit in the slice. A block whose last instruction
 * branches back to its start repeats itself inside {@code run} while the slice has room for a whole
 * pass. A store into the block's bytes clears {@link #valid}; the block then stops after the storing
 * instruction, and the interpreter decodes the new bytes.
 */
public abstract class Block {
    /** Instruction address of the first instruction (64-bit addressing mode only). */
    protected final long start;
    /** Number of instructions. */
    protected final int length;
    /** Byte offsets [from, to) of the block in its page. */
    final int from;
    final int to;
    /** The decoded instructions (for their handlers and for program interruptions). */
    protected final Insn[] insns;
    /** Cleared when the block's bytes change. */
    protected boolean valid = true;

    protected Block(long start, int from, int to, Insn[] insns) {
        this.start = start;
        this.length = insns.length;
        this.from = from;
        this.to = to;
        this.insns = insns;
    }

    /** Runs the block (and its repetitions) on {@code cpu}, leaving the PSW and the count exact. */
    public abstract void run(Cpu cpu);

    void invalidate() {
        valid = false;
    }
}
