/* Minimal freestanding library of the test guests: SCLP console, printf, string functions, exit. */
#ifndef GUEST_LIB_H
#define GUEST_LIB_H

typedef unsigned long size_t;
typedef unsigned long uint64_t;
typedef long int64_t;
typedef unsigned int uint32_t;
typedef int int32_t;
typedef unsigned short uint16_t;
typedef unsigned char uint8_t;

void puts(const char *s);
void putchar(int c);
int printf(const char *fmt, ...);
void exit(int code) __attribute__((noreturn));

void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
char *strcpy(char *d, const char *s);
char *strchr(const char *s, int c);

/* Interruption hooks (called from start.S with the interruption's lowcore fields). */
extern volatile int sclp_busy;
extern void (*volatile ext_hook)(uint16_t code, uint32_t param);
extern void (*volatile pgm_hook)(uint16_t code, uint16_t ilc);

#define LC_EXT_PARAM    0x80
#define LC_CPU_ADDR     0x84
#define LC_EXT_CODE     0x86
#define LC_PGM_ILC      0x8c
#define LC_PGM_CODE     0x8e
#define LC_PGM_OLD_PSW  0x150

static inline uint64_t lc64(unsigned long off) { return *(volatile uint64_t *)off; }
static inline uint16_t lc16(unsigned long off) { return *(volatile uint16_t *)off; }
static inline uint32_t lc32(unsigned long off) { return *(volatile uint32_t *)off; }

static inline void enable_ext(void) { asm volatile("stosm 0x200,0x01" ::: "memory"); }
static inline void disable_ext(void) { asm volatile("stnsm 0x200,0xfe" ::: "memory"); }

static inline uint64_t stctg0(void)
{
	uint64_t v;
	asm volatile("stctg %%c0,%%c0,%0" : "=Q"(v));
	return v;
}

static inline void lctlg0(uint64_t v)
{
	asm volatile("lctlg %%c0,%%c0,%0" :: "Q"(v) : "memory");
}

static inline uint16_t stap(void)
{
	uint16_t a;
	asm volatile("stap %0" : "=Q"(a));
	return a;
}

/* Waits in an enabled wait (EXT only) until an external interruption has been taken. */
void wait_for_ext(void);

#endif
