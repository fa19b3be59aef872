/*
 * Start-up and interruption entry points of the freestanding test guests.
 * The image is linked at absolute 0: the first 8 bytes are the IPL PSW (ESA/390-format short PSW with
 * bit 12 set, EA+BA = 64-bit mode), the new PSWs of the lowcore are filled in at link time.
 */
	.section .lowcore,"aw"
	.org 0
	.long 0x00080001, 0x80000000 + _start	/* IPL PSW: disabled, 64-bit, IA = _start */
	.org 0x1a0				/* restart new PSW: secondary CPUs enter here */
	.quad 0x0000000180000000, secondary_entry
	.org 0x1b0				/* external new PSW */
	.quad 0x0000000180000000, ext_entry
	.org 0x1c0				/* SVC new PSW */
	.quad 0x0000000180000000, svc_entry
	.org 0x1d0				/* program new PSW */
	.quad 0x0000000180000000, pgm_entry
	.org 0x1e0				/* machine-check new PSW: disabled wait */
	.quad 0x0002000180000000, 0xdead
	.org 0x1f0				/* I/O new PSW: disabled wait */
	.quad 0x0002000180000000, 0xdead
	.org 0x2000

	.text
	.globl _start
_start:
	larl	%r15, stack0_top
	aghi	%r15, -160
	lctlg	%c0, %c0, cr0_value
	brasl	%r14, main
	brasl	%r14, exit			/* exit(main's return value) */

/* A secondary CPU started by SIGP restart: r15 = secondary_stack, call secondary_main(cpu address). */
secondary_entry:
	larl	%r15, stack1_top
	aghi	%r15, -160
	lctlg	%c0, %c0, cr0_value
	stap	0x200				/* CPU address into the software area of its lowcore */
	llgh	%r2, 0x200
	brasl	%r14, secondary_main
	larl	%r1, stop_psw
	lpswe	0(%r1)

/*
 * Interruption entries: save the registers in the (prefixed, so per CPU) lowcore software area,
 * call the C handler on the interrupted stack, restore, and resume the old PSW.
 */
	.macro	ENTRY name, handler, oldpsw
\name:
	stmg	%r0, %r15, 0x280
	aghi	%r15, -160
	brasl	%r14, \handler
	lmg	%r0, %r15, 0x280
	lpswe	\oldpsw
	.endm

	ENTRY	ext_entry, ext_interrupt, 0x130
	ENTRY	svc_entry, svc_interrupt, 0x140
	ENTRY	pgm_entry, pgm_interrupt, 0x150

	.section .rodata
	.align	8
cr0_value:
	.quad	0x0000000000040000 | 0x200	/* AFP-register control, service-signal subclass */
stop_psw:
	.quad	0x0002000180000000, 0xfff	/* disabled wait: this CPU is done */

	.bss
	.align	4096
	.space	16384
stack0_top:
	.space	16384
stack1_top:
