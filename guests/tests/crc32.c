#include "lib.h"

/*
 * CRC-32 (IEEE 802.3, reflected, as java.util.zip.CRC32) over a generated 64 KiB buffer. ROUNDS (8 for
 * the test guests) is larger in crc32bench-O2, which bench/cpu runs to compare speeds over more work.
 */
#ifndef ROUNDS
#define ROUNDS 8
#endif
static uint8_t buffer[65536];
static uint32_t table[256];

static void make_table(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		table[i] = c;
	}
}

static uint32_t crc32(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffffu;
	while (n--)
		c = table[(c ^ *p++) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffffu;
}

int main(void)
{
	make_table();
	/* buffer[i] = (i * 31 + (i >> 8)) & 0xff */
	for (size_t i = 0; i < sizeof(buffer); i++)
		buffer[i] = (uint8_t)(i * 31 + (i >> 8));
	printf("crc32 of 9 bytes \"123456789\" = %08x\n", crc32((const uint8_t *)"123456789", 9));
	printf("crc32 of buffer = %08x\n", crc32(buffer, sizeof(buffer)));
	uint32_t c = 0;
	for (int round = 0; round < ROUNDS; round++)
		c ^= crc32(buffer, sizeof(buffer) - (round % 8) * 1000);
	printf("crc32 rounds = %08x\n", c);
	return 0;
}
