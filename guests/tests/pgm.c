#include "lib.h"

/* A program-interruption handler that survives fixed-point divide and operation exceptions. */
static volatile int last_code = -1, last_ilc = -1, count;

static void on_pgm(uint16_t code, uint16_t ilc)
{
	last_code = code;
	last_ilc = ilc;
	count++;
	/* Divide and operation exceptions suppress: the old PSW already points past the instruction. */
}

static long divide(long a, long b)
{
	register long hi asm("r2") = 0;
	register long lo asm("r3") = a;
	/* DSGR: r2:r3 / b; a zero divisor raises PGM 0x09 and leaves r2/r3 unchanged. */
	asm volatile("dsgr %0,%2" : "+d"(hi), "+d"(lo) : "d"(b) : "cc");
	return lo;
}

int main(void)
{
	pgm_hook = on_pgm;
	printf("100 / 7 = %ld\n", divide(100, 7));
	long r = divide(100, 0);
	printf("100 / 0 -> code 0x%x ilc %d quotient %ld\n", last_code, last_ilc, r);
	asm volatile(".short 0x0000" ::: "memory"); /* opcode 0x00: operation exception, ILC 2 */
	printf("opcode 00 -> code 0x%x ilc %d\n", last_code, last_ilc);
	register unsigned long odd asm("r3") = 1;
	/* DLGR with an odd R1 (r3): specification exception, ILC 4 (the assembler refuses the mnemonic) */
	asm volatile(".insn rre,0xb9870000,3,3" : "+d"(odd) :: "cc");
	printf("dlgr odd r1 -> code 0x%x ilc %d\n", last_code, last_ilc);
	printf("still running after %d interruptions\n", count);
	return 0;
}
