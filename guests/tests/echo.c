#include "sclpcall.h"

/*
 * Console input: reads the SCLP console's ASCII events (READ EVENT DATA) and echoes each line.
 * "exit N" prints the public test suite's EXIT: STATUS=N line and shuts down; "quit" just shuts down.
 * With no input pending it asks again (a protected guest sees no unsolicited service signal before
 * its next SCLP call, so waiting for one would wait for ever).
 */

static struct sccb_read_event rsccb;

/* Bytes of console input into buf (at most max), 0 if none is pending, -1 if the SCLP refused. */
static int read_input(char *buf, int max)
{
	int rc, n = sclp_read_console(&rsccb, buf, max, &rc);

	return rc < 0 ? -1 : n < 0 ? 0 : n;
}

int main(void)
{
	char line[100], buf[64];
	int len = 0;

	printf("echo: ready\n");
	for (;;) {
		int n = read_input(buf, sizeof(buf));
		if (n < 0) {
			printf("echo: READ EVENT DATA refused\n");
			return 1;
		}
		for (int i = 0; i < n; i++) {
			char c = buf[i];
			if (c == '\r')
				continue;
			if (c != '\n') {
				if (len < (int)sizeof(line) - 1)
					line[len++] = c;
				continue;
			}
			line[len] = 0;
			len = 0;
			if (strcmp(line, "quit") == 0)
				return 0;
			if (line[0] == 'e' && line[1] == 'x' && line[2] == 'i' && line[3] == 't' && line[4] == ' ') {
				int status = 0;
				for (char *p = line + 5; *p >= '0' && *p <= '9'; p++)
					status = status * 10 + (*p - '0');
				printf("EXIT: STATUS=%d\n", status);
				return 0;
			}
			printf("echo: %s\n", line);
		}
	}
}
