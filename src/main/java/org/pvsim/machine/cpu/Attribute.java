package org.pvsim.machine.cpu;

/**
 * What the run loop and the translator must know about an instruction besides its semantics. Each
 * instruction declares its own attributes where it is registered ({@link Decoder#add}); nothing infers
 * them from mnemonics, formats or registration order.
 */
public enum Attribute {
    /** May change the PSW address: a translated block ends with it (inclusive). */
    BRANCHES,
    /**
     * A control instruction: the CPU's {@link InterceptionHook} sees it before it runs (a hypervisor
     * intercepts these), so it always goes through the interpreter and is never in a translated block.
     */
    CONTROL,
    /** A privileged-operation exception in the problem state, checked after the interception hook. */
    PRIVILEGED,
    /**
     * Never in a translated block, although not a control instruction: SVC (an interruption in the
     * middle of a block) and the EXECUTE pair (their target is fetched at run time).
     */
    INTERPRETED
}
