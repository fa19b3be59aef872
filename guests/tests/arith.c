#include "lib.h"

/* Values through volatile so that the compiler must emit the arithmetic instead of folding it. */
static volatile int64_t s64[] = { 7, -7, 3, -3, 0x7fffffffffffffffL, -0x7fffffffffffffffL - 1, 1000000007, -1 };
static volatile uint64_t u64[] = { 0xffffffffffffffffUL, 3, 0x8000000000000000UL, 0x100000000UL, 12345678901234567UL };
static volatile int32_t s32[] = { 0x7fffffff, -0x7fffffff - 1, 100, -9 };

int main(void)
{
	printf("div %ld %ld %ld %ld\n", s64[0] / s64[2], s64[1] / s64[2], s64[0] / s64[3], s64[1] / s64[3]);
	printf("mod %ld %ld %ld %ld\n", s64[0] % s64[2], s64[1] % s64[2], s64[0] % s64[3], s64[1] % s64[3]);
	printf("max/7 %ld min/7 %ld min%%7 %ld\n", s64[4] / s64[0], s64[5] / s64[0], s64[5] % s64[0]);
	printf("udiv %lu %lu %lu\n", u64[0] / u64[1], u64[2] / u64[3], u64[4] % u64[3]);
	printf("umod %lu %lu\n", u64[0] % u64[4], u64[4] / 1000);
	printf("mul %ld %ld\n", s64[6] * s64[6], s64[6] * s64[1]);
	printf("umul %lx %lx\n", u64[0] * u64[0], u64[3] * u64[3] + u64[1]);
	unsigned __int128 wide = (unsigned __int128)u64[0] * u64[4];
	printf("mul128 %lx %lx\n", (uint64_t)(wide >> 64), (uint64_t)wide);
	printf("wrap %ld %ld\n", (int64_t)((uint64_t)s64[4] + 1), (int64_t)((uint64_t)s64[5] - 1));
	printf("s32 %d %d %d %d\n", s32[0] / s32[3], s32[1] / s32[2], s32[1] % s32[3], s32[2] * s32[3]);
	printf("u32 %u %u\n", (uint32_t)s32[1] / 10u, (uint32_t)s32[3] % 1000u);
	printf("shift %lx %lx %ld %x\n", u64[4] << 13, u64[0] >> 7, s64[5] >> 3, (uint32_t)s32[3] >> 4);
	uint64_t r = u64[4];
	printf("rot %lx %lx\n", (r << 17) | (r >> 47), (r >> 5) | (r << 59));
	printf("bits %lx %lx %lx %lx\n", u64[4] & 0xff00ff00ff00ffUL, u64[4] | 0xf0, u64[4] ^ u64[0], ~u64[1]);
	printf("cmp %d %d %d %d\n", s64[1] < s64[2], u64[0] > u64[1], s32[1] < s32[3], (uint32_t)s32[1] > (uint32_t)s32[3]);
	int64_t acc = 0;
	for (int i = -50; i <= 50; i += 7)
		acc += (int64_t)i * i * i;
	printf("cubes %ld\n", acc);
	printf("neg %ld abs %ld\n", -s64[6], s64[1] < 0 ? -s64[1] : s64[1]);
	return 0;
}
