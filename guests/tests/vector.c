#include "lib.h"
#include <vecintrin.h>

typedef short int16_t;

/*
 * The vector facility (129): built with -mhard-float -mzvector -march=z13 (and z14) at -O2 and -O3, so
 * that gcc vectorizes the plain loops below on its own; the string and checksum functions use the
 * vecintrin.h builtins, as glibc's z13 string functions do. Every result is printed, and compared with a
 * scalar reference the compiler may not vectorize.
 */

#define CR0_AFP    (1UL << 18) /* CR0 bit 45 */
#define CR0_VECTOR (1UL << 17) /* CR0 bit 46 */
#define LC_DXC     0x90
#define N 203 /* not a multiple of any vector length: the loops have tails */

/* Hides a value from the optimizer, so that the instructions are emitted rather than folded. */
#define OPAQUE(x) asm volatile("" : "+v"(x))
#define SCALAR __attribute__((noinline, optimize("no-tree-vectorize", "no-tree-slp-vectorize")))

static volatile int last_code, traps;

static void on_pgm(uint16_t code, uint16_t ilc)
{
	last_code = code;
	traps++;
}

static uint32_t fpc_dxc(void)
{
	uint32_t fpc;
	asm volatile("efpc %0" : "=d"(fpc));
	return (fpc >> 8) & 0xff;
}

static void clear_fpc(void)
{
	asm volatile("sfpc %0" :: "d"(0));
}

/* A vector instruction with the vector-enablement control off: data exception, DXC 0xfe. */
static void disabled_vector(void)
{
	uint64_t cr0 = stctg0();
	clear_fpc();
	lctlg0(cr0 & ~CR0_VECTOR);
	traps = 0;
	asm volatile("vgbm %%v16,0xffff" ::: "v16", "memory");
	lctlg0(cr0);
	printf("vector disabled: code 0x%x dxc 0x%x fpc dxc 0x%x traps %d\n", last_code, lc32(LC_DXC),
	       fpc_dxc(), traps);
	/* Compare and trap with AFP on: DXC 0xff in the lowcore and in the FPC. */
	clear_fpc();
	traps = 0;
	asm volatile("cgit %0,0,8" :: "d"(0L) : "memory");
	printf("compare and trap: code 0x%x dxc 0x%x fpc dxc 0x%x traps %d\n", last_code, lc32(LC_DXC),
	       fpc_dxc(), traps);
	clear_fpc();
}

/* FPRs 0-15 are the leftmost halves of VRs 0-15. */
static void overlay(void)
{
	uint64_t hi, lo, f;
	asm volatile("vgbm %%v1,0xf00f\n\t"
		     "lgdr %0,%%f1\n\t"
		     "vlgvg %1,%%v1,1\n\t"
		     "lghi %%r1,0x1234\n\t"
		     "ldgr %%f1,%%r1\n\t"
		     "vlgvg %2,%%v1,0"
		     : "=&d"(hi), "=&d"(lo), "=&d"(f) :: "r1", "v1");
	printf("overlay %lx %lx %lx\n", hi, lo, f);
}

/* ---- loops gcc vectorizes ---------------------------------------------------------------------- */

static int32_t ia[N], ib[N], ir[N];
static uint32_t ua[N];
static int16_t ha[N], hb[N], hr[N];
static uint8_t ba[N], bb[N], br[N];
static int64_t la[N], lr_[N];

static uint64_t mix(uint64_t h, uint64_t v)
{
	/* no multiply: at z14 gcc would use MSGRKC, which is not this guest's subject */
	h = ((h << 7) | (h >> 57)) + v;
	return h ^ (h >> 29);
}

static uint64_t hash32(const void *p, int n)
{
	const uint32_t *q = p;
	uint64_t h = 0xcbf29ce484222325UL;
	for (int i = 0; i < n; i++)
		h = mix(h, q[i]);
	return h;
}

static uint64_t hash16(const void *p, int n)
{
	const uint16_t *q = p;
	uint64_t h = 0xcbf29ce484222325UL;
	for (int i = 0; i < n; i++)
		h = mix(h, q[i]);
	return h;
}

static uint64_t hash8(const void *p, int n)
{
	const uint8_t *q = p;
	uint64_t h = 0xcbf29ce484222325UL;
	for (int i = 0; i < n; i++)
		h = mix(h, q[i]);
	return h;
}

static uint64_t hash64(const void *p, int n)
{
	const uint64_t *q = p;
	uint64_t h = 0xcbf29ce484222325UL;
	for (int i = 0; i < n; i++)
		h = mix(h, q[i]);
	return h;
}

