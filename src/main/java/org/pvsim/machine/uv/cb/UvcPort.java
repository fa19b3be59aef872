package org.pvsim.machine.uv.cb;

/**
 * The UVC instruction as host software issues it: the UVCB at host absolute {@code uvcbAddress} is read and
 * answered in storage, the result is the condition code (0 done, 1 error: see rc/rrc, 2 busy and 3 partial:
 * re-execute). May throw {@link org.pvsim.machine.ProgramInterruption}. There is no access domain here on
 * purpose: a secure guest's UVCs come from its own CPU inside the machine, never from host software.
 */
@FunctionalInterface
public interface UvcPort {
    int call(long uvcbAddress);
}
