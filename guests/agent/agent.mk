# The in-guest agent of `pvsim secret add/list/lock` and `pvsim attest perform` (included by
# guests/Makefile after tests/tests.mk, whose start-up code, library and link script it shares). Shipped
# as a resource of the command line, not as a test guest: $(OUT)/agent/agent.bin, flat, linked at 0.
AGENT_DIR := $(dir $(lastword $(MAKEFILE_LIST)))

all: $(OUT)/agent/agent.bin

$(BUILD)/agent/agent.elf: $(AGENT_DIR)agent.c $(TESTS_DIR)start.S $(TESTS_DIR)lib.c $(TESTS_DIR)lib.h \
		$(TESTS_DIR)sclpcall.h $(TESTS_DIR)guest.ld
	@mkdir -p $(dir $@)
	$(TESTS_CC) $(TESTS_CFLAGS) -ffile-prefix-map=$(abspath $(AGENT_DIR))=. -I$(TESTS_DIR) -O2 \
		-Wl,-T,$(TESTS_DIR)guest.ld -Wl,--build-id=none -Wl,--no-warn-rwx-segments -Wa,--noexecstack \
		-o $@ $(TESTS_DIR)start.S $(TESTS_DIR)lib.c $(AGENT_DIR)agent.c

$(OUT)/agent/agent.bin: $(BUILD)/agent/agent.elf
	@mkdir -p $(dir $@)
	$(TESTS_OBJCOPY) -O binary $< $@
