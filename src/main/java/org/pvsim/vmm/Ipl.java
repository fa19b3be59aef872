package org.pvsim.vmm;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The IPL of {@code -kernel} as QEMU's s390 ipl device and load_normal do it: an ELF is loaded at its
 * segments' physical addresses and entered at its entry point in 64-bit mode; anything else (an SE image, a
 * flat binary) is copied to absolute 0 and entered through the 8-byte short PSW it starts with. A
 * Linux-shaped kernel ("S390EP" at 0x10008) gets {@code -append} in its parameter area. The image is kept
 * so that a re-IPL (diag 308 subcode 3, or leaving protected mode) can load it again, as QEMU reloads its
 * ROMs on reset.
 */
final class Ipl {
    /** The PSW the IPL CPU starts with. */
    record Psw(long mask, long address) {
    }

    private static final long PSW_64BIT = 0x0000000180000000L;
    private static final int PHDR_SIZE = 56; // Elf64_Phdr
    private static final int LINUX_MAGIC = 0x10008;
    private static final int COMMAND_LINE_SIZE = 0x10430;
    private static final int COMMAND_LINE = 0x10480;
    private static final int LEGACY_COMMAND_LINE_SIZE = 896;

    private final byte[] image;
    private final String append;

    Ipl(byte[] image, String append) {
        if (image.length < 8) {
            throw new VmmException("-kernel: " + image.length + " bytes is too short for an IPL PSW");
        }
        this.image = image.clone();
        this.append = append;
    }

    /** Loads the image into guest RAM (cleared first) and returns the PSW to start the IPL CPU with. */
    Psw load(GuestMachine m) {
        m.writeRam(0, new byte[(int) Math.min(m.config.memory(), image.length + 0x100000L)]);
        Psw psw = isElf() ? loadElf(m) : loadFlat(m);
        if (append != null) {
            appendCommandLine(m);
        }
        return psw;
    }

    private boolean isElf() {
        return image.length >= 64 && image[0] == 0x7f && image[1] == 'E' && image[2] == 'L' && image[3] == 'F';
    }

    private Psw loadFlat(GuestMachine m) {
        if (image.length > m.config.memory()) {
            throw new VmmException(String.format("-kernel: %d bytes do not fit in %d MiB of guest memory",
                    image.length, m.config.memory() / VmConfig.MIB));
        }
        m.writeRam(0, image);
        long shortPsw = ByteBuffer.wrap(image).getLong(0);
        // load_normal: the ESA short PSW's bit 12 is the format bit, not part of the z/Architecture mask
        return new Psw(shortPsw & 0xfff7ffff80000000L, shortPsw & 0x7fffffffL);
    }

    /**
     * Loads the PT_LOAD segments. Every header value is the file's, so each offset, count and size is
     * checked against the file before it is used (no arithmetic may wrap); where a segment goes is checked
     * against guest memory by {@link GuestMachine#writeRam}.
     */
    private Psw loadElf(GuestMachine m) {
        ByteBuffer b = ByteBuffer.wrap(image);
        if (image[4] != 2 || image[5] != 2 || b.getShort(18) != 22) {
            throw new VmmException("-kernel: not a 64-bit big-endian s390 ELF file");
        }
        long entry = b.getLong(24);
        long phoff = b.getLong(32);
        int phentsize = b.getShort(54) & 0xffff;
        int phnum = b.getShort(56) & 0xffff;
        if (phnum > 0 && (phentsize < PHDR_SIZE || phoff < 0 || phoff > image.length - (long) phnum * phentsize)) {
            throw new VmmException(String.format("-kernel: the ELF program headers (offset 0x%x, %d of %d bytes) are not"
                    + " within the file", phoff, phnum, phentsize));
        }
        for (int i = 0; i < phnum; i++) {
            int ph = (int) (phoff + (long) i * phentsize);
            if (b.getInt(ph) != 1) { // PT_LOAD
                continue;
            }
            long offset = b.getLong(ph + 8);
            long paddr = b.getLong(ph + 24);
            long filesz = b.getLong(ph + 32);
            if (offset < 0 || filesz < 0 || offset > image.length - filesz) {
                throw new VmmException(String.format("-kernel: ELF segment %d (offset 0x%x, size 0x%x) reaches beyond"
                        + " the end of the file", i, offset, filesz));
            }
            byte[] seg = new byte[(int) filesz];
            System.arraycopy(image, (int) offset, seg, 0, seg.length);
            m.writeRam(paddr, seg);
        }
        return new Psw(PSW_64BIT, entry);
    }

    private void appendCommandLine(GuestMachine m) {
        if (m.config.memory() < COMMAND_LINE + LEGACY_COMMAND_LINE_SIZE) {
            return;
        }
        byte[] magic = m.readRam(LINUX_MAGIC, 6);
        if (!"S390EP".equals(new String(magic, StandardCharsets.US_ASCII))) {
            return; // not a Linux kernel: QEMU leaves such an image alone (an SE image brings its own command line)
        }
        long max = ByteBuffer.wrap(m.readRam(COMMAND_LINE_SIZE, 8)).getLong();
        if (max == 0) {
            max = LEGACY_COMMAND_LINE_SIZE;
        }
        byte[] text = append.getBytes(StandardCharsets.US_ASCII);
        if (text.length + 1 > max) {
            throw new VmmException("-append: the command line has " + text.length + " bytes, the kernel takes at most "
                    + (max - 1));
        }
        byte[] z = new byte[text.length + 1];
        System.arraycopy(text, 0, z, 0, text.length);
        m.writeRam(COMMAND_LINE, z);
    }
}
