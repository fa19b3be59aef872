package org.pvsim.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * pvsim's own boot loaders for SE images, built from {@code guests/boot/*.S} by {@code guests/Makefile}
 * and shipped as the class-path resources {@code /guests/boot/stage3a.bin} and {@code stage3b.bin}.
 *
 * <p><b>stage3a</b> is plaintext. It is loaded at 0x10000 as part of the image
 * (whose IPL PSW {@code 0x0008000180011000} enters it at 0x11000), stores the SE
 * header's address and size into the IPIB and issues DIAG 308 subcodes 8 and 10. Its last
 * {@value #STAGE3A_ARGS_SIZE} bytes are its args: {@code u64 hdr_offs, u64 hdr_size, u64 ipib_offs}. The
 * two offsets are <em>relative to the address of the args block itself</em>: the header is at
 * {@code stage3aArgsAddress() + hdrOffs}, the IPIB at {@code stage3aArgsAddress() + ipibOffs} (64-bit
 * wrap-around arithmetic, so an object below the args has a negative offset). On failure it writes
 * {@code "pvsim stage3a: <what>: 0x<16 hex digits of detail>"} to the SCLP ASCII console and enters a
 * disabled wait whose PSW address is one of the {@link BootFailure} (stage "3a") codes.
 *
 * <p><b>stage3b</b> is encrypted with the other components and entered through the SE header's PSW at its
 * offset 0 in 64-bit mode. It is position independent, so it may be placed at any page-aligned address.
 * Its last {@value #STAGE3B_ARGS_SIZE} bytes are its args, all absolute guest addresses:
 * {@code kernel{src,size}, cmdline{src,size}, initrd{src,size}, psw{mask,addr}}. It does what s390-tools'
 * {@code stage3b.c} does: the kernel is a Linux s390 image file whose first {@value #KERNEL_HEADER_SIZE}
 * bytes are its header (the IPL part), so stage3b moves file bytes {@code [0x10000, size)} to 0x10000
 * (memmove) and drops the header; if the cmdline size is not 0 it moves the cmdline to 0x10480; if the
 * initrd size is not 0 it sets INITRD_START/INITRD_SIZE at 0x10408/0x10410; then it loads the PSW. It
 * stops in a {@link BootFailure} (stage "3b") disabled wait, with {@code "pvsim stage3b: <what>: 0x<16 hex digits of
 * detail>"} on the SCLP ASCII console, when the kernel is shorter than its header, the cmdline is longer
 * than the kernel's max_command_line_size (u64 at 0x10430 after the move, 896 if 0), or a non-empty cmdline
 * does not end in NUL. stage3b itself, its args and the cmdline source must lie outside
 * {@code [0x10000, kernelSize)}, which the kernel move overwrites.
 *
 * <p>Both write their console line as an operating system must: WRITE EVENT MASK enabling ASCII console
 * events first, then WRITE EVENT DATA, each request waited for through its service-signal external
 * interruption and its SCCB response code checked ({@code guests/boot/sclp.inc}). An SCLP that refuses
 * either leaves the console silent; the disabled-wait code is the same.
 *
 * <p>All values are big-endian. Every accessor returns a fresh copy.
 */
public final class BootLoaders {
    public static final long STAGE3A_LOAD_ADDRESS = 0x10000;
    public static final long STAGE3A_ENTRY = 0x11000;
    /** stage3a must end before this address (the IPIB page of the C genprotimg layout starts here). */
    public static final long STAGE3A_END_LIMIT = 0x13000;
    /** Where stage3b moves the kernel, and the usual kernel entry address. */
    public static final long KERNEL_ADDRESS = 0x10000;
    /** Size of the header (IPL part) of a Linux s390 kernel image file, which stage3b drops. */
    public static final long KERNEL_HEADER_SIZE = 0x10000;
    public static final int STAGE3A_ARGS_SIZE = 24;
    public static final int STAGE3B_ARGS_SIZE = 64;
    /** The largest SE header (two pages). */
    public static final long MAX_SE_HEADER_SIZE = 2 * 4096;

    /**
     * Why a boot loader stopped: its stage ("3a" or "3b"), the address of its final disabled-wait PSW, and
     * what its console line's detail means.
     */
    public enum BootFailure {
        NO_UNPACK_FACILITY("3a", 0x3a10, "the secure-unpack facility (161) is not installed; detail 0"),
        PROGRAM_INTERRUPTION("3a", 0x3a20, "a program interruption occurred; detail = code << 32 | instruction address"),
        SET_PV_FAILED("3a", 0x3a80, "DIAG 308 subcode 8 (set PV IPL parameters) failed; detail = rc"),
        UNPACK_FAILED("3a", 0x3aa0, "DIAG 308 subcode 10 (unpack PV) returned; detail = rc"),
        INVALID_KERNEL("3b", 0x3b10, "the kernel is smaller than its 0x10000-byte header; detail = kernel size"),
        CMDLINE_TOO_LARGE("3b", 0x3b20,
                "the command line is longer than the kernel's max_command_line_size; detail = cmdline size"),
        CMDLINE_NOT_TERMINATED("3b", 0x3b30, "the command line does not end in NUL; detail = its last byte");

        private final String stage;
        private final long waitAddress;
        private final String meaning;

        BootFailure(String stage, long waitAddress, String meaning) {
            this.stage = stage;
            this.waitAddress = waitAddress;
            this.meaning = meaning;
        }

        public String stage() {
            return stage;
        }

        public long waitAddress() {
            return waitAddress;
        }

        public String meaning() {
            return meaning;
        }

        /** The failure of {@code stage} a disabled-wait PSW address stands for, if it is one. */
        public static Optional<BootFailure> ofWaitAddress(String stage, long address) {
            return Arrays.stream(values()).filter(f -> f.stage.equals(stage) && f.waitAddress == address).findFirst();
        }
    }

    private static final String STAGE3A_RESOURCE = "/guests/boot/stage3a.bin";
    private static final String STAGE3B_RESOURCE = "/guests/boot/stage3b.bin";

    private static byte[] stage3a;
    private static byte[] stage3b;

    private BootLoaders() {
    }

    /** The stage3a binary as loaded at {@link #STAGE3A_LOAD_ADDRESS}, args all zero. */
    public static byte[] stage3a() {
        return stage3aBytes().clone();
    }

    /** The stage3b binary, args all zero. */
    public static byte[] stage3b() {
        return stage3bBytes().clone();
    }

    /** Offset of stage3a's args in its binary: its length minus {@value #STAGE3A_ARGS_SIZE}. */
    public static int stage3aArgsOffset() {
        return stage3aBytes().length - STAGE3A_ARGS_SIZE;
    }

    /** Guest address of stage3a's args block, the origin of its two offsets. */
    public static long stage3aArgsAddress() {
        return STAGE3A_LOAD_ADDRESS + stage3aArgsOffset();
    }

    /** Offset of stage3b's args in its binary: its length minus {@value #STAGE3B_ARGS_SIZE}. */
    public static int stage3bArgsOffset() {
        return stage3bBytes().length - STAGE3B_ARGS_SIZE;
    }

    /**
     * A copy of stage3a with its args set.
     *
     * @param hdrOffs  SE header address minus {@link #stage3aArgsAddress()}
     * @param hdrSize  SE header size in bytes, 1 to {@value #MAX_SE_HEADER_SIZE}
     * @param ipibOffs IPIB address minus {@link #stage3aArgsAddress()}; the IPIB must be 4K aligned (DIAG 308)
     * @throws IllegalArgumentException if the size is out of range or the IPIB is not page aligned
     */
    public static byte[] stage3aWithArgs(long hdrOffs, long hdrSize, long ipibOffs) {
        if (hdrSize <= 0 || hdrSize > MAX_SE_HEADER_SIZE) {
            throw new IllegalArgumentException(
                    "stage3a args: SE header size " + hdrSize + " is not within 1.." + MAX_SE_HEADER_SIZE);
        }
        long ipibAddress = stage3aArgsAddress() + ipibOffs;
        if ((ipibAddress & 0xfff) != 0) {
            throw new IllegalArgumentException(String.format(
                    "stage3a args: IPIB offset 0x%x puts the IPIB at 0x%x, which is not 4K aligned",
                    ipibOffs, ipibAddress));
        }
        byte[] image = stage3a();
        ByteBuffer.wrap(image, stage3aArgsOffset(), STAGE3A_ARGS_SIZE)
                .putLong(hdrOffs).putLong(hdrSize).putLong(ipibOffs);
        return image;
    }

    /**
     * A copy of stage3b with its args set. Addresses are absolute guest addresses; sizes are the component
     * sizes (the kernel's including its {@value #KERNEL_HEADER_SIZE}-byte header, the cmdline's including
     * its NUL). What stage3b checks at boot (see {@link BootFailure}) is not checked here, so that
     * images exercising those failures can be built.
     *
     * @throws IllegalArgumentException if an address or size is negative (beyond 2^63 as u64)
     */
    public static byte[] stage3bWithArgs(long kernelSrc, long kernelSize, long cmdlineSrc, long cmdlineSize,
                                         long initrdSrc, long initrdSize, long pswMask, long pswAddr) {
        requireNonNegative("kernel source", kernelSrc);
        requireNonNegative("kernel size", kernelSize);
        requireNonNegative("cmdline source", cmdlineSrc);
        requireNonNegative("cmdline size", cmdlineSize);
        requireNonNegative("initrd source", initrdSrc);
        requireNonNegative("initrd size", initrdSize);
        byte[] image = stage3b();
        ByteBuffer.wrap(image, stage3bArgsOffset(), STAGE3B_ARGS_SIZE)
                .putLong(kernelSrc).putLong(kernelSize)
                .putLong(cmdlineSrc).putLong(cmdlineSize)
                .putLong(initrdSrc).putLong(initrdSize)
                .putLong(pswMask).putLong(pswAddr);
        return image;
    }

    private static void requireNonNegative(String what, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(String.format("stage3b args: %s 0x%x is beyond 2^63", what, value));
        }
    }

    private static synchronized byte[] stage3aBytes() {
        if (stage3a == null) {
            stage3a = load(STAGE3A_RESOURCE);
            long end = STAGE3A_LOAD_ADDRESS + stage3a.length;
            if (stage3a.length < STAGE3A_ENTRY - STAGE3A_LOAD_ADDRESS + STAGE3A_ARGS_SIZE || end > STAGE3A_END_LIMIT) {
                throw new IllegalStateException(String.format(
                        "%s: %d bytes do not fit between its entry 0x%x and 0x%x",
                        STAGE3A_RESOURCE, stage3a.length, STAGE3A_ENTRY, STAGE3A_END_LIMIT));
            }
        }
        return stage3a;
    }

    private static synchronized byte[] stage3bBytes() {
        if (stage3b == null) {
            stage3b = load(STAGE3B_RESOURCE);
            if (stage3b.length <= STAGE3B_ARGS_SIZE) {
                throw new IllegalStateException(
                        STAGE3B_RESOURCE + ": " + stage3b.length + " bytes leave no room for code before the args");
            }
        }
        return stage3b;
    }

    /** Reads a class-path resource (a boot loader or another guest binary); a missing one is a packaging error. */
    public static byte[] load(String resource) {
        try (InputStream in = BootLoaders.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(
                        resource + " is missing from the class path (build it with 'make -C guests')");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
