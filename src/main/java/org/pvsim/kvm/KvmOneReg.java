package org.pvsim.kvm;

/** {@code struct kvm_one_reg}: register id (size encoded in bits 52..55) and the user address of the value. */
public record KvmOneReg(long id, long addr) {
}
