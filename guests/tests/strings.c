#include "lib.h"

static char buf[64];
static char other[64];

int main(void)
{
	const char *hello = "The quick brown fox";

	printf("strlen %lu\n", strlen(hello));
	strcpy(buf, hello);
	printf("strcpy [%s] cmp %d\n", buf, strcmp(buf, hello));
	printf("strcmp %d %d %d\n", strcmp("abc", "abd") < 0, strcmp("abd", "abc") > 0, strcmp("", ""));
	printf("strchr %s|%d\n", strchr(hello, 'b'), strchr(hello, 'z') == 0);
	memset(other, 'x', 10);
	other[10] = 0;
	printf("memset %s\n", other);
	memcpy(other, hello + 4, 5);
	printf("memcpy %s\n", other);
	memmove(buf + 2, buf, 9);
	buf[11] = 0;
	printf("memmove up %s\n", buf);
	strcpy(buf, "0123456789");
	memmove(buf, buf + 3, 7);
	printf("memmove down %s\n", buf);
	printf("memcmp %d %d %d\n", memcmp("abcd", "abcd", 4), memcmp("abcd", "abce", 4) < 0,
	       memcmp("b", "a", 1) > 0);
	/* Structure copies and clears: the compiler emits MVC and XC for these at -O2. */
	struct pair { long a, b, c; char name[21]; } p = { 1, 2, 3, "structure copy" }, q;
	q = p;
	printf("struct %ld %ld %ld %s\n", q.a, q.b, q.c, q.name);
	__builtin_memset(&q, 0, sizeof(q));
	printf("cleared %ld %d\n", q.a + q.b + q.c, q.name[0]);
	int count = 0;
	for (const char *s = hello; *s; s++)
		count += (*s == 'o');
	printf("count o %d\n", count);
	char rev[32];
	int n = strlen(hello);
	for (int i = 0; i < n; i++)
		rev[i] = hello[n - 1 - i];
	rev[n] = 0;
	printf("reverse %s\n", rev);
	return 0;
}
