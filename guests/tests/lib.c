#include "lib.h"

/* ---- SCLP console: WRITE EVENT DATA with an ASCII console event buffer ------------------------ */
#define SCLP_CMD_WRITE_EVENT_DATA 0x00760005
#define SCLP_CMD_WRITE_EVENT_MASK 0x00780005
#define EVTYP_ASCII 0x1a
#define EXT_SERVICE_SIGNAL 0x2401

struct sccb_header {
	uint16_t length;
	uint8_t function_code;
	uint8_t control_mask[3];
	uint16_t response_code;
} __attribute__((packed));

struct event_header {
	uint16_t length;
	uint8_t type;
	uint8_t flags;
	uint16_t reserved;
} __attribute__((packed));

struct write_sccb {
	struct sccb_header h;
	struct event_header ebh;
	char data[4096 - 14];
} __attribute__((packed));

struct mask_sccb {
	struct sccb_header h;
	uint16_t reserved;
	uint16_t mask_length;
	uint32_t cp_receive_mask;
	uint32_t cp_send_mask;
	uint32_t send_mask;
	uint32_t receive_mask;
} __attribute__((packed));

static union {
	struct write_sccb w;
	struct mask_sccb m;
	char raw[4096];
} sccb __attribute__((aligned(4096)));

volatile int sclp_busy;
static int console_ready;
static volatile int console_lock;
static char line[128];
static int line_len;

static void lock(void)
{
	int old;
	do {
		old = 0;
		asm volatile("cs %0,%2,%1" : "+d"(old), "+Q"(console_lock) : "d"(1) : "cc", "memory");
	} while (old != 0);
}

static void unlock(void)
{
	asm volatile("" ::: "memory");
	console_lock = 0;
}

static int service_call(uint32_t command)
{
	int cc;

	sclp_busy = 1;
	asm volatile(".insn rre,0xb2200000,%1,%2\n\tipm %0\n\tsrl %0,28"
		     : "=&d"(cc) : "d"(command), "a"(&sccb) : "cc", "memory");
	if (cc != 0) {
		sclp_busy = 0;
		return -1;
	}
	enable_ext();
	while (sclp_busy)
		;
	disable_ext();
	return sccb.w.h.response_code == 0x20 ? 0 : -1;
}

static void flush(void)
{
	if (line_len == 0)
		return;
	if (!console_ready) {
		memset(&sccb, 0, sizeof(sccb.m));
		sccb.m.h.length = sizeof(sccb.m);
		sccb.m.mask_length = 4;
		sccb.m.cp_receive_mask = 0x40; /* ASCII console data */
		sccb.m.cp_send_mask = 0x40;
		service_call(SCLP_CMD_WRITE_EVENT_MASK);
		console_ready = 1;
	}
	memset(&sccb, 0, sizeof(sccb.w.h) + sizeof(sccb.w.ebh));
	memcpy(sccb.w.data, line, line_len);
	sccb.w.ebh.length = sizeof(sccb.w.ebh) + line_len;
	sccb.w.ebh.type = EVTYP_ASCII;
	sccb.w.h.length = sizeof(sccb.w.h) + sccb.w.ebh.length;
	service_call(SCLP_CMD_WRITE_EVENT_DATA);
	line_len = 0;
}

static void put_locked(int c)
{
	line[line_len++] = (char)c;
	if (c == '\n' || line_len == sizeof(line))
		flush();
}

void putchar(int c)
{
	lock();
	put_locked(c);
	unlock();
}

void puts(const char *s)
{
	lock();
	while (*s)
		put_locked(*s++);
	put_locked('\n');
	unlock();
}

/* ---- printf: %d %i %u %x %X %c %s %p %%, with l/ll, width, zero padding and '-' ------------ */
static void put_number(uint64_t v, int base, int neg, int width, int zero, int left, int upper)
{
	char buf[24];
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int n = 0, len;

	do {
		buf[n++] = digits[v % base];
		v /= base;
	} while (v);
	len = n;
	if (neg)
		width--;
	if (neg && zero)
		put_locked('-');
	if (!left)
		for (int i = len; i < width; i++)
			put_locked(zero ? '0' : ' ');
	if (neg && !zero)
		put_locked('-');
	while (n)
		put_locked(buf[--n]);
	if (left)
		for (int i = len; i < width; i++)
			put_locked(' ');
}