static void init(void)
{
	uint32_t x = 12345;
	for (int i = 0; i < N; i++) {
		x = x * 1103515245 + 12345;
		ia[i] = (int32_t)x >> 7;
		ib[i] = (int32_t)(x << 3) >> 11;
		ua[i] = x ^ (x >> 13);
		ha[i] = (int16_t)(x >> 9);
		hb[i] = (int16_t)(x >> 3);
		ba[i] = (uint8_t)(x >> 17);
		bb[i] = (uint8_t)(x >> 5);
		la[i] = ((int64_t)ia[i] << 20) ^ ua[i];
	}
}

/* Each kernel twice: as gcc vectorizes it, and the scalar reference. */
#define KERNEL(name, body)                                                                       \
	static void name(void) body                                                              \
	static SCALAR void name##_ref(void) body

KERNEL(k_add, { for (int i = 0; i < N; i++) ir[i] = ia[i] + ib[i] * 3 - (ia[i] >> 2); })
KERNEL(k_mul, { for (int i = 0; i < N; i++) ir[i] = ia[i] * ib[i]; })
KERNEL(k_minmax, { for (int i = 0; i < N; i++) ir[i] = (ia[i] < ib[i] ? ia[i] : ib[i]) + (ua[i] > 1000u ? ua[i] : 7u); })
KERNEL(k_select, { for (int i = 0; i < N; i++) ir[i] = ia[i] > ib[i] ? ia[i] - ib[i] : ib[i] ^ 0x55; })
KERNEL(k_abs, { for (int i = 0; i < N; i++) ir[i] = (ia[i] < 0 ? -ia[i] : ia[i]) - ib[i]; })
KERNEL(k_shift, { for (int i = 0; i < N; i++) ir[i] = (ia[i] << (i & 7)) ^ (int32_t)(ua[i] >> 5) ^ (ib[i] >> 3); })
KERNEL(k_widen, { for (int i = 0; i < N; i++) ir[i] = (int32_t)ha[i] * hb[i] + ba[i]; })
KERNEL(k_narrow, { for (int i = 0; i < N; i++) hr[i] = (int16_t)(ia[i] >> 4) + (int16_t)ib[i]; })
KERNEL(k_bytes, { for (int i = 0; i < N; i++) br[i] = (ba[i] ^ bb[i]) + (ba[i] & 0x0f) - (bb[i] | 1); })
KERNEL(k_avg, { for (int i = 0; i < N; i++) br[i] = (ba[i] + bb[i] + 1) >> 1; })
KERNEL(k_half, { for (int i = 0; i < N; i++) hr[i] = ha[i] > hb[i] ? ha[i] : hb[i]; })
KERNEL(k_long, { for (int i = 0; i < N; i++) lr_[i] = la[i] * 3 + (la[i] >> 7) - ia[i]; })
KERNEL(k_mulhi, { for (int i = 0; i < N; i++) ir[i] = (int32_t)(((int64_t)ia[i] * ib[i]) >> 32); })
KERNEL(k_popcnt, { for (int i = 0; i < N; i++) ir[i] = __builtin_popcount(ua[i]) + (ua[i] ? __builtin_clz(ua[i]) : 0); })
KERNEL(k_neg, { for (int i = 0; i < N; i++) ir[i] = -ia[i] + ~ib[i]; })

static int64_t reduce_sum(void)
{
	int64_t s = 0;
	for (int i = 0; i < N; i++)
		s += ia[i];
	return s;
}

static SCALAR int64_t reduce_sum_ref(void)
{
	int64_t s = 0;
	for (int i = 0; i < N; i++)
		s += ia[i];
	return s;
}

static uint32_t reduce_xor(void)
{
	uint32_t s = 0;
	for (int i = 0; i < N; i++)
		s ^= ua[i] + (uint32_t)i;
	return s;
}

static SCALAR uint32_t reduce_xor_ref(void)
{
	uint32_t s = 0;
	for (int i = 0; i < N; i++)
		s ^= ua[i] + (uint32_t)i;
	return s;
}

static int32_t reduce_max(void)
{
	int32_t m = ia[0];
	for (int i = 0; i < N; i++)
		m = ia[i] > m ? ia[i] : m;
	return m;
}

static SCALAR int32_t reduce_max_ref(void)
{
	int32_t m = ia[0];
	for (int i = 0; i < N; i++)
		m = ia[i] > m ? ia[i] : m;
	return m;
}

