package org.pvsim.machine.uv.cb;

/**
 * The Ultravisor answered busy (cc 2 or 3) to every one of {@link UvCaller#MAX_BUSY_RETRIES}
 * executions of a UVC. The kernel's {@code uv_call()} would spin forever; a simulator treats a UV
 * that never finishes (e.g. a fault rule "cc=2 always") as an error, so callers can report it.
 */
public final class UvBusyException extends IllegalStateException {
    private final int cmd;
    private final int cc;
    private final int tries;

    UvBusyException(int cmd, int cc, int tries) {
        super(String.format("UVC 0x%04x still busy (cc %d) after %d tries", cmd, cc, tries));
        this.cmd = cmd;
        this.cc = cc;
        this.tries = tries;
    }

    /** The command code of the block that stayed busy. */
    public int cmd() {
        return cmd;
    }

    /** The command's name, or its code in hex when pvsim does not know it. */
    public String commandName() {
        return UvCommand.byCode(cmd).map(Enum::name).orElse(String.format("0x%04x", cmd));
    }

    /** The last condition code, 2 (busy) or 3 (partial). */
    public int cc() {
        return cc;
    }

    /** How many times the UVC was executed. */
    public int tries() {
        return tries;
    }
}
