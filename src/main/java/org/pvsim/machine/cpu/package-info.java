/**
 * The z/Architecture CPU: an interpreter that runs real gcc-built s390x code.
 *
 * <h2>Structure</h2>
 * <ul>
 * <li>{@link org.pvsim.machine.cpu.Cpu}: architected state (PSW, GRs, CRs, ARs, FPRs, prefix, timers)
 *     and the run loop; storage access through per-CPU TLBs keyed by logical page (DAT, protection and
 *     prefixing applied once per page by {@code Dat}, see docs/dat.md), with the frame-ownership check of {@link org.pvsim.machine.storage.Storage} on
 *     every access (one int compare on the fast path).</li>
 * <li>{@link org.pvsim.machine.cpu.Decoder}, {@link org.pvsim.machine.cpu.Format},
 *     {@link org.pvsim.machine.cpu.Insn}, {@link org.pvsim.machine.cpu.Opcode}: the opcode table (one
 *     declaration per instruction: mnemonic, format, {@link org.pvsim.machine.cpu.Attribute}s and
 *     semantics, keyed by the first byte and its extension) and pre-decoded instructions, cached per
 *     4 KiB frame in {@code CodeCache}. A store into a frame with decoded code takes the slow path and
 *     forgets the overlapped instructions, so self-modifying code is exact. The hottest instructions
 *     are declared {@link org.pvsim.machine.cpu.Inline} (a kernel in {@code Ops}): {@code FastPath}
 *     generates the loop's inline switch and {@code Translator} the blocks' calls from that one
 *     declaration; everything else calls its handler.</li>
 * <li>Handler families: {@code FixedPoint}, {@code Logical}, {@code Branch}, {@code StorageToStorage},
 *     {@code FloatingPoint} (register moves only), the vector facility ({@code Vector} and its
 *     families), {@code Control}, {@code Sigp},
 *     {@code SystemInformation}, {@code Extensions}. Unimplemented opcodes are operation exceptions.</li>
 * <li>{@link org.pvsim.machine.cpu.Interruptions}: program, SVC, external, restart; old/new PSWs in the
 *     {@link org.pvsim.machine.Lowcore}. {@link org.pvsim.machine.cpu.Clocks}: TOD, CPU timer,
 *     clock comparator.</li>
 * <li>{@link org.pvsim.machine.cpu.Machine}: the CPUs, storage, decode cache, SCLP; IPL and run.
 *     {@link org.pvsim.machine.cpu.ProgramLoader}: ELF and flat images.</li>
 * </ul>
 *
 * <h2>Decisions</h2>
 * <ul>
 * <li>Several CPUs are time-sliced on one thread (see {@link org.pvsim.machine.cpu.Machine}): no data
 *     races on the hot path, and with {@code deterministic} clocks (1 ns of virtual time per
 *     instruction) a run is reproducible instruction for instruction.</li>
 * <li>IPL: an ELF is loaded at its segments' physical addresses and entered at its entry point in
 *     64-bit mode, disabled (QEMU's {@code -kernel} convention); a flat image is loaded at absolute 0 and
 *     its bytes 0-7 are the IPL PSW in ESA/390 short format (bit 12 set), as in a real IPL record.</li>
 * <li>The run ends when every CPU is stopped or in a disabled wait. Success is QEMU's convention for a
 *     clean shutdown: every wait PSW's instruction address ends in 0xfff.</li>
 * <li>Not modelled, each raising the architected exception when used: access-register mode, the
 *     reference and change bits of the storage keys, PER, I/O beyond a channel subsystem without devices,
 *     floating-point arithmetic (scalar and vector), decimal, crypto. The CPU timer also runs while a CPU is stopped. The long and
 *     interruptible instructions (MVCL, MVCLE, CLST, ...) complete in one execution.</li>
 * <li>The UVC instruction calls the {@link org.pvsim.machine.cpu.UvcHandler} installed with
 *     {@link org.pvsim.machine.cpu.Machine#setUvcHandler}; DIAGNOSE calls the
 *     {@link org.pvsim.machine.cpu.DiagnoseHandler} (a hypervisor's hook for 0x500, 0x308...).</li>
 * </ul>
 */
package org.pvsim.machine.cpu;
