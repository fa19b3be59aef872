#include "sclpcall.h"

/*
 * The in-guest agent of `pvsim secret add/list/lock` and `pvsim attest perform`: what pvsecret and
 * pvattest do inside a Linux guest through /dev/uv, as a freestanding program issuing the guest UV calls
 * itself. It reads one command per line from the SCLP console and answers each with zero or more data
 * lines and one status line "<command>: rc 0xRRRR rrc 0xRRRR" (the UV's codes; "rc -" when the command
 * never reached the UV):
 *
 *   add HEX                  ADD_SECRET (0x1031) of the add-secret request HEX
 *   list                     LIST_SECRETS (0x1033); "list: secret IDX TYPE LEN IDHEX" per secret
 *   lock                     LOCK_SECRETS (0x1034)
 *   retrieve IDHEX           RETR_SECRET (0x1035) of the secret with the 32-byte id IDHEX, found by
 *                            LIST_SECRETS as pvsecret retrieve finds it; "retrieve: secret IDX TYPE HEX"
 *   attest ADDLEN HEX [USER] RETR_ATTEST (0x1020) of the ARCB HEX with ADDLEN bytes of room for
 *                            additional data and optional user data; "attest: measurement HEX",
 *                            "attest: additional HEX" (if any), "attest: cuid HEX"
 *   quit                     shuts down
 *
 * Blocks are those of the kernel's asm/uv.h (struct uv_cb_guest_addr, uv_cb_nodata, uv_cb_attest,
 * uv_cb_retr_secr, uv_secret_list); guests/tests/uvcb-layouts.c checks the same layouts against the Java records.
 */

#define UVC_RETR_ATTEST  0x1020
#define UVC_ADD_SECRET   0x1031
#define UVC_LOCK_SECRETS 0x1034
#define UVC_LIST_SECRETS 0x1033
#define UVC_RETR_SECRET  0x1035
#define UV_RC_MORE_DATA  0x0100

#define MAX_REQUEST 0x3000	/* an add-secret request or an ARCB (the UV takes ARCBs up to 0x2000) */
#define MAX_LINE (2 * MAX_REQUEST + 1024)

struct uv_header {
	uint16_t len, cmd, rc, rrc;
} __attribute__((packed));

struct uv_cb_guest_addr {
	struct uv_header h;
	uint64_t reserved08[3];
	uint64_t addr;
	uint64_t reserved28[4];
} __attribute__((packed, aligned(8)));

struct uv_cb_nodata {
	struct uv_header h;
	uint64_t reserved08[2];
	uint64_t handle;
	uint64_t reserved20[4];
} __attribute__((packed, aligned(8)));

struct uv_cb_list_secrets {
	struct uv_header h;
	uint64_t reserved08[2];
	uint8_t reserved18[6];
	uint16_t start_idx;
	uint64_t list_addr;
	uint64_t reserved28[4];
} __attribute__((packed, aligned(8)));

struct uv_cb_retr_secr {
	struct uv_header h;
	uint64_t reserved08[2];
	uint16_t secret_idx;
	uint16_t reserved1a;
	uint32_t buf_size;
	uint64_t buf_addr;
	uint64_t reserved28[4];
} __attribute__((packed, aligned(8)));

struct uv_cb_attest {
	struct uv_header h;
	uint64_t reserved08[2];
	uint64_t arcb_addr;
	uint64_t cont_token;
	uint8_t reserved28[6];
	uint16_t user_data_len;
	uint8_t user_data[256];
	uint32_t reserved130[3];
	uint32_t meas_len;
	uint64_t meas_addr;
	uint8_t config_uid[16];
	uint32_t reserved158;
	uint32_t add_data_len;
	uint64_t add_data_addr;
	uint64_t reserved168[4];
} __attribute__((packed, aligned(8)));

struct secret_entry {
	uint16_t index, type;
	uint32_t length;
	uint64_t reserved;
	uint8_t id[32];
} __attribute__((packed));

struct secret_list {
	uint16_t num_secr_stored, total_num_secrets, next_secret_idx;
	uint16_t reserved06;
	uint64_t reserved08;
	struct secret_entry secrets[85];
} __attribute__((packed, aligned(4096)));

static struct sccb_read_event rsccb;

