/*
 * Benchmark loop: r1 = iteration count from absolute 0x1f00 (patched by the benchmark), then
 * "stg; aghi; brctg" r1 times, then a disabled wait at 0xfff. 3 instructions per iteration.
 */
	.section .lowcore,"aw"
	.org 0
	.long 0x00080001, 0x80000000 + _start
	.org 0x1f00
count:
	.quad 100000000
	.org 0x2000

	.text
	.globl _start
_start:
	lg	%r1, count
	larl	%r3, scratch
	lghi	%r4, 0
0:	stg	%r4, 0(%r3)
	aghi	%r4, 1
	brctg	%r1, 0b
	larl	%r5, done_psw
	lpswe	0(%r5)

	.section .rodata
	.align	8
done_psw:
	.quad	0x0002000180000000, 0xfff

	.bss
	.align	4096			/* a data page of its own: stores into code pages take a slow path */
scratch:
	.space	8
