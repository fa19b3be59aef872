package org.pvsim.machine.cpu;

import org.pvsim.machine.ProgramInterruption;

/**
 * What a CPU running a guest under SIE asks its interpretive-execution context (machine.sie): where
 * the guest's absolute storage is, and whether a program interruption goes to the guest or ends SIE.
 * Implemented by the machine's SIE only; host software never runs a CPU in guest mode.
 */
public interface GuestMode {
    /**
     * The machine frame holding guest absolute address {@code abs}. Throws the guest's addressing
     * exception (at {@code logical}) beyond the guest's storage, and a {@link ProgramInterruption#inHost}
     * condition when the host's tables for the guest do not map it.
     */
    long hostFrame(long abs, long logical);

    /**
     * Called before a program interruption is presented to the guest: throw {@link GuestExit} to end
     * SIE with an interception instead (the PSW then points as the interruption would leave it).
     */
    void programInterruption(Cpu cpu, int code, int ilc);

    /** The guest loaded an invalid new PSW for an interruption: the interception that reports it. */
    GuestExit invalidNewPsw(Cpu cpu, String what);
}
