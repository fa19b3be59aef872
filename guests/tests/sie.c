#include "lib.h"
#include "sie.h"

/*
 * A host kernel in miniature (as kvm-unit-tests' s390x/sie.c): it builds DAT tables for a 1 MiB guest, a
 * format-2 state description and a snippet guest, and executes SIE (B214) until each exit it expects.
 *   1. diag 0x44 in the guest: instruction interception 4, IPA 0x8300, IPB 0x00440000, PSW past the diag.
 *   2. the guest reads a page the host tables leave invalid: a page-translation exception (0x11) in the
 *      host, on the SIE instruction (nullified), TEID = the guest address; the handler maps the page and
 *      SIE runs again, the guest's load completes and its next diag 0x44 exits with the value in GR2.
 *   3. an operation exception in the guest with ictl OPEREXC: interception 0x2c.
 */

#define GUEST_BASE 0x200000UL /* host frames of the guest's 1 MiB */
#define HOLE 0x80000UL        /* the guest page the host maps only on demand */
#define PTE_INVALID 0x400UL
#define SEG_INVALID 0x20UL

static uint64_t segment_table[2048] __attribute__((aligned(16384)));
static uint64_t page_table[256] __attribute__((aligned(4096)));
static uint8_t sd[4096] __attribute__((aligned(4096)));
static uint64_t guest_gr[16];
static volatile int faults;
static volatile uint64_t fault_teid;


static void put64(unsigned off, uint64_t v) { *(volatile uint64_t *)(sd + off) = v; }
static void put32(unsigned off, uint32_t v) { *(volatile uint32_t *)(sd + off) = v; }
static uint64_t get64(unsigned off) { return *(volatile uint64_t *)(sd + off); }
static unsigned icpt(void) { return sd[0x50]; }
static unsigned ipa(void) { return *(volatile uint16_t *)(sd + 0x56); }
static unsigned ipb(void) { return *(volatile uint32_t *)(sd + 0x58); }

/* The host's handler of the exception SIE raised: map the page, then SIE is executed again. */
static void on_pgm(uint16_t code, uint16_t ilc)
{
	uint64_t teid = lc64(0xa8);

	if (code != 0x11 || (teid & ~0xfffUL) != HOLE) {
		printf("unexpected program interruption 0x%x teid 0x%lx\n", code, teid);
		exit(2);
	}
	faults++;
	fault_teid = teid & ~0xfffUL;
	page_table[HOLE >> 12] &= ~PTE_INVALID;
}

static void guest_code(unsigned long at, const uint8_t *code, size_t len)
{
	memcpy((void *)(GUEST_BASE + at), code, len);
}

static void start(uint64_t ia)
{
	put64(0x90, 0x0000000180000000UL);
	put64(0x98, ia);
}

int main(void)
{
	/* diag 0,0,0x44; llilh 1,8; lg 2,0(1); diag 0,0,0x44; j . */
	static const uint8_t snippet[] = {0x83, 0x00, 0x00, 0x44, 0xa5, 0x1e, 0x00, 0x08, 0xe3, 0x20, 0x10, 0x00,
		0x00, 0x04, 0x83, 0x00, 0x00, 0x44, 0xa7, 0xf4, 0x00, 0x00};
	static const uint8_t opcode0[] = {0x00, 0x00};
	uint64_t asce = (uint64_t)segment_table | 0x100 | 0x3; /* private, segment table of 2048 entries */

	for (int i = 0; i < 2048; i++)
		segment_table[i] = SEG_INVALID;
	segment_table[0] = (uint64_t)page_table;
	for (int i = 0; i < 256; i++)
		page_table[i] = GUEST_BASE + ((uint64_t)i << 12);
	page_table[HOLE >> 12] |= PTE_INVALID;
	memset((void *)GUEST_BASE, 0, 1 << 20);
	guest_code(0x4000, snippet, sizeof(snippet));
	guest_code(0x5000, opcode0, sizeof(opcode0));
	*(volatile uint64_t *)(GUEST_BASE + HOLE) = 0x1122334455667788UL;
	asm volatile("lctlg %%c1,%%c1,%0" :: "Q"(asce) : "memory");

	put32(0x00, 0x00000800);            /* cpuflags: z/Architecture */
	put64(0x80, 0);                     /* MSO */
	put64(0x88, (1UL << 20) - 1);       /* MSL */
	put32(0x48, 0x80000000 | 0x20000000); /* ictl: operation exception and program interruptions */
	start(0x4000);
	pgm_hook = on_pgm;

	sie64(sd, guest_gr);
	printf("diag 0x44: icpt 0x%x ipa 0x%x ipb 0x%x psw 0x%lx\n", icpt(), ipa(), ipb(), get64(0x98));

	sie64(sd, guest_gr);
	printf("unmapped page: %d host program interruption(s) 0x11 at 0x%lx, mapped, SIE again\n", faults, fault_teid);
	printf("then diag 0x44: icpt 0x%x psw 0x%lx, the guest read 0x%lx\n", icpt(), get64(0x98), guest_gr[2]);

	start(0x5000);
	sie64(sd, guest_gr);
	printf("opcode 0x0000: icpt 0x%x code 0x%x\n", icpt(), *(volatile uint16_t *)(sd + 0xce));
	return 0;
}
