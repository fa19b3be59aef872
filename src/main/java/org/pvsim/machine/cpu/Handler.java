package org.pvsim.machine.cpu;

/** Executes one decoded instruction. The CPU has already advanced the PSW past it. */
@FunctionalInterface
public interface Handler {
    void exec(Cpu cpu, Insn insn);
}
