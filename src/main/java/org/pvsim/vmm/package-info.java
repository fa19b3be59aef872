/**
 * User space: a QEMU-like VMM on top of the {@code kvm} package. It owns the whole user-space flow of a
 * guest (machine setup, IPL, the transition to protected mode on diag 308 subcode 10, a thread per vCPU
 * with the SIGP orders user space handles, the SCLP console device, reboots and the trace) and talks to
 * the machine only through the kernel's API.
 */
package org.pvsim.vmm;
