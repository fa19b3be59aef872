package org.pvsim.machine;

/**
 * Told of every SIE exit, with the interception and how long the guest ran (the operator's trace, like
 * the UV call listeners of machine.uv.trace). Called on the thread that executed SIE.
 */
@FunctionalInterface
public interface SieExitListener {
    /** One SIE entry and exit: the state description's address, its interception, the time inside SIE. */
    record SieExit(long stateDescription, boolean secure, int icptcode, int ipa, int ipb, long durationNanos) {
    }

    void onExit(SieExit exit);
}
