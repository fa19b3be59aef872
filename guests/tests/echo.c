#include "sclpcall.h"

/*
 * Console input: reads the SCLP console's ASCII events (READ EVENT DATA) and echoes each line.
 * "exit N" prints the public test suite's EXIT: STATUS=N line and shuts down; "quit" just shuts down.
 */

static struct sccb_read_event rsccb;

int main(void)
{
	char line[100];

	printf("echo: ready\n");
	for (;;) {
		int len = sclp_read_line(&rsccb, line, sizeof(line));
		if (len == -1) {
			printf("echo: READ EVENT DATA refused\n");
			return 1;
		}
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
