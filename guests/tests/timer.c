#include "lib.h"

/* CPU timer and clock comparator interruptions, each taken out of an enabled wait. */
static volatile uint16_t got_code;
static volatile int hits;

static void on_ext(uint16_t code, uint32_t param)
{
	(void)param;
	got_code = code;
	hits++;
	if (code == 0x1005) {
		/* The CPU-timer condition persists while the timer is negative: push it far out. */
		uint64_t far = 0x7fffffffffffffffUL;
		asm volatile("spt %0" :: "Q"(far));
	} else if (code == 0x1004) {
		uint64_t never = 0xffffffffffffffffUL;
		asm volatile("sckc %0" :: "Q"(never));
	}
}

static uint64_t stck(void)
{
	uint64_t t;
	asm volatile("stck %0" : "=Q"(t) :: "cc");
	return t;
}

int main(void)
{
	ext_hook = on_ext;

	uint64_t t0 = stck(), t1 = stck();
	printf("tod advances: %d\n", t1 >= t0);

	uint64_t cr0 = stctg0();
	lctlg0(cr0 | 0x400); /* CPU-timer subclass */
	uint64_t timer = 4096ul << 12; /* 4096 microseconds */
	asm volatile("spt %0" :: "Q"(timer));
	uint64_t left;
	asm volatile("stpt %0" : "=Q"(left));
	printf("cpu timer counts down: %d\n", left <= timer);
	/* The interruption may already have come while the console waited for the SCLP (EXT enabled). */
	while (hits < 1)
		wait_for_ext();
	printf("cpu timer interruption code 0x%x hits %d\n", got_code, hits);

	lctlg0((cr0 | 0x800) & ~0x400UL); /* clock-comparator subclass only */
	uint64_t when = stck() + (2000ul << 12);
	asm volatile("sckc %0" :: "Q"(when));
	uint64_t back;
	asm volatile("stckc %0" : "=Q"(back));
	printf("clock comparator reads back: %d\n", back == when);
	while (hits < 2)
		wait_for_ext();
	printf("clock comparator interruption code 0x%x hits %d late %d\n", got_code, hits, stck() >= when);
	lctlg0(cr0);
	return 0;
}