static void check(const char *name, uint64_t got, uint64_t want)
{
	printf("%s %lx %s\n", name, got, got == want ? "ok" : "WRONG");
}

#define RUN32(k)                                  \
	do {                                      \
		k();                              \
		uint64_t g = hash32(ir, N);       \
		k##_ref();                        \
		check(#k, g, hash32(ir, N));      \
	} while (0)
#define RUN16(k)                                  \
	do {                                      \
		k();                              \
		uint64_t g = hash16(hr, N);       \
		k##_ref();                        \
		check(#k, g, hash16(hr, N));      \
	} while (0)
#define RUN8(k)                                   \
	do {                                      \
		k();                              \
		uint64_t g = hash8(br, N);        \
		k##_ref();                        \
		check(#k, g, hash8(br, N));       \
	} while (0)

static void loops(void)
{
	init();
	RUN32(k_add);
	RUN32(k_mul);
	RUN32(k_minmax);
	RUN32(k_select);
	RUN32(k_abs);
	RUN32(k_shift);
	RUN32(k_widen);
	RUN16(k_narrow);
	RUN8(k_bytes);
	RUN8(k_avg);
	RUN16(k_half);
	k_long();
	uint64_t g = hash64(lr_, N);
	k_long_ref();
	check("k_long", g, hash64(lr_, N));
	RUN32(k_mulhi);
	RUN32(k_popcnt);
	RUN32(k_neg);
	check("sum", reduce_sum(), reduce_sum_ref());
	check("xor", reduce_xor(), reduce_xor_ref());
	check("max", reduce_max(), reduce_max_ref());
}

/* ---- string functions with the vector string instructions ------------------------------------- */

/* strlen as glibc's z13 variant: load up to the block boundary, find the first zero. */
static size_t vstrlen(const char *s)
{
	size_t n = 0;
	for (;;) {
		int len = __lcbb(s + n, 64);
		vector unsigned char v = vec_load_bndry((const unsigned char *)s + n, 64);
		int idx = vec_extract(vec_cmpeq_idx(v, vec_splats((unsigned char)0)), 7);
		if (idx < len)
			return n + idx;
		n += len;
	}
}

static SCALAR size_t strlen_ref(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

/* Index of the first byte of s that is one of the (up to 16) bytes of set. */
static int vstrpbrk(const char *s, const char *set)
{
	vector unsigned char chars = vec_splats((unsigned char)0);
	int k = 0;
	for (; set[k] && k < 16; k++)
		chars = vec_insert((unsigned char)set[k], chars, k);
	for (; k < 16; k++)
		chars = vec_insert((unsigned char)set[0], chars, k);
	int n = 0;
	for (;;) {
		vector unsigned char v = vec_load_len((const unsigned char *)s + n, 15);
		int cc;
		vector unsigned char r = vec_find_any_eq_or_0_idx_cc(v, chars, &cc);
		int idx = vec_extract(r, 7);
		if (idx < 16)
			return s[n + idx] ? n + idx : -1;
		n += 16;
	}
}

static SCALAR int strpbrk_ref(const char *s, const char *set)
{
	for (int i = 0; s[i]; i++)
		for (int j = 0; set[j]; j++)
			if (s[i] == set[j])
				return i;
	return -1;
}

/* strcmp on 16-byte blocks: VFENE with the zero search finds the first difference or end. */
static int vstrcmp(const char *a, const char *b)
{
	int n = 0;
	for (;;) {
		vector unsigned char va = vec_load_len((const unsigned char *)a + n, 15);
		vector unsigned char vb = vec_load_len((const unsigned char *)b + n, 15);
		int cc;
		vector unsigned char r = vec_cmpne_or_0_idx_cc(va, vb, &cc);
		int idx = vec_extract(r, 7);
		if (idx < 16) {
			int d = (unsigned char)a[n + idx] - (unsigned char)b[n + idx];
			return d < 0 ? -1 : d > 0;
		}
		n += 16;
	}
}

static SCALAR int strcmp_ref(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	int d = (unsigned char)*a - (unsigned char)*b;
	return d < 0 ? -1 : d > 0;
}

/* Index of the first byte in the range 'a'..'z' (VSTRC with a range pair), or 16. */
static int first_lower(const char *str)
{
	static char s[16];
	memset(s, 0, sizeof(s));
	strcpy(s, str);
	vector unsigned char v = vec_load_len((const unsigned char *)s, 15);
	vector unsigned char range = { 'a', 'z', 'a', 'z', 'a', 'z', 'a', 'z', 'a', 'z', 'a', 'z', 'a', 'z', 'a', 'z' };
	vector unsigned char flags = { 0xa0, 0xc0, 0xa0, 0xc0, 0xa0, 0xc0, 0xa0, 0xc0,
				       0xa0, 0xc0, 0xa0, 0xc0, 0xa0, 0xc0, 0xa0, 0xc0 }; /* >= and <= */
	return vec_extract(vec_cmprg_idx(v, range, flags), 7);
}

static void strings(void)
{
	static const char *words[] = { "", "a", "vector", "exactly fifteen", "exactly sixteen!",
				       "a somewhat longer string that crosses several blocks" };
	static char buf[64] __attribute__((aligned(16)));
	for (unsigned i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		/* at every offset of a block, so that block boundaries fall everywhere */
		int bad = 0;
		for (int off = 0; off < 16; off++) {
			strcpy(buf + off, words[i]);
			bad += vstrlen(buf + off) != strlen_ref(buf + off);
		}
		printf("strlen %lu %s\n", vstrlen(words[i]), bad ? "WRONG" : "ok");
	}
	const char *text = "the quick brown fox jumps over the lazy dog";
	printf("strpbrk %d %d %d %d\n", vstrpbrk(text, "xyz"), vstrpbrk(text, "q"), vstrpbrk(text, "Q!"),
	       vstrpbrk("", "a"));
	printf("strpbrk ref %d %d %d %d\n", strpbrk_ref(text, "xyz"), strpbrk_ref(text, "q"),
	       strpbrk_ref(text, "Q!"), strpbrk_ref("", "a"));
	printf("strcmp %d %d %d %d\n", vstrcmp(text, text), vstrcmp("abc", "abd"), vstrcmp(text, "the quick brown fox jumps"),
	       vstrcmp("", "x"));
	printf("strcmp ref %d %d %d %d\n", strcmp_ref(text, text), strcmp_ref("abc", "abd"),
	       strcmp_ref(text, "the quick brown fox jumps"), strcmp_ref("", "x"));
	printf("first lower %d %d %d\n", first_lower("ABCdef"), first_lower("NONE"), first_lower("Z{a"));
	/* VISTR: copy up to the first zero element */
	vector unsigned char v = { 'h', 'i', '!', 0, 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x' };
	int cc;
	OPAQUE(v);
	vector unsigned char z = vec_cp_until_zero_cc(v, &cc);
	vector unsigned long long zl = (vector unsigned long long)z;
	printf("vistr %lx %lx cc %d\n", zl[0], zl[1], cc);
}

/* ---- checksums, permutes, bit operations -------------------------------------------------------- */


static void misc(void)
{
	static const uint32_t words[8] = { 0xffffffff, 1, 0x80000000, 0x12345678, 0x9abcdef0, 7, 0, 0xfffffffe };
	vector unsigned int a = vec_xl(0, words);
	vector unsigned int b = vec_xl(16, words);
	OPAQUE(a);
	OPAQUE(b);
	vector unsigned int ck = vec_checksum(a, vec_checksum(b, vec_splats(0u)));
	uint64_t sum = 0;
	for (int i = 0; i < 8; i++) {
		sum += words[i];
		sum = (sum & 0xffffffff) + (sum >> 32); /* the end-around carry */
	}
	/* QEMU 7.2 TCG gets this one wrong (it prints WRONG there) */
	check("cksm", vec_extract(ck, 1), sum);
	vector unsigned long long ga = { 0x87, 0x1234567890abcdefUL };
	vector unsigned long long gb = { 0xffffffffffffffffUL, 0x5555 };
	OPAQUE(ga);
	OPAQUE(gb);
	vector unsigned char g = vec_gfmsum_128(ga, gb);
	vector unsigned long long gl = (vector unsigned long long)g;
	printf("gfm %lx %lx\n", gl[0], gl[1]);
	vector unsigned char p0 = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };
	vector unsigned char p1 = { 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31 };
	vector unsigned char sel = { 31, 0, 30, 1, 29, 2, 28, 3, 16, 15, 17, 14, 18, 13, 19, 12 };
	OPAQUE(p0);
	OPAQUE(p1);
	OPAQUE(sel);
	vector unsigned long long pl = (vector unsigned long long)vec_perm(p0, p1, sel);
	printf("perm %lx %lx\n", pl[0], pl[1]);
	vector unsigned long long s0 = (vector unsigned long long)vec_sll(p0, vec_splats((unsigned char)3));
	vector unsigned long long s1 = (vector unsigned long long)vec_sral(vec_perm(p1, p0, sel), vec_splats((unsigned char)5));
	vector unsigned long long s2 = (vector unsigned long long)vec_slb(p0, vec_splats((unsigned char)(5 << 3)));
	vector unsigned long long s3 = (vector unsigned long long)vec_sld(p0, p1, 3);
	printf("shift %lx %lx %lx %lx %lx %lx %lx %lx\n", s0[0], s0[1], s1[0], s1[1], s2[0], s2[1], s3[0], s3[1]);
	vector unsigned char bits = vec_genmask(0x0ff0);
	vector unsigned int range = vec_genmasks_32(3, 28);
	vector unsigned long long bl = (vector unsigned long long)bits;
	vector unsigned long long rl = (vector unsigned long long)range;
	printf("masks %lx %lx %lx %lx\n", bl[0], bl[1], rl[0], rl[1]);
	vector unsigned int m1 = vec_mergeh(a, b), m2 = vec_mergel(a, b);
	vector unsigned long long ml = (vector unsigned long long)m1, mr = (vector unsigned long long)m2;
	printf("merge %lx %lx %lx %lx\n", ml[0], ml[1], mr[0], mr[1]);
	vector unsigned long long ws = vec_sum2(a, b);
	vector unsigned int w4 = vec_sum4((vector unsigned char)a, (vector unsigned char)b);
	vector unsigned long long w4l = (vector unsigned long long)w4;
	vector unsigned long long wq = (vector unsigned long long)vec_sum_u128(a, b);
	printf("sum %lx %lx %lx %lx %lx %lx\n", ws[0], ws[1], w4l[0], w4l[1], wq[0], wq[1]);
	vector unsigned long long me = vec_mule(a, b), mo = vec_mulo(a, b);
	vector unsigned int mh = vec_mulh(a, b);
	vector unsigned long long mhl = (vector unsigned long long)mh;
	printf("mul %lx %lx %lx %lx %lx %lx\n", me[0], me[1], mo[0], mo[1], mhl[0], mhl[1]);
	int all, any;
	all = vec_all_eq(a, a);
	any = vec_any_gt(a, b);
	int none = vec_all_lt((vector signed int)a, (vector signed int)b);
	printf("cc %d %d %d\n", all, any, none);
	vector unsigned int cz = vec_cntlz(a), ct = vec_cnttz(a), pc = vec_popcnt(a);
	vector unsigned long long czl = (vector unsigned long long)cz, ctl = (vector unsigned long long)ct,
				  pcl = (vector unsigned long long)pc;
	printf("count %lx %lx %lx %lx %lx %lx\n", czl[0], czl[1], ctl[0], ctl[1], pcl[0], pcl[1]);
	vector unsigned long long pd = vec_permi((vector unsigned long long)a, (vector unsigned long long)b, 1);
	printf("permi %lx %lx\n", pd[0], pd[1]);
	vector unsigned short pk = vec_pack(a, b);
	vector unsigned short pks = vec_packs(a, b);
	vector unsigned long long pkl = (vector unsigned long long)pk, pksl = (vector unsigned long long)pks;
	printf("pack %lx %lx %lx %lx\n", pkl[0], pkl[1], pksl[0], pksl[1]);
	vector unsigned int rl3 = vec_rli(a, 9);
	vector unsigned int rv = vec_rl(a, b);
	vector unsigned long long rl3l = (vector unsigned long long)rl3, rvl = (vector unsigned long long)rv;
	printf("rotate %lx %lx %lx %lx\n", rl3l[0], rl3l[1], rvl[0], rvl[1]);
	vector unsigned long long q1 = (vector unsigned long long)vec_add_u128((vector unsigned char)a, (vector unsigned char)b);
	vector unsigned long long q2 = (vector unsigned long long)vec_sub_u128((vector unsigned char)a, (vector unsigned char)b);
	printf("u128 %lx %lx %lx %lx\n", q1[0], q1[1], q2[0], q2[1]);
	static uint8_t out[20];
	memset(out, 0, sizeof(out));
	vec_store_len((vector unsigned char)b, out + 1, 6);
	printf("vstl %x %x %x %x\n", out[0], out[1], out[7], out[8]);
}

int main(void)
{
	pgm_hook = on_pgm;
	lctlg0(stctg0() | CR0_VECTOR);
	disabled_vector();
	overlay();
	loops();
	strings();
	misc();
	return 0;
}
