# pvsim demo kernel: the smallest payload shaped like a Linux s390 kernel image (s390x, GNU as).
#
# Its layout is a Linux image's (demo/linux-image.inc). It prints one line on the SCLP ASCII console
# (event type 0x1a): a greeting and the command line it was booted with, then stops in a disabled wait at 0xfff, the "clean shutdown" convention. As a
# real kernel does, it first enables ASCII console events with WRITE EVENT MASK and waits for each
# SCLP request's service signal (guests/boot/sclp.inc). If the SCLP refuses, the output is lost and
# the kernel says so with its wait instead: 0xe10 (mask refused) or 0xe20 (write refused), the SCLP
# response code in r2 (-1: no SCLP).

	.include "demo/linux-image.inc"
	.include "boot/sclp.inc"
	.set	MAX_CMDLINE_SHOWN, 200

	LINUX_IMAGE_HEADER
	larl	%r9,sccb
	lgr	%r3,%r9
	brasl	%r14,sclp_enable_ascii
	lghi	%r12,0xe10
	cghi	%r2,SCLP_RC_NORMAL_COMPLETION
	jne	stop

	la	%r7,SCCB_HDR_LEN+EVBUF_HDR_LEN(%r9)	# r7 = next free text byte
	larl	%r1,greeting
	mvc	0(greeting_len,%r7),0(%r1)
	la	%r7,greeting_len(%r7)

	# the command line, up to its NUL or MAX_CMDLINE_SHOWN bytes
	lgfi	%r1,COMMAND_LINE
	lghi	%r5,MAX_CMDLINE_SHOWN
copy:	llgc	%r0,0(%r1)
	ltr	%r0,%r0
	jz	copied
	stc	%r0,0(%r7)
	la	%r1,1(%r1)
	la	%r7,1(%r7)
	brct	%r5,copy
copied:
	mvi	0(%r7),0x0a
	la	%r7,1(%r7)

	lgr	%r3,%r9
	brasl	%r14,sclp_write_ascii
	lghi	%r12,0xe20
	cghi	%r2,SCLP_RC_NORMAL_COMPLETION
	jne	stop
	lghi	%r12,0xfff			# clean shutdown

# Disabled wait at address r12.
stop:
	larl	%r1,wait_psw
	stg	%r12,8(%r1)
	lpswe	0(%r1)

	SCLP_ROUTINES

	.balign	8
wait_psw:
	.quad	0x0002000180000000, 0		# disabled wait, 64-bit; address from r12
greeting:
	.ascii	"Hello from a protected guest! Command line: "
	.set	greeting_len, . - greeting
	# A 512-aligned SCCB of at most 512 bytes cannot cross a page boundary.
	.balign	512
sccb:
	.skip	SCCB_HDR_LEN + EVBUF_HDR_LEN + greeting_len + MAX_CMDLINE_SHOWN + 8
sccb_end:
	.if	sccb_end - sccb > 512
	.error	"the SCCB must not cross a page boundary"
	.endif
