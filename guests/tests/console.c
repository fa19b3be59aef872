#include "lib.h"
#include "sclpcall.h"

/*
 * Console input: enable ASCII console data in the receive mask, then READ EVENT DATA until a whole
 * line has come. With nothing to read the program waits, enabled, for the service signal whose
 * parameter has the event-pending bit (the SCLP's attention when a key is typed): no spinning. A
 * command's own service signal may carry that bit too (input came while it ran): then read again.
 */
static union {
	struct {
		struct sccb_hdr h;
		uint16_t reserved;
		uint16_t mask_length;
		uint32_t cp_receive_mask, cp_send_mask, send_mask, receive_mask;
	} __attribute__((packed)) mask;
	struct sccb_read_event read;
	char raw[4096];
} sccb __attribute__((aligned(4096)));

static char line[512];

int main(void)
{
	int n = 0, wakeups = 0, pending = 0;

	memset(&sccb, 0, sizeof(sccb.mask));
	sccb.mask.h.length = sizeof(sccb.mask);
	sccb.mask.mask_length = 4;
	sccb.mask.cp_receive_mask = SCLP_MASK_ASCII;
	sccb.mask.cp_send_mask = SCLP_MASK_ASCII;
	if (sclp_call(SCLP_CMD_WRITE_EVENT_MASK, &sccb) != 0x20)
		return 1;
	printf("sclp sends ascii console data: %d\n", (sccb.mask.send_mask & SCLP_MASK_ASCII) != 0);
	printf("type a line\n");
	for (;;) {
		int rc, len = sclp_read_console(&sccb.read, line + n, sizeof(line) - 1 - n, &rc);
		if (rc == SCLP_RC_NORMAL_COMPLETION) {
			if (len < 0 || n + len >= (int)sizeof(line) - 1) {
				printf("bad event buffer: type 0x%x length %d\n", sccb.read.type, sccb.read.length);
				return 2;
			}
			n += len;
			line[n] = 0;
			if (strchr(line, '\n'))
				break;
			continue;
		}
		if (rc != SCLP_RC_NO_EVENT_BUFFERS) {
			printf("read event data: response 0x%x\n", rc);
			return 3;
		}
		/* Input came while the command ran: its service signal says so (the event-pending bit). */
		if (sclp_param & 1)
			continue;
		/* Nothing typed yet: wait for the attention (EXT enabled, service-signal subclass on). */
		wait_for_ext();
		wakeups++;
		pending += lc32(LC_EXT_PARAM) & 1;
	}
	printf("read %d bytes: %s", n, line);
	printf("every wake-up had the event-pending bit: %d\n", pending == wakeups);
	return 0;
}
