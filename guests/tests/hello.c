#include "lib.h"

int main(void)
{
	puts("hello from pvsim");
	printf("%d %i %u\n", 42, -17, 4000000000u);
	printf("%x %X %lx\n", 0xbeef, 0xcafe, 0x123456789abcdef0UL);
	printf("[%5d] [%-5d] [%05d] [%s] [%c]\n", 42, 42, -42, "str", 'z');
	printf("%ld %lu\n", -9223372036854775807L - 1, 18446744073709551615UL);
	printf("100%%\n");
	return 0;
}
