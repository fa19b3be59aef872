/**
 * User space: a QEMU-like VMM on top of the {@code kvm} package. It owns the whole user-space flow of a
 * guest (machine setup, IPL, the transition to protected mode on diag 308 subcode 10, the vCPU run loop,
 * the SCLP console device, reboots and the trace) and talks to the machine only through the kernel's API.
 */
package org.pvsim.vmm;
