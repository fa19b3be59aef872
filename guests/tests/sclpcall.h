/* SERVC for the test guests that issue their own SCLP commands (console input, READ SCP INFO). */
#ifndef GUEST_SCLPCALL_H
#define GUEST_SCLPCALL_H

#include "lib.h"

#define SCLP_CMD_READ_SCP_INFO    0x00020001
#define SCLP_CMD_READ_EVENT_DATA  0x00770005
#define SCLP_CMD_WRITE_EVENT_MASK 0x00780005
#define SCLP_MASK_ASCII           0x40

struct sccb_hdr {
	uint16_t length;
	uint8_t function_code;
	uint8_t control_mask[3];
	uint16_t response_code;
} __attribute__((packed));

/* The parameter of the service signal that ended the last sclp_call (bit 31: an event waits). */
static volatile uint32_t sclp_param;

/*
 * Issues one command and waits for its service signal in an enabled wait (the library's external
 * handler clears sclp_busy on code 0x2401). Returns the response code, or -1 if SERVC did not take it.
 */
static inline int sclp_call(uint32_t command, void *sccb)
{
	int cc;

	sclp_busy = 1;
	asm volatile(".insn rre,0xb2200000,%1,%2\n\tipm %0\n\tsrl %0,28"
		     : "=&d"(cc) : "d"(command), "a"(sccb) : "cc", "memory");
	if (cc != 0) {
		sclp_busy = 0;
		return -1;
	}
	while (sclp_busy)
		wait_for_ext();
	sclp_param = lc32(LC_EXT_PARAM);
	return ((volatile struct sccb_hdr *)sccb)->response_code;
}

/* READ EVENT DATA's page: the header, one event buffer, its data. */
struct sccb_read_event {
	struct sccb_hdr h;
	uint16_t length;
	uint8_t type, flags;
	uint16_t reserved;
	char data[4096 - 14];
} __attribute__((packed, aligned(4096)));

#define SCLP_RC_NORMAL_COMPLETION     0x0020
#define SCLP_RC_NO_EVENT_BUFFERS      0x60f0
#define SCLP_EVTYP_ASCII              0x1a

/*
 * One READ EVENT DATA into *sccb; *rc gets the response code (-1: SERVC refused). Returns the bytes
 * of console input copied to buf (at most max), 0 if no event was stored, -1 if the buffer is not ASCII
 * console data. After the event buffer header comes the VT220 session byte, 0x00 "typed data follows",
 * which Linux's sclp_vt220 skips as this does.
 */
static inline int sclp_read_console(struct sccb_read_event *sccb, char *buf, int max, int *rc)
{
	int len;

	memset(sccb, 0, 16);
	sccb->h.length = sizeof(*sccb);
	*rc = sclp_call(SCLP_CMD_READ_EVENT_DATA, sccb);
	if (*rc != SCLP_RC_NORMAL_COMPLETION)
		return 0;
	len = sccb->length - 6 - 1;
	if (sccb->type != SCLP_EVTYP_ASCII || len < 0 || sccb->data[0] != 0)
		return -1;
	if (len > max)
		len = max;
	memcpy(buf, sccb->data + 1, len);
	return len;
}

/*
 * The next line of console input (without its '\n'; '\r' dropped) into line, NUL-terminated: its length,
 * -1 if the SCLP refused READ EVENT DATA, -2 if the line did not fit in max - 1 bytes (the rest of it is
 * skipped). With no input pending it sleeps in an enabled wait until the attention that announces
 * the next input (a service signal with the event-pending bit, which KVM delivers to a protected guest
 * too), as Linux's SCLP driver waits for it; input that came while READ EVENT DATA ran is announced in
 * that command's own service signal.
 */
static inline int sclp_read_line(struct sccb_read_event *sccb, char *line, int max)
{
	static char buf[4096];
	static int have, used;
	int len = 0, overlong = 0, rc;

	for (;;) {
		while (used < have) {
			char c = buf[used++];
			if (c == '\r')
				continue;
			if (c == '\n') {
				line[len] = 0;
				return overlong ? -2 : len;
			}
			if (len < max - 1)
				line[len++] = c;
			else
				overlong = 1;
		}
		have = sclp_read_console(sccb, buf, sizeof(buf), &rc);
		used = 0;
		if (rc < 0)
			return -1;
		if (have < 0)
			have = 0;
		if (have == 0 && rc == SCLP_RC_NO_EVENT_BUFFERS && !(sclp_param & 1))
			wait_for_ext();
	}
}

#endif
