package org.pvsim.machine.cpu;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.pvsim.machine.storage.Storage;

/**
 * Loads a program for IPL: an s390x ELF (ELFCLASS64, big-endian, EM_S390) at its segments' physical
 * addresses, entered at its entry point in 64-bit mode with every interruption disabled (as QEMU's
 * -kernel does); or a flat binary at absolute 0 whose bytes 0-7 are the IPL PSW, the ESA/390-format
 * short PSW a real IPL record carries (bit 12 set).
 */
public final class ProgramLoader {
    private ProgramLoader() {
    }

    private static final int PT_LOAD = 1;
    private static final int EM_S390 = 22;

    /** Loads {@code image} (named {@code name} in messages) into storage; returns the IPL PSW. */
    public static Psw load(byte[] image, String name, Storage storage) {
        if (image.length >= 4 && image[0] == 0x7f && image[1] == 'E' && image[2] == 'L' && image[3] == 'F') {
            return loadElf(image, name, storage);
        }
        return loadFlat(image, name, storage);
    }

    private static Psw loadFlat(byte[] image, String name, Storage storage) {
        if (image.length < 8) {
            throw new IllegalArgumentException(name + ": too short for a flat image (" + image.length
                    + " bytes; bytes 0-7 must hold the IPL PSW)");
        }
        if (image.length > storage.size()) {
            throw new IllegalArgumentException(name + ": " + image.length + " bytes do not fit in "
                    + storage.size() + " bytes of memory");
        }
        long shortPsw = ByteBuffer.wrap(image, 0, 8).getLong();
        Psw psw = Psw.fromShort(shortPsw);
        if (psw == null || !Psw.isValid(psw.mask(), psw.address())) {
            throw new IllegalArgumentException(String.format(
                    "%s: bytes 0-7 are not a valid IPL PSW (%016x; an ESA/390-format PSW needs bit 12 set)",
                    name, shortPsw));
        }
        storage.write(0, image, 0, image.length, Storage.HOST);
        return psw;
    }

    private record Segment(long paddr, long offset, long fileSize, long memSize) {
    }

    private static Psw loadElf(byte[] image, String name, Storage storage) {
        if (image.length < 64) {
            throw new IllegalArgumentException(name + ": truncated ELF header (" + image.length + " bytes)");
        }
        if (image[4] != 2) {
            throw new IllegalArgumentException(name + ": not an ELFCLASS64 file (class " + image[4] + ")");
        }
        if (image[5] != 2) {
            throw new IllegalArgumentException(name + ": not a big-endian ELF file (s390x is big-endian)");
        }
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.BIG_ENDIAN);
        int machine = b.getShort(18) & 0xffff;
        if (machine != EM_S390) {
            throw new IllegalArgumentException(name + ": ELF machine " + machine + " is not s390 (22)");
        }
        long entry = b.getLong(24);
        long phoff = b.getLong(32);
        int phentsize = b.getShort(54) & 0xffff;
        int phnum = b.getShort(56) & 0xffff;
        if (phnum == 0) {
            throw new IllegalArgumentException(name + ": ELF file has no program headers");
        }
        if (phentsize < 56 || phoff < 0 || phoff > image.length || (long) phentsize * phnum > image.length - phoff) {
            throw new IllegalArgumentException(name + ": truncated ELF program headers");
        }
        List<Segment> segments = new ArrayList<>();
        for (int k = 0; k < phnum; k++) {
            int p = (int) (phoff + (long) k * phentsize);
            if (b.getInt(p) != PT_LOAD) {
                continue;
            }
            long offset = b.getLong(p + 8);
            long paddr = b.getLong(p + 24);
            long filesz = b.getLong(p + 32);
            long memsz = b.getLong(p + 40);
            // sizes from the file are unsigned 64-bit: compared without overflow, printed as hex
            if (filesz < 0 || offset < 0 || offset > image.length || filesz > image.length - offset
                    || Long.compareUnsigned(filesz, memsz) > 0) {
                throw new IllegalArgumentException(String.format(
                        "%s: segment %d is truncated or inconsistent (offset 0x%x, file size 0x%x, memory size 0x%x, file %d bytes)",
                        name, k, offset, filesz, memsz, image.length));
            }
            if (paddr < 0 || memsz < 0 || paddr > storage.size() || memsz > storage.size() - paddr) {
                throw new IllegalArgumentException(String.format(
                        "%s: segment %d at 0x%x (0x%x bytes) does not fit in %d bytes of memory",
                        name, k, paddr, memsz, storage.size()));
            }
            for (Segment s : segments) {
                if (paddr < s.paddr + s.memSize && s.paddr < paddr + memsz) {
                    throw new IllegalArgumentException(String.format(
                            "%s: segment %d at 0x%x overlaps the segment at 0x%x", name, k, paddr, s.paddr));
                }
            }
            segments.add(new Segment(paddr, offset, filesz, memsz));
        }
        if (segments.isEmpty()) {
            throw new IllegalArgumentException(name + ": ELF file has no loadable segment");
        }
        if ((entry & 1) != 0 || entry < 0 || entry >= storage.size()) {
            throw new IllegalArgumentException(String.format("%s: entry point 0x%x is not a valid address", name, entry));
        }
        for (Segment s : segments) {
            if (s.fileSize > 0) {
                storage.write(s.paddr, image, (int) s.offset, (int) s.fileSize, Storage.HOST);
            }
        }
        return new Psw(Psw.MASK_64BIT_DISABLED, entry);
    }
}
