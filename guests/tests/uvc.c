#include "lib.h"
#include "sclpcall.h"

/*
 * The UVC instruction on `machine run --ultravisor`: Query Ultravisor Information, then INITIALIZE UV
 * with the error cases of kvm-unit-tests' uv-host test (written anew from its expectations) and the
 * successful one. Needs more than 2 GiB + the UV base storage of memory (run with --memory 4G).
 */
struct uv_header {
	uint16_t len, cmd, rc, rrc;
} __attribute__((packed));

static struct {
	struct uv_header h;
	uint64_t reserved08;
	uint64_t inst_calls[4];
	uint64_t reserved30[2];
	uint64_t uv_base_stor_len;
	char rest[0x120 - 0x48];
} __attribute__((packed, aligned(8))) qui;

static struct {
	struct uv_header h;
	uint64_t reserved08[2];
	uint64_t stor_origin;
	uint64_t stor_len;
	uint64_t reserved28[4];
} __attribute__((packed, aligned(8))) init;

static char sccb[4096] __attribute__((aligned(4096)));

static int uvc(void *cb)
{
	int cc;

	asm volatile("0:	.insn rrf,0xb9a40000,0,%[cb],0,0\n"
		     "	brc	3,0b\n" /* busy: issue it again */
		     "	ipm	%[cc]\n"
		     "	srl	%[cc],28\n"
		     : [cc] "=d"(cc) : [cb] "a"(cb) : "memory", "cc");
	return cc;
}

static uint64_t memory_size(void)
{
	memset(sccb, 0, sizeof(sccb));
	*(uint16_t *)sccb = 4096;
	if (sclp_call(SCLP_CMD_READ_SCP_INFO, sccb) != 0x10)
		return 0;
	uint64_t rnmax = *(uint16_t *)(sccb + 8), rnsize = *(uint8_t *)(sccb + 10);
	if (rnmax == 0)
		rnmax = *(uint64_t *)(sccb + 104);
	return (rnmax * rnsize) << 20;
}

static void try_init(const char *what, uint64_t origin, uint64_t len)
{
	memset(&init, 0, sizeof(init));
	init.h.len = sizeof(init);
	init.h.cmd = 0x000f;
	init.stor_origin = origin;
	init.stor_len = len;
	int cc = uvc(&init);
	printf("init %s: cc %d rc 0x%x rrc 0x%x\n", what, cc, init.h.rc, init.h.rrc);
}

int main(void)
{
	uint64_t mem = memory_size();
	printf("memory: %lu MiB\n", mem >> 20);
	qui.h.len = sizeof(qui);
	qui.h.cmd = 0x0001;
	int cc = uvc(&qui);
	uint64_t base = qui.uv_base_stor_len;
	printf("qui: cc %d rc 0x%x, base storage %lu MiB, init installed %d\n", cc, qui.h.rc, base >> 20,
	       (int)(qui.inst_calls[0] >> 62) & 1);
	try_init("storage 8 bytes short", 2UL << 30, base - 8);
	try_init("origin at the end of memory", mem, base);
	try_init("origin 1 MiB below the end", mem - (1UL << 20), base);
	try_init("origin below 2 GiB", 1UL << 30, base);
	try_init("at 2 GiB", 2UL << 30, base);
	try_init("again", (2UL << 30) + (128UL << 20), base);
	return 0;
}
