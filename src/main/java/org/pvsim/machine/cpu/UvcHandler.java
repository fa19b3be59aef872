package org.pvsim.machine.cpu;

/**
 * The Ultravisor behind the UVC instruction (B9A4). The CPU has done the privileged-operation and
 * i3 checks; the handler reads the UVCB at {@code uvcbAddress} (real = absolute for the host) with the
 * caller's access {@code domain} and returns the condition code. It may throw
 * {@link org.pvsim.machine.ProgramInterruption}.
 */
@FunctionalInterface
public interface UvcHandler {
    int call(long uvcbAddress, int domain);
}
