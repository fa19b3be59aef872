# pvsim stage3b: the first code that runs inside the protected guest (s390x, z/Architecture, GNU as).
#
# The Ultravisor starts the secure guest at the PSW of the SE header, which points at offset 0 of
# this program, in 64-bit mode. Like the kernel, cmdline and initrd it was unpacked (decrypted and
# verified) from the image. It puts the kernel where Linux expects it, hands over initrd and
# command line through the kernel's parameter area, and jumps to the kernel.
#
# The kernel component is a Linux s390 image file ("image", not vmlinux). Its first 0x10000 bytes
# are the kernel header: the IPL part a disk boot needs and a PV boot does not. The kernel proper
# starts at file offset 0x10000 and must run at 0x10000, so this program moves file bytes
# [0x10000, size) to 0x10000 and drops the header. The parameter area (struct parmarea) is then at
# 0x10400, i.e. file offset 0x10400.
#
# It is position independent (relative addressing only: larl, brasl, exrl), so the image builder
# may place it at any page-aligned address; guests/Makefile links it at two addresses and checks
# that the bytes are the same.
#
# The last 64 bytes are the args, patched by the image builder (absolute guest addresses):
#   +0  kernel  {u64 src, u64 size}   file bytes [0x10000, size) moved to 0x10000 (memmove: may overlap)
#   +16 cmdline {u64 src, u64 size}   moved to COMMAND_LINE (0x10480) if size > 0; must end in NUL
#   +32 initrd  {u64 src, u64 size}   stored in INITRD_START (0x10408) / INITRD_SIZE (0x10410) if size > 0
#   +48 psw     {u64 mask, u64 addr}  loaded with LPSWE at the end (the kernel entry)
# The image builder must keep this program, its args and the cmdline outside the kernel's new
# place [0x10000, kernel size): they are read after the kernel was moved.
#
# Failures end in a disabled wait whose PSW address says what went wrong; a one-line message with
# a 64-bit detail value also goes to the SCLP ASCII console (event type 0x1a), after WRITE EVENT MASK
# has enabled that event type (guests/boot/sclp.inc). If the SCLP refuses the mask or the write, the
# wait is the same; r2 then holds the SCLP response code (-1: no SCLP). The codes are mirrored
# by org.pvsim.image.BootLoaders.Stage3bFailure (its test finds each "lghi %r12,code" in the binary):
#   0x3b10  the kernel is smaller than its 0x10000-byte header           detail: kernel size
#   0x3b20  the cmdline is longer than the kernel's max_command_line_size detail: cmdline size
#   0x3b30  the cmdline's last byte is not NUL                           detail: that byte

	.set	KERNEL_ORIGIN, 0x10000		# also the size of the kernel header that is dropped
	.set	PARM_INITRD_START, 0x408	# Linux struct parmarea, relative to KERNEL_ORIGIN
	.set	PARM_INITRD_SIZE, 0x410
	.set	PARM_MAX_CMDLINE, 0x430		# u64 max_command_line_size; 0 in older kernels
	.set	PARM_COMMAND_LINE, 0x480
	.set	LEGACY_COMMAND_LINE_SIZE, 896
	.include "boot/sclp.inc"

	.text
	.globl	_start
_start:
	larl	%r13,args
	llilh	%r12,KERNEL_ORIGIN >> 16	# r12 = 0x10000, base of the parameter area

	lg	%r4,8(%r13)			# kernel size
	clgr	%r4,%r12
	jl	invalid_kernel
	sgr	%r4,%r12			# without the header
	lg	%r3,0(%r13)
	agr	%r3,%r12			# from src + 0x10000
	lgr	%r2,%r12			# to 0x10000
	brasl	%r14,memmove

	# Only now: the parameter area is part of the kernel we just moved. The kernel says how
	# long its command line may be, terminating NUL included.
	lg	%r4,PARM_MAX_CMDLINE(%r12)
	ltgr	%r4,%r4
	jnz	1f
	lghi	%r4,LEGACY_COMMAND_LINE_SIZE
1:	lg	%r11,24(%r13)			# cmdline size
	clgr	%r11,%r4
	jh	cmdline_too_large
	ltgr	%r4,%r11
	jz	2f				# no cmdline: leave the kernel's built-in one alone
	lg	%r3,16(%r13)
	la	%r1,0(%r4,%r3)
	llgc	%r11,-1(%r1)			# last byte (llgc has a 20-bit signed displacement)
	ltgr	%r11,%r11
	jnz	cmdline_not_terminated
	la	%r2,PARM_COMMAND_LINE(%r12)
	brasl	%r14,memmove

2:	lg	%r1,40(%r13)			# initrd size
	ltgr	%r1,%r1
	jz	3f
	mvc	PARM_INITRD_START(16,%r12),32(%r13)	# INITRD_START and INITRD_SIZE are adjacent
3:	lpswe	48(%r13)

invalid_kernel:
	lgr	%r11,%r4
	lghi	%r12,0x3b10
	larl	%r10,msg_kernel
	j	fail

cmdline_too_large:
	lghi	%r12,0x3b20
	larl	%r10,msg_too_large
	j	fail

cmdline_not_terminated:
	lghi	%r12,0x3b30
	larl	%r10,msg_not_terminated
	# fall through to fail (SCLP_FAIL_REPORT, guests/boot/sclp.inc)

	SCLP_FAIL_REPORT
	SCLP_ROUTINES

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

	.balign	8
data:
wait_psw:
	.quad	0x0002000180000000, 0		# disabled wait, 64-bit; address = failure code
# Messages: a length byte, then ASCII text. larl needs even addresses, hence the alignment.
	.balign	2
prefix:
	.byte	1f-prefix-1
	.ascii	"pvsim stage3b: "
1:	.balign	2
msg_kernel:
	.byte	1f-msg_kernel-1
	.ascii	"invalid kernel: size below its 0x10000-byte header: 0x"
1:	.balign	2
msg_too_large:
	.byte	1f-msg_too_large-1
	.ascii	"command line is too large for the kernel: size 0x"
1:	.balign	2
msg_not_terminated:
	.byte	1f-msg_not_terminated-1
	.ascii	"command line is not NUL-terminated: last byte 0x"
1:
	# The SCCB must not cross a page boundary (guests/boot/check-layout checks its offset; stage3b
	# is placed page aligned). No alignment above 8: the args must stay the last bytes.
	.balign	8
sccb:
	.skip	256
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
