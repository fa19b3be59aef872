/**
 * What a simulator adds around the Ultravisor and real firmware has not: rules that inject failures
 * into UV calls and listeners that see every call. Kept apart from {@code uv.cb}, which holds only
 * what the kernel's {@code asm/uv.h} holds (control blocks, command codes, the caller), so that the
 * architected interface and the test aids do not mix. Host software may use both packages.
 */
package org.pvsim.machine.uv.trace;
