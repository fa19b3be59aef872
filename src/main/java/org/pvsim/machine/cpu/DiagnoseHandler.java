package org.pvsim.machine.cpu;

/**
 * A hypervisor's hook for DIAGNOSE (83): the function code is the second-operand address's low 16 bits.
 * Returns true if it handled the call; false lets the machine apply its default (0x44 and 0x9c are
 * no-ops, anything else is a specification exception, as KVM answers unknown codes).
 */
@FunctionalInterface
public interface DiagnoseHandler {
    boolean diagnose(Cpu cpu, int function, int r1, int r3);
}
