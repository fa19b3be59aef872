#include "lib.h"

/* CPU 0 gives CPU 1 a lowcore of its own (SIGP SET PREFIX), starts it (SIGP RESTART) and waits. */
#define SIGP_SENSE 1
#define SIGP_EMERGENCY_SIGNAL 3
#define SIGP_RESTART 6
#define SIGP_STOP 5
#define SIGP_SET_PREFIX 13

static uint8_t lowcore1[8192] __attribute__((aligned(8192)));
static volatile int secondary_done, emergencies, go;
static volatile uint16_t emergency_from = 0xffff;

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

static void on_ext(uint16_t code, uint32_t param)
{
	(void)param;
	if (code == 0x1201) {
		emergency_from = lc16(LC_CPU_ADDR);
		emergencies++;
	}
}

/* The CPUs run in parallel on real hardware and in QEMU: "go" orders the lines on the console. */
void secondary_main(int cpu)
{
	while (!go)
		;
	printf("hello from cpu %d\n", cpu);
	uint64_t cr0 = stctg0();
	lctlg0(cr0 | 0x4000); /* emergency-signal subclass */
	secondary_done = 1;
	while (!emergencies)
		wait_for_ext();
	printf("cpu %d got an emergency signal from cpu %d\n", cpu, emergency_from);
	secondary_done = 2;
}

int main(void)
{
	ext_hook = on_ext;
	printf("cpu %d starts\n", stap());
	printf("sense cpu 1: cc %d\n", sigp(1, SIGP_SENSE, 0, 0));
	printf("sense cpu 7: cc %d\n", sigp(7, SIGP_SENSE, 0, 0));
	memcpy(lowcore1, (void *)0, 512); /* the new PSWs */
	printf("set prefix: cc %d\n", sigp(1, SIGP_SET_PREFIX, (uint64_t)lowcore1, 0));
	printf("restart: cc %d\n", sigp(1, SIGP_RESTART, 0, 0));
	go = 1;
	while (secondary_done != 1)
		;
	int cc = sigp(1, SIGP_EMERGENCY_SIGNAL, 0, 0);
	while (secondary_done != 2)
		;
	printf("emergency signal: cc %d\n", cc);
	printf("both cpus done\n");
	return 0;
}
