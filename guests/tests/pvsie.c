#include "lib.h"
#include "sie.h"

/*
 * A host kernel in miniature that runs a protected guest (as kvm-unit-tests' pv-* tests do with their
 * snippet library): it initialises the Ultravisor, creates a secure configuration and CPU with UV calls
 * (UVC, B9A4), unpacks an SE image, builds a format-4 state description and executes SIE (B214).
 * The SE image is the customer's: HostProgramsTest encrypts it for this machine's host key and leaves it
 * in host storage before the program starts (a descriptor at IMAGE, the SE header behind it, the
 * encrypted pages already in the guest's frames). The guest code is SieFixture's "secret" snippet: it
 * puts a secret in registers and in guest page 0x30000, then diag 0x44.
 *   1. QUI, INIT_UV, CREATE_SEC_CONF, SET_SEC_CONF_PARAMS, UNPACK of every page, VERIFY, CREATE_SEC_CPU,
 *      CPU_SET_STATE (operating, load the PSW of the header): all rc 1.
 *   2. SIE: a guest access to a page not yet imported is the host's exception 0x3e (nullified, TEID = the
 *      guest address); the handler imports it (CONV_TO_SEC_STOR) and SIE runs again.
 *   3. diag 0x44 of a protected guest: interception 0x6c (PV notification), IPA 0x8302, IPB 0x50000000,
 *      the diag code in GR5 of the secure-interception save area.
 *   4. The host loads from the guest page that holds the secret: program interruption 0x3d (secure
 *      storage access), nothing read; the secret is in no doubleword of the state description.
 *   5. DESTROY_SEC_CPU and DESTROY_SEC_CONF: rc 1.
 */

#define IMAGE 0x1000000UL        /* struct image, from the test; the SE header at IMAGE + 0x1000 */
#define IMAGE_MAGIC 0x7076736965343031UL /* "pvsie401" */
#define GUEST_BASE 0x200000UL    /* host frames of the guest's 1 MiB */
#define GUEST_SIZE (1UL << 20)
#define DONATED 0x2000000UL      /* storage donated to the UV for the configuration and the CPU */
#define INIT_ORIGIN (1UL << 31)  /* the UV's own storage (INIT_UV), above 2 GiB as the UV requires */
#define SECRET_PAGE 0x30000UL
#define SECRET 0x5ec12e7c0ffee042UL
#define SEG_INVALID 0x20UL

struct image { uint64_t magic, header_len, tweak_prefix, pages; };

#define PACKED __attribute__((packed, aligned(8)))
struct hdr { uint16_t len, cmd, rc, rrc; } PACKED;
struct qui { struct hdr h; uint64_t r08, inst_calls[4], r30[2], uv_base_stor_len, r48, conf_base_phys,
	conf_base_virt, conf_virt_var, cpu_stor_len; uint8_t r70[0x120 - 0x70]; } PACKED;
struct init { struct hdr h; uint64_t r08[2], stor_origin, stor_len, r28[4]; } PACKED;
struct cgc { struct hdr h; uint64_t r08[2], guest_handle, conf_base, conf_virt; uint8_t r30[6]; uint16_t flags;
	uint64_t mso, msl, sca, asce, r58[5]; } PACKED;
struct csc { struct hdr h; uint64_t r08[2], cpu_handle, guest_handle, stor_origin; uint8_t r30[6]; uint16_t num;
	uint64_t state_origin, r40[4]; } PACKED;
struct cts { struct hdr h; uint64_t r08[2], guest_handle, gaddr; } PACKED;
struct ssc { struct hdr h; uint64_t r08[2], guest_handle, hdr_origin; uint32_t hdr_len, r2c; uint64_t r30[4]; } PACKED;
struct unp { struct hdr h; uint64_t r08[2], guest_handle, gaddr, tweak[2], r38[3]; } PACKED;
struct css { struct hdr h; uint64_t r08[2], cpu_handle; uint8_t r20[7], state; uint64_t r28[5]; } PACKED;
struct nodata { struct hdr h; uint64_t r08[2], handle, r20[4]; } PACKED;

