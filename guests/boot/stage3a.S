# pvsim stage3a: the plaintext boot loader of an SE image (s390x, z/Architecture, GNU as).
#
# The image is loaded at absolute 0; this program sits at 0x10000 and the image's IPL PSW
# (0x0008000180011000) enters it at 0x11000 in 64-bit mode, as a normal (non-protected) guest.
# Its job: tell the hypervisor where the IPL information block (IPIB) and the SE header are, then
# ask it to turn the guest into a protected one (DIAG 308 subcodes 8 and 10). On success the
# machine never comes back here: the Ultravisor restarts the guest at the PSW in the SE header.
#
# Layout of the binary (offsets from 0x10000):
#   0x0000          a branch to the entry point, for anyone starting at the load address
#   0x0400-0x0800   left zero: kept free for zipl's stage3 (the Linux parameter area of a kernel image)
#   0x1000          entry point
#   last 24 bytes   args, patched by the image builder; each value is a byte offset relative to
#                   the address of the args block itself:
#                     +0  u64 hdr_offs   SE header = &args + hdr_offs
#                     +8  u64 hdr_size   SE header length in bytes
#                     +16 u64 ipib_offs  IPIB      = &args + ipib_offs (4K aligned)
#
# Failures end in a disabled wait whose PSW address says what went wrong; a one-line message with
# a 64-bit detail value also goes to the SCLP ASCII console (event type 0x1a), after WRITE EVENT MASK
# has enabled that event type (guests/boot/sclp.inc). If the SCLP refuses the mask or the write, the
# wait is the same (the code is what matters); r2 then holds the SCLP response code (-1: SERVC found
# no SCLP) for anyone reading a dump. The codes are mirrored
# by org.pvsim.image.BootLoaders.Stage3aFailure (its test finds each "lghi %r12,code" in the binary):
#   0x3a10  the secure-unpack facility (161) is not installed        detail: 0
#   0x3a20  a program interruption happened                          detail: code << 32 | address
#   0x3a80  DIAG 308 subcode 8 (set PV IPL parameters) failed        detail: rc from R1+1
#   0x3aa0  DIAG 308 subcode 10 (unpack and start PV) returned       detail: rc from R1+1
#
# The code uses relative addressing only (larl, exrl), so it does not depend on its link address.

	.set	IPIB_PV_HDR_ADDR, 120		# IPIB offsets of the SE-header origin and length
	.set	IPIB_PV_HDR_SIZE, 128
	.set	DIAG308_PV_SET, 8
	.set	DIAG308_PV_START, 10
	.set	DIAG308_RC_OK, 1
	.set	LC_PGM_CODE, 0x8e		# lowcore: program-interruption code
	.set	LC_PGM_OLD_PSW, 0x150
	.include "boot/sclp.inc"

	.text
	.globl	_start
_start:
	jg	entry

	.org	0x1000
entry:
	larl	%r13,data			# r13: base of the data area behind the code
	larl	%r8,args			# r8: the args block, origin of its offsets

	# A program interruption (e.g. DIAG 308 refused with a specification exception) must end
	# in a reported failure, not in whatever the zero-filled lowcore happens to hold.
	larl	%r1,program_check
	stg	%r1,LC_PGM_NEW_PSW+8
	lg	%r1,psw_mask_64bit-data(%r13)
	stg	%r1,LC_PGM_NEW_PSW

	# Unpack needs facility 161: doubleword 2, bit 33 = byte 20, mask 0x40.
	lghi	%r0,2				# store three doublewords
	stfle	facilities-data(%r13)
	tm	facilities-data+20(%r13),0x40
	jz	no_unpack_facility

	lg	%r2,16(%r8)
	agr	%r2,%r8				# r2 = IPIB
	lg	%r1,0(%r8)
	agr	%r1,%r8				# r1 = SE header
	stg	%r1,IPIB_PV_HDR_ADDR(%r2)
	mvc	IPIB_PV_HDR_SIZE(8,%r2),8(%r8)

	# diag r1,r3,0x308: r1 (even) = IPIB address, r1+1 receives the rc, r3 = subcode.
	lghi	%r4,DIAG308_PV_SET
	diag	%r2,%r4,0x308
	cghi	%r3,DIAG308_RC_OK
	jne	set_pv_failed

	lghi	%r4,DIAG308_PV_START
	diag	%r2,%r4,0x308
	# Still here: the hypervisor could not unpack or verify the image.
	lgr	%r11,%r3
	lghi	%r12,0x3aa0
	larl	%r10,msg_unpack
	j	fail

set_pv_failed:
	lgr	%r11,%r3
	lghi	%r12,0x3a80
	larl	%r10,msg_set_pv
	j	fail

no_unpack_facility:
	lghi	%r11,0
	lghi	%r12,0x3a10
	larl	%r10,msg_facility
	j	fail

program_check:
	llgh	%r11,LC_PGM_CODE
	sllg	%r11,%r11,32
	llgf	%r1,LC_PGM_OLD_PSW+12		# low word of the old PSW's address
	ogr	%r11,%r1
	lghi	%r12,0x3a20
	larl	%r10,msg_program
	# fall through to fail (SCLP_FAIL_REPORT, guests/boot/sclp.inc)

	SCLP_FAIL_REPORT
	SCLP_ROUTINES

# Constants and scratch data follow the code in the same section, so that a base register plus
# a 12-bit displacement reaches all of them.
	.balign	8
data:
psw_mask_64bit:
	.quad	0x0000000180000000		# EA + BA: 64-bit addressing
wait_psw:
	.quad	0x0002000180000000, 0		# disabled wait, 64-bit; address = failure code
facilities:
	.skip	24
# Messages: a length byte, then ASCII text. larl needs even addresses, hence the alignment.
	.balign	2
prefix:
	.byte	1f-prefix-1
	.ascii	"pvsim stage3a: "
1:	.balign	2
msg_facility:
	.byte	1f-msg_facility-1
	.ascii	"secure unpack facility (161) is not installed: 0x"
1:	.balign	2
msg_program:
	.byte	1f-msg_program-1
	.ascii	"program interruption (code, address): 0x"
1:	.balign	2
msg_set_pv:
	.byte	1f-msg_set_pv-1
	.ascii	"diag 308 subcode 8 (set PV IPL parameters) failed, rc 0x"
1:	.balign	2
msg_unpack:
	.byte	1f-msg_unpack-1
	.ascii	"diag 308 subcode 10 (unpack PV) failed, rc 0x"
1:
	# The SCCB must not cross a page boundary; guests/Makefile checks that. No larger alignment
	# than 8 in this file: GNU as pads a section to its alignment, and the args must stay the
	# last bytes of the binary (also checked by guests/Makefile).
	.balign	8
sccb:
	.skip	256
args:
	.quad	0, 0, 0
args_end:
	.if	args_end - args != 24
	.error	"stage3a args must be 24 bytes"
	.endif
