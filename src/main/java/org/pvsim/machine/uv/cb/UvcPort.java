package org.pvsim.machine.uv.cb;

/**
 * The UVC instruction as seen by software: the UVCB at {@code uvcbAddress} is read and answered in
 * storage, the result is the condition code (0 done, 1 error: see rc/rrc, 2 busy and 3 partial:
 * re-execute). For the host the address is absolute; for a secure guest ({@code domain} != 0) it is a
 * guest absolute address. May throw {@link org.pvsim.machine.ProgramInterruption}.
 */
@FunctionalInterface
public interface UvcPort {
    int call(long uvcbAddress, int domain);
}