static uint64_t segment_table[2048] __attribute__((aligned(16384)));
static uint64_t page_table[256] __attribute__((aligned(4096)));
static uint8_t sd[4096] __attribute__((aligned(4096)));
static uint8_t sida[4096] __attribute__((aligned(4096)));
static uint64_t guest_gr[16];
static uint64_t guest_handle, donated = DONATED;
static volatile int imports, secure_faults;
static volatile uint64_t import_gaddr;

/* uvc(cb): cc of UVC, re-executed while the UV answers cc 2 or 3 (busy), as uv_call() does. */
static int uvc(void *cb)
{
	int cc;

	do {
		asm volatile("	.insn rrf,0xb9a40000,0,%1,0,0\n"
			     "	ipm	%0\n"
			     "	srl	%0,28\n"
			     : "=d"(cc) : "a"(cb) : "cc", "memory");
	} while (cc > 1);
	return cc;
}

/* One UV call that must succeed: the test's expectation names the command, so print it on failure. */
static void must(void *cb, const char *what)
{
	struct hdr *h = cb;

	if (uvc(cb) != 0 || h->rc != 1) {
		printf("%s: rc 0x%x rrc 0x%x\n", what, h->rc, h->rrc);
		exit(2);
	}
}

static void header(void *cb, unsigned len, unsigned cmd)
{
	memset(cb, 0, len);
	((struct hdr *)cb)->len = len;
	((struct hdr *)cb)->cmd = cmd;
}

static uint64_t donate(uint64_t len, uint64_t align)
{
	uint64_t a = (donated + align - 1) & ~(align - 1);

	donated = a + ((len + 0xfff) & ~0xfffUL);
	return a;
}

static void import(uint64_t gaddr)
{
	struct cts cts;

	header(&cts, sizeof(cts), 0x0200);
	cts.guest_handle = guest_handle;
	cts.gaddr = gaddr;
	must(&cts, "CONV_TO_SEC_STOR");
}


/*
 * 0x3e on SIE (nullified): the guest touched a page that is not secure yet; import it and SIE runs again.
 * 0x3d on the host's own load from a secure page: count it and resume after the load (its ILC).
 */
static void on_pgm(uint16_t code, uint16_t ilc)
{
	uint64_t teid = lc64(0xa8) & ~0xfffUL;

	if (code == 0x3e) {
		imports++;
		import_gaddr = teid;
		import(teid);
	} else if (code == 0x3d) {
		secure_faults++;
		*(volatile uint64_t *)(LC_PGM_OLD_PSW + 8) += ilc;
	} else {
		printf("unexpected program interruption 0x%x teid 0x%lx\n", code, teid);
		exit(2);
	}
}

static unsigned icpt(void) { return sd[0x50]; }
static unsigned ipa(void) { return *(volatile uint16_t *)(sd + 0x56); }
static unsigned ipb(void) { return *(volatile uint32_t *)(sd + 0x58); }
static uint64_t pv_gr(int n) { return *(volatile uint64_t *)(sd + 0x380 + 8 * n); }

