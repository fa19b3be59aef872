package org.pvsim.machine.cpu;

/**
 * Interpretive execution behind the SIE instruction (B214), after the CPU's privileged-operation check:
 * runs the guest of the state description at {@code sdAddress} (a real address of {@code host}) until an
 * interception. Installed by the machine's SIE (machine.sie); without one, B214 is an operation exception.
 */
@FunctionalInterface
public interface SieHandler {
    void sie(Cpu host, long sdAddress);
}