static char line[MAX_LINE];
static uint8_t request[MAX_REQUEST] __attribute__((aligned(4096)));
static struct secret_list list __attribute__((aligned(4096)));
static uint8_t measurement[64] __attribute__((aligned(8)));
static uint8_t additional[256] __attribute__((aligned(8)));
static uint8_t retrieved[8192] __attribute__((aligned(8)));	/* the UV hands out at most this */
static struct uv_cb_guest_addr add_cb;
static struct uv_cb_nodata lock_cb;
static struct uv_cb_list_secrets list_cb;
static struct uv_cb_attest attest_cb;
static struct uv_cb_retr_secr retr_cb;

/* UVC, issued again while the UV answers busy (cc 2 or 3), as the kernel's uv_call() does. */
static int uvc(void *cb)
{
	int cc;

	asm volatile("0:	.insn rrf,0xb9a40000,0,%[cb],0,0\n"
		     "	brc	3,0b\n"
		     "	ipm	%[cc]\n"
		     "	srl	%[cc],28\n"
		     : [cc] "=d"(cc) : [cb] "a"(cb) : "memory", "cc");
	return cc;
}

static void status(const char *what, const struct uv_header *h)
{
	printf("%s: rc 0x%04x rrc 0x%04x\n", what, h->rc, h->rrc);
}

static void refused(const char *what, const char *why)
{
	printf("%s: rc - %s\n", what, why);
}

static void print_hex(const uint8_t *b, int n)
{
	for (int i = 0; i < n; i++)
		printf("%02x", b[i]);
}

