package org.pvsim.image;

import org.pvsim.se.Be;
import org.pvsim.se.SeFormatException;

/**
 * The 28-byte "SeImgLnx" block Rust pvimg writes at 0xC000 (reference §3): where the header and the IPIB are.
 */
public record ImageMetadata(long headerOffset, int version, long ipibOffset) {
    public static final long OFFSET = 0xC000;
    public static final int SIZE = 28;
    static final long MAGIC = 0x5365496d674c6e78L; // "SeImgLnx"

    public byte[] encode() {
        byte[] b = new byte[SIZE];
        Be.putLong(b, 0, MAGIC);
        Be.putLong(b, 8, headerOffset);
        Be.putInt(b, 16, version);
        Be.putLong(b, 20, ipibOffset);
        return b;
    }

    static boolean hasMagic(byte[] b) {
        return b.length >= 8 && Be.getLong(b, 0) == MAGIC;
    }

    static ImageMetadata parse(byte[] b) {
        if (b.length < SIZE || !hasMagic(b)) {
            throw new SeFormatException("no SeImgLnx image metadata");
        }
        int version = Be.getInt(b, 16);
        if (version != 1) {
            throw new SeFormatException("unsupported SeImgLnx image metadata version " + Integer.toUnsignedString(version)
                    + " at 0xc000 (only 1 is defined)");
        }
        return new ImageMetadata(Be.getLong(b, 8), version, Be.getLong(b, 20));
    }
}
