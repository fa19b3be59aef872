package org.pvsim.image;

/** Fixed addresses of the Rust pvimg image layout (reference §3); file offset = guest address. */
public final class ImageLayout {
    public static final int PAGE = 4096;
    /** Short PSW at 0: EA+BA, 64-bit, continue at stage3a's entry 0x11000. */
    public static final long SHORT_PSW = 0x0008000180011000L;
    public static final long STAGE3A_ADDRESS = 0x10000;
    /** pvextract-hdr starts searching here, so pvimg never puts the header lower. */
    public static final long MIN_HEADER_ADDRESS = 0x14000;
    /** PSW mask EA+BA (64-bit addressing) for the header PSW and the kernel PSW. */
    public static final long PSW_MASK_64 = 0x0000000180000000L;
    public static final long KERNEL_ENTRY = 0x10000;
    /** C genprotimg puts its IPIB here. */
    public static final long C_IPIB_ADDRESS = 0x13000;

    private ImageLayout() {
    }

    public static long pageAlign(long v) {
        return Math.addExact(v, PAGE - 1) & -PAGE;
    }
}
