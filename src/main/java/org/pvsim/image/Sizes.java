package org.pvsim.image;

/** Byte counts for messages: limits in binary units, and 64-bit fields from files as unsigned hex. */
public final class Sizes {
    private Sizes() {
    }

    /** "16 MiB (16777216 bytes)", or just "32 bytes" below 1 KiB. */
    public static String describe(long bytes) {
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        if (bytes < 1024 || bytes % 1024 != 0) {
            return bytes + " bytes";
        }
        int u = 0;
        long v = bytes >> 10;
        while (u < units.length - 1 && v >= 1024 && v % 1024 == 0) {
            v >>= 10;
            u++;
        }
        return v + " " + units[u] + " (" + bytes + " bytes)";
    }

    /** A size or offset read from a file: never printed as a negative number. */
    public static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
