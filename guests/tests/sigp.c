#include "lib.h"

/*
 * The SIGP orders a hypervisor's user space carries out (QEMU's sigp.c; KVM leaves them to it): CPU 0
 * starts CPU 1 (SET PREFIX, RESTART), then stops, senses, starts, resets it, tries orders that need a
 * stopped CPU on a running one, SET ARCHITECTURE and an undefined order, and at last stops itself: the
 * last running CPU stopped is a clean shutdown.
 */
#define SIGP_SENSE 1
#define SIGP_START 4
#define SIGP_STOP 5
#define SIGP_RESTART 6
#define SIGP_INITIAL_CPU_RESET 11
#define SIGP_SET_PREFIX 13
#define SIGP_STORE_STATUS_AT_ADDRESS 14
#define SIGP_SET_ARCHITECTURE 18

static uint8_t lowcore1[8192] __attribute__((aligned(8192)));
static uint8_t status_area[512] __attribute__((aligned(512)));
static volatile int phase, go;
static volatile unsigned long spins;

static int sigp(uint16_t cpu, int order, uint64_t param, uint32_t *status)
{
	register uint64_t reg1 asm("r1") = param;
	int cc;

	asm volatile("sigp %%r1,%2,0(%3)\n\tipm %0\n\tsrl %0,28"
		     : "=d"(cc), "+d"(reg1) : "d"((uint64_t)cpu), "a"((uint64_t)order) : "cc", "memory");
	if (status)
		*status = (uint32_t)reg1;
	return cc;
}

static void show(const char *what, int cc, uint32_t status)
{
	if (cc == 1)
		printf("%s: cc 1 status 0x%x\n", what, status);
	else
		printf("%s: cc %d\n", what, cc);
}

/* The CPUs run in parallel: "go" and "phase" order the lines on the console. */
void secondary_main(int cpu)
{
	uint64_t ckc = 0x123456789abcde00UL, f15 = 0x4045000000000000UL; /* 42.0 */

	while (!go)
		;
	/* what CPU 0's STORE STATUS AT ADDRESS must find (the clock-comparator subclass stays off) */
	asm volatile("sckc %0\n\tldgr %%f15,%1" :: "Q"(ckc), "d"(f15) : "f15");
	printf("cpu %d running\n", cpu);
	phase = 1;
	while (phase < 2)
		spins++; /* stopped and started again in here: it keeps going where it was */
	while (phase < 3)
		;
	printf("cpu %d resumed\n", cpu);
	phase = 4;
}

int main(void)
{
	uint32_t st;
	int cc;

	memcpy(lowcore1, (void *)0, 512);
	show("set prefix", sigp(1, SIGP_SET_PREFIX, (uint64_t)lowcore1, &st), st);
	show("restart", sigp(1, SIGP_RESTART, 0, &st), st);
	go = 1;
	while (phase != 1)
		;
	cc = sigp(1, SIGP_SET_PREFIX, (uint64_t)lowcore1, &st);
	show("set prefix of a running cpu", cc, st);
	cc = sigp(1, SIGP_STORE_STATUS_AT_ADDRESS, (uint64_t)status_area, &st);
	show("store status of a running cpu", cc, st);
	show("stop", sigp(1, SIGP_STOP, 0, &st), st);
	show("sense", sigp(1, SIGP_SENSE, 0, &st), st);
	show("store status at address", sigp(1, SIGP_STORE_STATUS_AT_ADDRESS, (uint64_t)status_area, &st), st);
	/* the save-area layout from 0x1200: FPRs at 0, prefix at 0x118, clock comparator bits 0-55 at 0x130 */
	printf("stored prefix is cpu 1's: %d\n", *(uint32_t *)(status_area + 0x118) == (uint32_t)(uint64_t)lowcore1);
	printf("stored clock comparator 0x%lx f15 0x%lx\n", *(uint64_t *)(status_area + 0x130),
	       *(uint64_t *)(status_area + 0x78));
	phase = 2;
	show("start", sigp(1, SIGP_START, 0, &st), st);
	phase = 3;
	while (phase != 4)
		;
	show("initial cpu reset", sigp(1, SIGP_INITIAL_CPU_RESET, 0, &st), st);
	show("sense", sigp(1, SIGP_SENSE, 0, &st), st);
	show("set architecture", sigp(0, SIGP_SET_ARCHITECTURE, 0, &st), st);
	show("order 0x42", sigp(1, 0x42, 0, &st), st);
	show("stop cpu 9", sigp(9, SIGP_STOP, 0, &st), st);
	printf("cpu 0 stops itself\n");
	sigp(0, SIGP_STOP, 0, 0);
	printf("not reached\n");
	return 1;
}
