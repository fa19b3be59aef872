# pvsim stage3b: the first code that runs inside the protected guest (s390x, z/Architecture, GNU as).
#
# The Ultravisor starts the secure guest at the PSW of the SE header, which points at offset 0 of
# this program, in 64-bit mode. Like the kernel, cmdline and initrd it was unpacked (decrypted and
# verified) from the image. It puts the kernel where Linux expects it, hands over initrd and
# command line through the kernel's parameter area, and jumps to the kernel.
#
# It is position independent (relative addressing only: larl, brasl, exrl), so the image builder
# may place it at any page-aligned address; guests/Makefile links it at two addresses and checks
# that the bytes are the same.
#
# The last 64 bytes are the args, patched by the image builder (absolute guest addresses):
#   +0  kernel  {u64 src, u64 size}   moved to 0x10000 (memmove: the regions may overlap)
#   +16 cmdline {u64 src, u64 size}   copied to COMMAND_LINE (0x10480), NUL-terminated, bounded
#   +32 initrd  {u64 src, u64 size}   stored in INITRD_START (0x10408) / INITRD_SIZE (0x10410)
#   +48 psw     {u64 mask, u64 addr}  loaded with LPSWE at the end (the kernel entry)
# The image builder must keep this program, its args and the cmdline outside the kernel's new
# place [0x10000, 0x10000 + kernel size): they are read after the kernel was moved.

	.set	KERNEL_ORIGIN, 0x10000
	.set	PARM_INITRD_START, 0x408	# Linux struct parmarea, relative to KERNEL_ORIGIN
	.set	PARM_INITRD_SIZE, 0x410
	.set	PARM_MAX_CMDLINE, 0x430		# u64 max_command_line_size; 0 in older kernels
	.set	PARM_COMMAND_LINE, 0x480
	.set	LEGACY_COMMAND_LINE_SIZE, 896

	.text
	.globl	_start
_start:
	larl	%r13,args
	llilh	%r12,KERNEL_ORIGIN >> 16	# r12 = 0x10000, base of the parameter area

	lgr	%r2,%r12
	lg	%r3,0(%r13)
	lg	%r4,8(%r13)
	brasl	%r14,memmove			# kernel to 0x10000

	# Only now: the parameter area is part of the kernel image we just moved.
	mvc	PARM_INITRD_START(8,%r12),32(%r13)
	mvc	PARM_INITRD_SIZE(8,%r12),40(%r13)

	# The kernel tells how long its command line may be, terminating NUL included.
	lg	%r4,PARM_MAX_CMDLINE(%r12)
	ltgr	%r4,%r4
	jnz	1f
	lghi	%r4,LEGACY_COMMAND_LINE_SIZE
1:	aghi	%r4,-1				# room for the NUL
	lg	%r5,24(%r13)			# cmdline size
	clgr	%r5,%r4
	jh	2f
	lgr	%r4,%r5
2:	lgr	%r11,%r4			# r11 = bytes copied
	la	%r2,PARM_COMMAND_LINE(%r12)
	lg	%r3,16(%r13)
	brasl	%r14,memmove
	la	%r1,PARM_COMMAND_LINE(%r11,%r12)
	mvi	0(%r1),0

	lpswe	48(%r13)

# memmove: r2 = destination, r3 = source, r4 = length; changes r1-r5.
# MVC moves bytes left to right one at a time as far as overlap is concerned, so a forward copy in
# 256-byte pieces is correct whenever the source is above the destination or the regions are
# disjoint. When the destination lies inside the source, copy backwards in pieces no longer than
# the distance between them, so that no piece overlaps itself.
memmove:
	ltgr	%r4,%r4
	ber	%r14
	clgr	%r3,%r2
	ber	%r14
	jh	.Lforward
	lgr	%r1,%r3
	agr	%r1,%r4
	clgr	%r1,%r2
	jle	.Lforward			# source ends before the destination starts

	lgr	%r5,%r2
	sgr	%r5,%r3				# distance, 0 < r5 < length
	clgfi	%r5,256
	jle	1f
	lghi	%r5,256
1:	agr	%r2,%r4				# both ends
	agr	%r3,%r4
.Lbackward:
	clgr	%r4,%r5
	jhe	2f
	lgr	%r5,%r4				# last, shorter piece
2:	sgr	%r2,%r5
	sgr	%r3,%r5
	lgr	%r1,%r5
	aghi	%r1,-1
	exrl	%r1,.Lmvc
	sgr	%r4,%r5
	jnz	.Lbackward
	br	%r14

.Lforward:
	clgfi	%r4,256
	jl	.Ltail
	mvc	0(256,%r2),0(%r3)
	la	%r2,256(%r2)
	la	%r3,256(%r3)
	aghi	%r4,-256
	jnz	.Lforward
	br	%r14
.Ltail:
	aghi	%r4,-1
	exrl	%r4,.Lmvc
	br	%r14

# Moves 1 + (r & 0xff) bytes from 0(r3) to 0(r2) (executed by exrl).
.Lmvc:
	mvc	0(1,%r2),0(%r3)

	.balign	8				# LPSWE needs a doubleword-aligned operand
args:
	.quad	0, 0				# kernel
	.quad	0, 0				# cmdline
	.quad	0, 0				# initrd
	.quad	0, 0				# psw
args_end:
	.if	args_end - args != 64
	.error	"stage3b args must be 64 bytes"
	.endif
