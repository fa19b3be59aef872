#include "lib.h"

static long fib(int n)
{
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static long ackermann(long m, long n)
{
	if (m == 0)
		return n + 1;
	if (n == 0)
		return ackermann(m - 1, 1);
	return ackermann(m - 1, ackermann(m, n - 1));
}

static int moves;

static void hanoi(int n, int from, int to, int via)
{
	if (n == 0)
		return;
	hanoi(n - 1, from, via, to);
	moves++;
	hanoi(n - 1, via, to, from);
}

static long gcd(long a, long b)
{
	return b == 0 ? a : gcd(b, a % b);
}

int main(void)
{
	printf("fib(20) = %ld\n", fib(20));
	printf("fib(30) = %ld\n", fib(30));
	printf("ackermann(2, 3) = %ld\n", ackermann(2, 3));
	printf("ackermann(3, 3) = %ld\n", ackermann(3, 3));
	hanoi(10, 1, 3, 2);
	printf("hanoi(10) = %d moves\n", moves);
	printf("gcd = %ld\n", gcd(1071, 462));
	return 0;
}
