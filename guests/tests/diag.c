#include "lib.h"

/*
 * DIAGNOSE 308 (IPL functions) and 288 (watchdog) on a machine without a hypervisor: the operand checks,
 * SET/STORE of an IPL parameter block, the load-normal resets (0, 1) that resume at the short PSW at
 * absolute 0, a re-IPL that keeps storage (4), and a watchdog that restarts the CPU when it expires.
 */
static volatile int last_code, count;
static volatile int boot; /* .bss: the loader does not write it, so it survives the re-IPL of subcode 4 */
static uint8_t block[4096] __attribute__((aligned(4096)));
static uint8_t stored[4096] __attribute__((aligned(4096)));
uint64_t diag_saved_regs[16];

static void on_pgm(uint16_t code, uint16_t ilc)
{
	(void)ilc;
	last_code = code;
	count++;
}

/* Returns the program-interruption code of the call (0: none); the rc of diag 308 lands in r1 + 1. */
static int diag308(unsigned long subcode, unsigned long addr, unsigned long *rc)
{
	register unsigned long r2 asm("r2") = addr;
	register unsigned long r3 asm("r3") = -1UL;
	register unsigned long r4 asm("r4") = subcode;

	last_code = 0;
	asm volatile("diag %0,%2,0x308" : "+d"(r2), "+d"(r3) : "d"(r4) : "memory");
	if (rc)
		*rc = r3;
	return last_code;
}

static int diag308_odd_register(void)
{
	register unsigned long r3 asm("r3") = 0x2000;
	register unsigned long r4 asm("r4") = 5;

	last_code = 0;
	asm volatile("diag %0,%1,0x308" :: "d"(r3), "d"(r4) : "memory");
	return last_code;
}

static int diag288(unsigned long function, unsigned long seconds, unsigned long action)
{
	register unsigned long r0 asm("r0") = function;
	register unsigned long r1 asm("r1") = seconds;
	register unsigned long r2 asm("r2") = action;

	last_code = 0;
	asm volatile("diag %0,%2,0x288" :: "d"(r0), "d"(r1), "d"(r2) : "memory");
	return last_code;
}

/*
 * diag 308 subcode 0 or 1 with the short PSW at absolute 0 pointing at diag_resume: the reset clears
 * every register (and CR0), so the resume path reloads them. Returns 1 if the reset happened.
 */
extern int diag_reset(unsigned long subcode);
extern char diag_resume[];
asm(".text\n"
    "diag_reset:\n"
    "	larl	%r1,diag_saved_regs\n"
    "	stmg	%r0,%r15,0(%r1)\n"
    "	lgr	%r5,%r2\n"
    "	diag	%r0,%r5,0x308\n"
    "	lghi	%r2,0\n"
    "	br	%r14\n"
    "diag_resume:\n"
    "	larl	%r1,diag_saved_regs\n"
    "	lmg	%r0,%r15,0(%r1)\n"
    "	larl	%r1,diag_cr0\n"
    "	lctlg	%c0,%c0,0(%r1)\n"
    "	lghi	%r2,1\n"
    "	br	%r14\n"
    "	.section .rodata\n"
    "	.align	8\n"
    "diag_cr0:\n"
    "	.quad	0x40200\n"
    "	.text\n");

/* Absolute 0 (the short PSW a load normal loads) through asm: C may not dereference a null pointer. */
static uint64_t load_psw0(void)
{
	uint64_t v;

	asm volatile("lg %0,0" : "=d"(v) :: "memory");
	return v;
}

static void store_psw0(uint64_t v)
{
	asm volatile("stg %0,0" :: "d"(v) : "memory");
}

static int reset(unsigned long subcode)
{
	uint64_t ipl_psw = load_psw0();
	int done;

	store_psw0(0x0008000180000000UL | (unsigned long)diag_resume);
	done = diag_reset(subcode);
	store_psw0(ipl_psw);
	return done;
}

/* The watchdog's restart arrives at the restart new PSW, which start.S routes here. */
void secondary_main(int cpu)
{
	pgm_hook = 0;
	printf("watchdog restarted cpu %d\n", cpu);
	exit(0);
}

static void second_boot(void)
{
	printf("re-IPL by subcode 4 kept storage: %d\n", boot == 1);
	pgm_hook = on_pgm;
	printf("288 odd r1 -> 0x%x\n", ({ last_code = 0; asm volatile("diag 1,2,0x288" ::: "memory"); last_code; }));
	printf("288 action 42 -> 0x%x\n", diag288(0, 15, 42));
	printf("288 function 42 -> 0x%x\n", diag288(42, 15, 0));
	printf("288 cancel without init -> 0x%x\n", diag288(2, 15, 0));
	printf("288 timeout 14 -> 0x%x\n", diag288(0, 14, 0));
	printf("288 init 30 -> 0x%x\n", diag288(0, 30, 0));
	printf("288 cancel -> 0x%x\n", diag288(2, 0, 0));
	printf("288 init 15 -> 0x%x\n", diag288(0, 15, 0));
	for (;;)
		wait_for_ext(); /* nothing else can end this wait */
}

int main(void)
{
	unsigned long rc;

	if (boot == 1) {
		second_boot();
		return 4;
	}
	pgm_hook = on_pgm;
	printf("308 subcode 2 -> 0x%x\n", diag308(2, 0, 0));
	printf("308 subcode 7 -> 0x%x\n", diag308(7, 0, 0));
	printf("308 subcode 0x10001 -> 0x%x\n", diag308(0x10001, 0, 0));
	printf("308 subcode 8 (no unpack facility) -> 0x%x\n", diag308(8, (unsigned long)block, 0));
	printf("308 set, odd register -> 0x%x\n", diag308_odd_register());
	printf("308 set, unaligned block -> 0x%x\n", diag308(5, 54321, 0));
	printf("308 store, unaligned block -> 0x%x\n", diag308(6, 54321, 0));
	diag308(6, (unsigned long)stored, &rc);
	printf("308 store before set: rc 0x%lx\n", rc);
	*(uint32_t *)block = 199;
	block[12] = 2; /* CCW */
	diag308(5, (unsigned long)block, &rc);
	printf("308 set, CCW block of 199 bytes: rc 0x%lx\n", rc);
	*(uint32_t *)block = 200;
	block[100] = 0x5a;
	diag308(5, (unsigned long)block, &rc);
	printf("308 set, CCW block of 200 bytes: rc 0x%lx\n", rc);
	diag308(6, (unsigned long)stored, &rc);
	printf("308 store: rc 0x%lx, same block: %d\n", rc, memcmp(block, stored, 200) == 0);
	printf("308 subcode 0 (modified clear) resumed: %d\n", reset(0));
	printf("308 subcode 1 (load normal) resumed: %d\n", reset(1));
	printf("interruptions so far: %d\n", count);
	boot = 1;
	diag308(4, 0, 0);
	printf("308 subcode 4 returned\n");
	return 5;
}
