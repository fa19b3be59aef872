# pvsim reboot kernel: a test payload shaped like the demo kernel (see demo/kernel.S) that reboots once.
# It prints "boot N" (N = the boots it counted in a byte at 0x9000, outside every image component), and
# on its first boot asks for a reboot with DIAG 308, the subcode being the first character of its command
# line ('0', '1' or '3'). On any later boot it stops in a disabled wait at 0xfff (clean shutdown).
# Subcodes 0 and 1 keep the guest's memory, so the count survives; after 3 (re-IPL) it starts again at 0.
# Built by guests/Makefile (as the demo kernel is) into src/main/resources/guests/demo/reboot.bin.

	.set	COUNTER, 0x9000
	.include "demo/linux-image.inc"
	.include "boot/sclp.inc"

	LINUX_IMAGE_HEADER
	larl	%r9,sccb
	lgr	%r3,%r9
	brasl	%r14,sclp_enable_ascii
	llill	%r8,COUNTER
	llgc	%r5,0(%r8)			# boots so far
	la	%r7,SCCB_HDR_LEN+EVBUF_HDR_LEN(%r9)
	larl	%r1,msg
	mvc	0(msg_len,%r7),0(%r1)
	la	%r7,msg_len(%r7)
	lr	%r0,%r5
	ahi	%r0,0x30
	stc	%r0,0(%r7)
	mvi	1(%r7),0x0a
	la	%r7,2(%r7)
	lgr	%r3,%r9
	brasl	%r14,sclp_write_ascii
	llgc	%r5,0(%r8)
	la	%r0,1(%r5)
	stc	%r0,0(%r8)
	ltr	%r5,%r5
	jnz	done
	lgfi	%r1,COMMAND_LINE
	llgc	%r4,0(%r1)
	aghi	%r4,-0x30			# subcode
	larl	%r1,reset_psw			# the PSW a protected reset loads (the UV reads absolute 0)
	mvc	0(8,%r0),0(%r1)
	lghi	%r2,0
	diag	%r2,%r4,0x308
done:
	larl	%r1,wait_psw
	lpswe	0(%r1)

	SCLP_ROUTINES

	.balign	8
wait_psw:
	.quad	0x0002000180000000, 0xfff
reset_psw:
	.quad	0x0008000180000000 + STARTUP	# short PSW: 64-bit, the kernel's startup again
msg:
	.ascii	"reboot kernel: boot "
	.set	msg_len, . - msg
	.balign	8
sccb:
	.skip	256