int printf(const char *fmt, ...)
{
	__builtin_va_list ap;

	__builtin_va_start(ap, fmt);
	lock();
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put_locked(*fmt);
			continue;
		}
		int width = 0, zero = 0, left = 0, lng = 0;
		fmt++;
		if (*fmt == '-') {
			left = 1;
			fmt++;
		}
		if (*fmt == '0') {
			zero = 1;
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l') {
			lng = 1;
			fmt++;
		}
		switch (*fmt) {
		case 'd':
		case 'i': {
			int64_t v = lng ? __builtin_va_arg(ap, long) : __builtin_va_arg(ap, int);
			put_number(v < 0 ? -(uint64_t)v : (uint64_t)v, 10, v < 0, width, zero, left, 0);
			break;
		}
		case 'u':
			put_number(lng ? __builtin_va_arg(ap, unsigned long) : __builtin_va_arg(ap, unsigned int),
				   10, 0, width, zero, left, 0);
			break;
		case 'x':
		case 'X':
			put_number(lng ? __builtin_va_arg(ap, unsigned long) : __builtin_va_arg(ap, unsigned int),
				   16, 0, width, zero, left, *fmt == 'X');
			break;
		case 'p':
			put_locked('0');
			put_locked('x');
			put_number((uint64_t)__builtin_va_arg(ap, void *), 16, 0, width, zero, left, 0);
			break;
		case 'c':
			put_locked(__builtin_va_arg(ap, int));
			break;
		case 's': {
			const char *s = __builtin_va_arg(ap, const char *);
			int n = strlen(s);
			if (!left)
				for (int i = n; i < width; i++)
					put_locked(' ');
			while (*s)
				put_locked(*s++);
			if (left)
				for (int i = n; i < width; i++)
					put_locked(' ');
			break;
		}
		case '%':
			put_locked('%');
			break;
		default:
			put_locked('?');
			break;
		}
	}
	unlock();
	__builtin_va_end(ap);
	return 0;
}

/* ---- exit: a disabled wait; IA 0xfff means success (QEMU's convention), 0xbad0000|code failure -- */
void exit(int code)
{
	static struct { uint64_t mask, addr; } psw __attribute__((aligned(16)));

	lock();
	flush();
	unlock();
	psw.mask = 0x0002000180000000UL;
	psw.addr = code == 0 ? 0xfff : 0xbad0000UL | (code & 0xffff);
	asm volatile("lpswe %0" :: "Q"(psw) : "memory");
	__builtin_unreachable();
}

/* ---- interruption handlers called from start.S -------------------------------------------- */
void (*volatile ext_hook)(uint16_t code, uint32_t param);
void (*volatile pgm_hook)(uint16_t code, uint16_t ilc);
static volatile int ext_seen;

void ext_interrupt(void)
{
	uint16_t code = lc16(LC_EXT_CODE);

	if (code == EXT_SERVICE_SIGNAL)
		sclp_busy = 0;
	else if (ext_hook)
		ext_hook(code, lc32(LC_EXT_PARAM));
	ext_seen = 1;
	/* An interruption out of an enabled wait stores the wait PSW: resume running, not waiting. */
	*(volatile uint64_t *)0x130 &= ~0x0002000000000000UL;
}

void pgm_interrupt(void)
{
	uint16_t code = lc16(LC_PGM_CODE);
	uint16_t ilc = lc16(LC_PGM_ILC);

	if (pgm_hook) {
		pgm_hook(code, ilc);
		return;
	}
	printf("unexpected program interruption 0x%x at 0x%lx\n", code, lc64(LC_PGM_OLD_PSW + 8));
	exit(0x100 | code);
}

void svc_interrupt(void)
{
}

void wait_for_ext(void)
{
	static struct { uint64_t mask, addr; } psw __attribute__((aligned(16)));

	ext_seen = 0;
	psw.mask = 0x0102000180000000UL; /* EXT + wait, 64-bit */
	asm volatile("larl %%r1,0f\n\tstg %%r1,%0\n\tlpswe %1\n0:"
		     : "=Q"(psw.addr) : "Q"(psw) : "r1", "memory");
	disable_ext();
}

/* ---- string and memory functions -------------------------------------------------------- */
void *memcpy(void *d, const void *s, size_t n)
{
	char *dp = d;
	const char *sp = s;
	while (n--)
		*dp++ = *sp++;
	return d;
}

void *memmove(void *d, const void *s, size_t n)
{
	char *dp = d;
	const char *sp = s;
	if (dp < sp) {
		while (n--)
			*dp++ = *sp++;
	} else {
		while (n--)
			dp[n] = sp[n];
	}
	return d;
}

void *memset(void *d, int c, size_t n)
{
	char *dp = d;
	while (n--)
		*dp++ = (char)c;
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x < *y ? -1 : 1;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

char *strcpy(char *d, const char *s)
{
	char *r = d;
	while ((*d++ = *s++))
		;
	return r;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return 0;
	}
}

/* Weak default for guests that start no second CPU. */
__attribute__((weak)) void secondary_main(int cpu)
{
	(void)cpu;
}