int main(void)
{
	const struct image *img = (const struct image *)IMAGE;
	static struct qui qui;
	static struct init init;
	static struct cgc cgc;
	static struct ssc ssc;
	static struct unp unp;
	static struct csc csc;
	static struct css css;
	static struct nodata nd;
	uint64_t asce = (uint64_t)segment_table | 0x100 | 0x3; /* private, segment table of 2048 entries */
	uint64_t cpu_handle, loaded;
	int hits = 0;

	if (img->magic != IMAGE_MAGIC) {
		printf("no SE image at 0x%lx\n", IMAGE);
		exit(2);
	}
	for (int i = 0; i < 2048; i++)
		segment_table[i] = SEG_INVALID;
	segment_table[0] = (uint64_t)page_table;
	for (int i = 0; i < 256; i++)
		page_table[i] = GUEST_BASE + ((uint64_t)i << 12);
	asm volatile("lctlg %%c1,%%c1,%0" :: "Q"(asce) : "memory");
	pgm_hook = on_pgm;

	header(&qui, sizeof(qui), 0x0001);
	must(&qui, "QUI");
	header(&init, sizeof(init), 0x000f);
	init.stor_origin = INIT_ORIGIN;
	init.stor_len = qui.uv_base_stor_len;
	must(&init, "INIT_UV");
	header(&cgc, sizeof(cgc), 0x0100);
	cgc.conf_base = donate(qui.conf_base_phys, 0x4000);
	cgc.conf_virt = donate(qui.conf_base_virt + (GUEST_SIZE >> 20) * qui.conf_virt_var, 4096);
	cgc.msl = GUEST_SIZE;
	cgc.sca = donate(0x4000, 0x4000);
	cgc.asce = asce;
	must(&cgc, "CREATE_SEC_CONF");
	guest_handle = cgc.guest_handle;
	header(&ssc, sizeof(ssc), 0x0300);
	ssc.guest_handle = guest_handle;
	ssc.hdr_origin = IMAGE + 0x1000;
	ssc.hdr_len = img->header_len;
	must(&ssc, "SET_SEC_CONF_PARAMS");
	for (uint64_t p = 0; p < img->pages; p++) {
		header(&unp, sizeof(unp), 0x0301);
		unp.guest_handle = guest_handle;
		unp.gaddr = p << 12;
		unp.tweak[0] = img->tweak_prefix;
		unp.tweak[1] = p << 12;
		must(&unp, "UNPACK_IMG");
	}
	header(&nd, sizeof(nd), 0x0302);
	nd.handle = guest_handle;
	must(&nd, "VERIFY_IMG");
	header(&csc, sizeof(csc), 0x0120);
	csc.guest_handle = guest_handle;
	csc.stor_origin = donate(qui.cpu_stor_len, 4096);
	csc.state_origin = (uint64_t)sd;
	must(&csc, "CREATE_SEC_CPU");
	cpu_handle = csc.cpu_handle;
	header(&css, sizeof(css), 0x0330);
	css.cpu_handle = cpu_handle;
	css.state = 5; /* operating, load the PSW of the SE header */
	must(&css, "CPU_SET_STATE");
	printf("UV: initialised, configuration created, %lu pages unpacked and verified, CPU created and loaded\n",
	       img->pages);

	*(volatile uint32_t *)(sd + 0x00) = 0x00000800; /* cpuflags: z/Architecture */
	sd[0x68] = 2;                                   /* format 4 */
	*(volatile uint64_t *)(sd + 0x10) = cpu_handle;
	*(volatile uint64_t *)(sd + 0x18) = guest_handle;
	*(volatile uint64_t *)(sd + 0x180) = (uint64_t)sida;
	*(volatile uint64_t *)(sd + 0x28) = 1UL << 50;  /* the guest's CPU timer */
	do {
		sie64(sd, guest_gr);
	} while (icpt() == 0x70 || icpt() == 0); /* the prefix pages are secure already: not expected */
	printf("guest access to a page not yet imported: %d host program interruption(s) 0x3e at 0x%lx, "
	       "imported, SIE again\n", imports, import_gaddr);
	printf("diag 0x44: icpt 0x%x ipa 0x%x ipb 0x%x, gr5 0x%lx\n", icpt(), ipa(), ipb(), pv_gr(5));

	asm volatile("	lghi	%0,0\n"
		     "	lg	%0,0(%1)\n"
		     : "=&d"(loaded) : "a"(GUEST_BASE + SECRET_PAGE) : "memory");
	printf("host load from the guest's page 0x%lx: %d program interruption(s) 0x3d, read 0x%lx\n",
	       SECRET_PAGE, secure_faults, loaded);
	for (int i = 0; i < 512; i++)
		hits += ((volatile uint64_t *)sd)[i] == SECRET;
	printf("the guest's secret is in %d of the 512 doublewords of the state description\n", hits);

	header(&nd, sizeof(nd), 0x0121);
	nd.handle = cpu_handle;
	must(&nd, "DESTROY_SEC_CPU");
	header(&nd, sizeof(nd), 0x0101);
	nd.handle = guest_handle;
	must(&nd, "DESTROY_SEC_CONF");
	printf("CPU and configuration destroyed\n");
	return 0;
}
