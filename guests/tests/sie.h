/* The SIE entry of the host programs (sie.c, pvsie.c): one definition, included once per program. */
#ifndef GUEST_SIE_H
#define GUEST_SIE_H

/* sie64(sd, gr): the guest's GRs 0-13 from gr[] into the CPU, SIE, and back (r14/r15 stay the host's). */
void sie64(void *sd, uint64_t *gr);
asm(".text\n"
    "	.globl sie64\n"
    "sie64:	stmg	%r6,%r15,48(%r15)\n"
    "	aghi	%r15,-16\n"
    "	stg	%r3,0(%r15)\n"
    "	lgr	%r14,%r2\n"
    "	lmg	%r0,%r13,0(%r3)\n"
    "	.insn	s,0xb2140000,0(%r14)\n"
    "	lg	%r14,0(%r15)\n"
    "	stmg	%r0,%r13,0(%r14)\n"
    "	aghi	%r15,16\n"
    "	lmg	%r6,%r15,48(%r15)\n"
    "	br	%r14\n");

#endif
