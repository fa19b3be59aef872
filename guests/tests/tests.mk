# Test guests of the CPU model (included by guests/Makefile): freestanding C + start.S, each program at
# -O0, -O2 and -Os, linked at 0 (lowcore with the IPL PSW first) and committed as flat binaries.
TESTS_DIR := $(dir $(lastword $(MAKEFILE_LIST)))
TESTS_PROGRAMS := hello arith strings recursion crc32 pgm timer smp sie pvsie echo sigp
TESTS_LEVELS := O0 O2 Os
TESTS_CC := s390x-linux-gnu-gcc
TESTS_OBJCOPY := s390x-linux-gnu-objcopy
TESTS_CFLAGS := -m64 -march=z13 -msoft-float -ffreestanding -nostdlib -fno-pic -static \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fno-tree-loop-distribute-patterns \
	-fno-ident -Wall -Wextra -Wno-unused-parameter -Wno-array-bounds -ffile-prefix-map=$(abspath $(TESTS_DIR))=.
TESTS_BUILD := $(BUILD)/tests
TESTS_BINS := $(foreach p,$(TESTS_PROGRAMS),$(foreach l,$(TESTS_LEVELS),$(OUT)/tests/$(p)-$(l).bin))

all: $(TESTS_BINS) $(OUT)/tests/hello-O2.elf $(OUT)/tests/loop.bin $(OUT)/tests/loop.elf \
	$(OUT)/tests/crc32bench-O2.bin $(OUT)/tests/crc32bench-O2.elf $(OUT)/tests/crc32-O2.elf

# The CRC-32 guest with 256 rounds instead of 8 (bench/cpu: the difference between the two is pure work)
$(TESTS_BUILD)/crc32bench-O2.elf: $(TESTS_DIR)start.S $(TESTS_DIR)lib.c $(TESTS_DIR)lib.h $(TESTS_DIR)guest.ld \
		$(TESTS_DIR)crc32.c
	@mkdir -p $(dir $@)
	$(TESTS_CC) $(TESTS_CFLAGS) -O2 -DROUNDS=256 -Wl,-T,$(TESTS_DIR)guest.ld \
		-Wl,--build-id=none -Wl,--no-warn-rwx-segments -Wa,--noexecstack -o $@ $(TESTS_DIR)start.S $(TESTS_DIR)lib.c \
		$(TESTS_DIR)crc32.c

$(TESTS_BUILD)/loop.elf: $(TESTS_DIR)loop.S $(TESTS_DIR)guest.ld
	@mkdir -p $(dir $@)
	$(TESTS_CC) $(TESTS_CFLAGS) -Wl,-T,$(TESTS_DIR)guest.ld -Wl,--build-id=none -Wl,--no-warn-rwx-segments \
		-Wa,--noexecstack -o $@ $(TESTS_DIR)loop.S

$(TESTS_BUILD)/%.elf: $(TESTS_DIR)start.S $(TESTS_DIR)lib.c $(TESTS_DIR)lib.h $(TESTS_DIR)guest.ld \
		$$(TESTS_DIR)$$(firstword $$(subst -, ,$$*)).c
	@mkdir -p $(dir $@)
	$(TESTS_CC) $(TESTS_CFLAGS) -$(lastword $(subst -, ,$*)) -Wl,-T,$(TESTS_DIR)guest.ld \
		-Wl,--build-id=none -Wl,--no-warn-rwx-segments -Wa,--noexecstack -o $@ $(TESTS_DIR)start.S $(TESTS_DIR)lib.c \
		$(TESTS_DIR)$(firstword $(subst -, ,$*)).c

# The host programs share their SIE entry.
$(foreach l,$(TESTS_LEVELS),$(TESTS_BUILD)/sie-$(l).elf $(TESTS_BUILD)/pvsie-$(l).elf): $(TESTS_DIR)sie.h

$(OUT)/tests/%.bin: $(TESTS_BUILD)/%.elf
	@mkdir -p $(dir $@)
	$(TESTS_OBJCOPY) -O binary $< $@

# gcc names an object's FILE symbol after its random temporary file: the committed ELFs carry no
# symbols, so that they are reproducible (they exist to test ELF loading, not for debugging).
$(OUT)/tests/%.elf: $(TESTS_BUILD)/%.elf
	@mkdir -p $(dir $@)
	$(TESTS_OBJCOPY) --strip-all $< $@

.SECONDARY:

# The vector facility guest: hard float and the vector builtins (vecintrin.h), at -O2 and -O3 for z13,
# where gcc vectorizes loops on its own, and at -O3 for z14 (the later flags override the earlier ones).
TESTS_VECTOR := vector-O2 vector-O3 vector-z14-O3
all: $(TESTS_VECTOR:%=$(OUT)/tests/%.bin)
$(TESTS_BUILD)/vector-%.elf: TESTS_CFLAGS += -mhard-float -mzvector
$(TESTS_BUILD)/vector-z14-%.elf: TESTS_CFLAGS += -march=z14

# uvcb-layouts: no code, only the UV control blocks as s390x gcc lays out the kernel's structs
# (read-only data), checked against the Java UVCB records by UvcbLayoutTest.
all: $(OUT)/tests/uvcb-layouts.bin

$(TESTS_BUILD)/uvcb-layouts.o: $(TESTS_DIR)uvcb-layouts.c
	@mkdir -p $(dir $@)
	$(TESTS_CC) -m64 -march=z13 -O2 -c -o $@ $<

$(OUT)/tests/uvcb-layouts.bin: $(TESTS_BUILD)/uvcb-layouts.o
	@mkdir -p $(dir $@)
	$(TESTS_OBJCOPY) -O binary -j .rodata $< $@

# sewrap: the kernel-shaped wrapper that makes a test guest the payload of an SE image (see sewrap.S).
all: $(OUT)/tests/sewrap.bin

$(TESTS_BUILD)/sewrap.elf: $(TESTS_DIR)sewrap.S
	@mkdir -p $(dir $@)
	$(TESTS_CC) $(TESTS_CFLAGS) -Wl,-Ttext=0 -Wl,--build-id=none -Wl,--no-warn-rwx-segments -Wa,--noexecstack \
		-o $@ $(TESTS_DIR)sewrap.S

# Machine services (console input, diag 308/288, UVC under --ultravisor): programs that test the machine,
# not the compiler, built at -O2 only.
TESTS_MACHINE := console diag uvc
all: $(TESTS_MACHINE:%=$(OUT)/tests/%-O2.bin)
$(TESTS_MACHINE:%=$(TESTS_BUILD)/%-O2.elf): $(TESTS_DIR)sclpcall.h
$(foreach l,$(TESTS_LEVELS),$(TESTS_BUILD)/echo-$(l).elf): $(TESTS_DIR)sclpcall.h
