package org.pvsim.kvm;

/** {@code struct kvm_userspace_memory_region}; {@code memorySize} 0 deletes the slot. */
public record KvmUserspaceMemoryRegion(int slot, int flags, long guestPhysAddr, long memorySize, long userspaceAddr) {
}
