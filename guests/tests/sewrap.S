/*
 * sewrap: makes a test guest (a flat binary linked at 0, lowcore first) the kernel of an SE image.
 *
 * An SE image's boot loader (stage3b) starts a Linux-shaped kernel: it moves the kernel file's bytes
 * from 0x10000 on to 0x10000 and enters at 0x10000. This file is such a kernel with the test guest as
 * its payload: file offset = address, the payload's bytes appended at PAYLOAD (0x20000) and their
 * length at payload_len (0x1eff8), both written by the test code that builds the image. Its entry copies
 * the payload to absolute 0, clears what lies between the payload's end and this code (the guests'
 * .bss, which they expect zero, and what the boot loaders left there), and loads the payload's IPL PSW
 * with LPSW, as an IPL would. The payload, .bss included, must end below ENTRY. Without a boot loader (a
 * normal IPL of the file) the short PSW at 0 enters the same way.
 */
	.set	PAYLOAD, 0x20000
	.set	ENTRY, 0x1f000

	.text
	.globl	_start
_start:
	.quad	0x0008000180010000		/* short IPL PSW: 64-bit, enter startup */

	.org	0x10000
startup:
	jg	entry
	.org	0x10008
	.ascii	"S390EP"			/* what the image builder's kernel check looks for */
	.org	0x10430
	.quad	896				/* COMMAND_LINE_SIZE: the test guests take no command line */

	.org	ENTRY - 8
payload_len:
	.quad	0

	.org	ENTRY
entry:
	larl	%r1,payload_len
	lg	%r3,0(%r1)			/* destination length = source length = payload size */
	lgr	%r5,%r3
	lghi	%r2,0				/* to absolute 0 */
	llilh	%r4,PAYLOAD >> 16		/* from PAYLOAD */
0:	mvcle	%r2,%r4,0
	jo	0b
	/* r2 = payload end: clear [end, ENTRY) with the pad byte 0, from an empty source */
	llilh	%r3,ENTRY >> 16
	oill	%r3,ENTRY & 0xffff
	sgr	%r3,%r2
	lghi	%r4,0
	lghi	%r5,0
1:	mvcle	%r2,%r4,0
	jo	1b
	lpsw	0				/* the payload's IPL PSW */

	.org	PAYLOAD
