package org.pvsim.se;

/**
 * Component page tweaks (reference §2.2): an 8-byte per-component prefix (u16 component type, 6 random
 * bytes) followed by the BE64 byte offset of the page inside the component.
 */
public final class Tweak {
    private Tweak() {
    }

    /** The 8-byte prefix as the IPIB stores it: type in the top 16 bits, then 48 random bits. */
    public static long prefix(int componentType, byte[] random6) {
        if (random6.length != 6) {
            throw new IllegalArgumentException("tweak random part must be 6 bytes, got " + random6.length);
        }
        long v = (componentType & 0xFFFFL) << 48;
        for (int i = 0; i < 6; i++) {
            v |= (random6[i] & 0xFFL) << (40 - 8 * i);
        }
        return v;
    }

    /** Component type of a prefix (top 16 bits). */
    public static int componentType(long prefix) {
        return (int) (prefix >>> 48);
    }

    /** A fresh 16-byte tweak for the page at {@code pageOffset} bytes into the component. */
    public static byte[] of(long prefix, long pageOffset) {
        byte[] t = new byte[16];
        set(t, prefix, pageOffset);
        return t;
    }

    /** Fills {@code tweak16} in place (no allocation per page). */
    public static void set(byte[] tweak16, long prefix, long pageOffset) {
        Be.putLong(tweak16, 0, prefix);
        Be.putLong(tweak16, 8, pageOffset);
    }
}
