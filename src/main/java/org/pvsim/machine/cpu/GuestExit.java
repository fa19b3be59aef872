package org.pvsim.machine.cpu;

/**
 * Ends a guest's interpretive execution from inside an instruction: thrown by the SIE context's hooks
 * (an intercepted instruction, an intercepted program interruption) and by the CPU for a condition of
 * the host ({@link org.pvsim.machine.ProgramInterruption#inHost}). The CPU's state is left as the
 * interception defines it; {@link #reason} tells SIE which one it is.
 */
public final class GuestExit extends RuntimeException {
    private final transient Object reason;

    public GuestExit(Object reason) {
        super(null, null, false, false);
        this.reason = reason;
    }

    public Object reason() {
        return reason;
    }
}
