package org.pvsim.machine.cpu;

/**
 * Lets a hypervisor (SIE) take over control instructions before the CPU executes them: DIAGNOSE,
 * SIGP, SERVC, UVC, STSI, the PSW, prefix, timer and control-register instructions. Called with the
 * PSW already past the instruction; returning true means the hook handled it (an interception) and
 * the CPU does not execute it. A hook that wants the instruction to be executed again later sets
 * {@link Cpu#ia} back to its address.
 */
@FunctionalInterface
public interface InterceptionHook {
    boolean intercept(Cpu cpu, Insn insn);
}
