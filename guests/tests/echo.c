#include "sclpcall.h"

/*
 * Console input: reads the SCLP console's ASCII events (READ EVENT DATA) and echoes each line.
 * "exit N" prints the public test suite's EXIT: STATUS=N line and shuts down; "quit" just shuts down.
 * With no input pending it asks again (a protected guest sees no unsolicited service signal before
 * its next SCLP call, so waiting for one would wait for ever).
 */
#define EVTYP_ASCII 0x1a
#define RC_NORMAL_READ 0x0010

static struct {
	uint16_t length;
	uint8_t function_code;
	uint8_t control_mask[3];
	uint16_t response_code;
	uint16_t event_length;
	uint8_t event_type;
	uint8_t event_flags;
	uint16_t reserved;
	char data[4096 - 14];
} __attribute__((packed)) rsccb __attribute__((aligned(4096)));

/* Bytes of console input into buf (at most max), 0 if none is pending, -1 if the SCLP refused. */
static int read_input(char *buf, int max)
{
	int n, rc;

	memset(&rsccb, 0, 16);
	rsccb.length = sizeof(rsccb);
	rc = sclp_call(SCLP_CMD_READ_EVENT_DATA, &rsccb);
	if (rc < 0)
		return -1;
	/* after the header the VT220 session byte: 0x00, typed data follows */
	if (rc != RC_NORMAL_READ || rsccb.event_type != EVTYP_ASCII || rsccb.event_length < 7 || rsccb.data[0] != 0)
		return 0;
	n = rsccb.event_length - 7;
	if (n > max)
		n = max;
	memcpy(buf, rsccb.data + 1, n);
	return n;
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
