package org.pvsim.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** pvimg's component check (reference §2.1): a raw s390x kernel, not ELF, and a command line that fits it. */
final class KernelCheck {
    static final int SIGNATURE_OFFSET = 0x10008;
    static final int COMMAND_LINE_SIZE_OFFSET = 0x10430;
    static final long LEGACY_COMMAND_LINE_SIZE = 896;

    private KernelCheck() {
    }

    /** Checks the file at {@code file}, named {@code kernel} in messages (a pipe's copy has another name). */
    static void check(Path file, Path kernel, byte[] cmdline) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            byte[] head = read(ch, 0, 4);
            if (head.length == 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F') {
                throw new IllegalArgumentException("kernel " + kernel + " is an ELF file; use the raw image"
                        + " (arch/s390/boot/bzImage or image), or --no-component-check");
            }
            byte[] sig = read(ch, SIGNATURE_OFFSET, 6);
            if (!"S390EP".equals(new String(sig, StandardCharsets.ISO_8859_1))) {
                throw new IllegalArgumentException("kernel " + kernel + " is not an s390x kernel image: no \"S390EP\""
                        + " signature at offset 0x10008 (use --no-component-check to skip this check)");
            }
            byte[] sizeField = read(ch, COMMAND_LINE_SIZE_OFFSET, 8);
            if (sizeField.length < 8) {
                throw new IllegalArgumentException("kernel " + kernel + " is not an s390x kernel image: too short to"
                        + " hold its command line size at offset 0x10430 (use --no-component-check to skip this check)");
            }
            long max = ByteBuffer.wrap(sizeField).getLong();
            if (max == 0) {
                max = LEGACY_COMMAND_LINE_SIZE;
            }
            if (cmdline != null && Long.compareUnsigned(cmdline.length, max) > 0) {
                throw new IllegalArgumentException("kernel command line is " + cmdline.length
                        + " bytes (with NUL), the kernel accepts at most " + Long.toUnsignedString(max));
            }
        }
    }

    private static byte[] read(FileChannel ch, long pos, int len) throws IOException {
        ByteBuffer bb = ByteBuffer.allocate(len);
        while (bb.hasRemaining() && ch.read(bb, pos + bb.position()) > 0) {
            // keep reading
        }
        return java.util.Arrays.copyOf(bb.array(), bb.position());
    }
}