static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Hex digits from *p up to a blank or the end into out (at most max bytes); -1 if not whole bytes. */
static int parse_hex(char **p, uint8_t *out, int max)
{
	int n = 0;
	char *s = *p;

	while (*s && *s != ' ') {
		int hi = nibble(s[0]), lo = hi < 0 ? -1 : nibble(s[1]);
		if (lo < 0 || n == max)
			return -1;
		out[n++] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	while (*s == ' ')
		s++;
	*p = s;
	return n;
}

static int parse_number(char **p)
{
	int v = 0;
	char *s = *p;

	if (*s < '0' || *s > '9')
		return -1;
	while (*s >= '0' && *s <= '9' && v < 0x10000)
		v = v * 10 + (*s++ - '0');
	while (*s == ' ')
		s++;
	*p = s;
	return v;
}

static void add_secret(char *args)
{
	if (parse_hex(&args, request, sizeof(request)) <= 0 || *args) {
		refused("add", "bad request hex");
		return;
	}
	memset(&add_cb, 0, sizeof(add_cb));
	add_cb.h.len = sizeof(add_cb);
	add_cb.h.cmd = UVC_ADD_SECRET;
	add_cb.addr = (uint64_t)request;
	uvc(&add_cb);
	status("add", &add_cb.h);
}

/* LIST_SECRETS page by page (following the next index on rc 0x100), each entry to each(). */
static void walk_secrets(void (*each)(const struct secret_entry *))
{
	uint16_t start = 0;

	for (;;) {
		memset(&list_cb, 0, sizeof(list_cb));
		memset(&list, 0, sizeof(list));
		list_cb.h.len = sizeof(list_cb);
		list_cb.h.cmd = UVC_LIST_SECRETS;
		list_cb.start_idx = start;
		list_cb.list_addr = (uint64_t)&list;
		uvc(&list_cb);
		if (list_cb.h.rc != 1 && list_cb.h.rc != UV_RC_MORE_DATA)
			break;
		for (int i = 0; i < list.num_secr_stored && i < 85; i++)
			each(&list.secrets[i]);
		if (list_cb.h.rc != UV_RC_MORE_DATA || list.next_secret_idx <= start)
			break;
		start = list.next_secret_idx;
	}
}

static void print_entry(const struct secret_entry *e)
{
	printf("list: secret %u %u %u ", e->index, e->type, e->length);
	print_hex(e->id, sizeof(e->id));
	printf("\n");
}

static void list_secrets(void)
{
	walk_secrets(print_entry);
	status("list", &list_cb.h);
}

static uint8_t wanted_id[32];
static struct secret_entry wanted;
static int wanted_found;

static void match_entry(const struct secret_entry *e)
{
	if (!wanted_found && memcmp(e->id, wanted_id, sizeof(wanted_id)) == 0) {
		wanted = *e;
		wanted_found = 1;
	}
}

static void retrieve_secret(char *args)
{
	if (parse_hex(&args, wanted_id, sizeof(wanted_id)) != (int)sizeof(wanted_id) || *args) {
		refused("retrieve", "expected a 32-byte secret id in hex");
		return;
	}
	wanted_found = 0;
	walk_secrets(match_entry);
	if (list_cb.h.rc != 1 && list_cb.h.rc != UV_RC_MORE_DATA) {
		status("retrieve", &list_cb.h);
		return;
	}
	if (!wanted_found) {
		refused("retrieve", "no secret with that id");
		return;
	}
	if (wanted.length > sizeof(retrieved)) {
		refused("retrieve", "secret larger than the agent's buffer");
		return;
	}
	memset(&retr_cb, 0, sizeof(retr_cb));
	retr_cb.h.len = sizeof(retr_cb);
	retr_cb.h.cmd = UVC_RETR_SECRET;
	retr_cb.secret_idx = wanted.index;
	retr_cb.buf_size = wanted.length;
	retr_cb.buf_addr = (uint64_t)retrieved;
	uvc(&retr_cb);
	if (retr_cb.h.rc == 1) {
		printf("retrieve: secret %u %u ", wanted.index, wanted.type);
		print_hex(retrieved, wanted.length);
		printf("\n");
	}
	memset(retrieved, 0, sizeof(retrieved));
	status("retrieve", &retr_cb.h);
}

static void lock_secrets(void)
{
	memset(&lock_cb, 0, sizeof(lock_cb));
	lock_cb.h.len = sizeof(lock_cb);
	lock_cb.h.cmd = UVC_LOCK_SECRETS;
	uvc(&lock_cb);
	status("lock", &lock_cb.h);
}

static void attest(char *args)
{
	int add_len = parse_number(&args);
	int arcb_len = parse_hex(&args, request, sizeof(request));
	uint8_t user[256];
	int user_len = *args ? parse_hex(&args, user, sizeof(user)) : 0;

	if (add_len < 0 || add_len > (int)sizeof(additional) || arcb_len <= 0 || user_len < 0 || *args) {
		refused("attest", "expected ADDLEN HEX [USERHEX]");
		return;
	}
	memset(&attest_cb, 0, sizeof(attest_cb));
	attest_cb.h.len = sizeof(attest_cb);
	attest_cb.h.cmd = UVC_RETR_ATTEST;
	attest_cb.arcb_addr = (uint64_t)request;
	attest_cb.user_data_len = user_len;
	memcpy(attest_cb.user_data, user, user_len);
	attest_cb.meas_len = sizeof(measurement);
	attest_cb.meas_addr = (uint64_t)measurement;
	attest_cb.add_data_len = add_len;
	attest_cb.add_data_addr = (uint64_t)additional;
	uvc(&attest_cb);
	if (attest_cb.h.rc == 1) {
		printf("attest: measurement ");
		print_hex(measurement, sizeof(measurement));
		printf("\n");
		if (attest_cb.add_data_len > 0 && attest_cb.add_data_len <= sizeof(additional)) {
			printf("attest: additional ");
			print_hex(additional, attest_cb.add_data_len);
			printf("\n");
		}
		printf("attest: cuid ");
		print_hex(attest_cb.config_uid, sizeof(attest_cb.config_uid));
		printf("\n");
	}
	status("attest", &attest_cb.h);
}

static int starts(const char *s, const char *word)
{
	int n = strlen(word);
	return memcmp(s, word, n) == 0 && (s[n] == ' ' || s[n] == 0);
}

/* Executes one line; returns 0 on quit. */
static int command(char *l)
{
	if (strcmp(l, "quit") == 0)
		return 0;
	if (starts(l, "add"))
		add_secret(l + 3 + (l[3] == ' '));
	else if (strcmp(l, "list") == 0)
		list_secrets();
	else if (strcmp(l, "lock") == 0)
		lock_secrets();
	else if (starts(l, "retrieve"))
		retrieve_secret(l + 8 + (l[8] == ' '));
	else if (starts(l, "attest"))
		attest(l + 6 + (l[6] == ' '));
	else if (l[0])
		printf("agent: unknown command\n");
	return 1;
}

int main(void)
{
	printf("agent: ready\n");
	for (;;) {
		int len = sclp_read_line(&rsccb, line, sizeof(line));
		if (len == -1) {
			printf("agent: READ EVENT DATA refused\n");
			return 1;
		}
		if (len == -2) {
			printf("agent: line too long\n");
			continue;
		}
		if (!command(line)) {
			printf("agent: bye\n");
			return 0;
		}
	}
}
