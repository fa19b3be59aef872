package org.pvsim.se;

import java.util.ArrayList;
import java.util.List;

/**
 * The IPL information block of type PV (reference §3, "IPIB"): where the SE header is and, per secured
 * component, its tweak prefix, address and page-aligned length.
 *
 * @param headerAddress guest address of the SE header (C genprotimg writes 0; stage3a fills it in at boot)
 * @param headerSize    SE header size in bytes
 * @param pvVersion     version byte of the PV block (Rust pvimg writes 1, C genprotimg 0)
 * @param components    the secured components in image order
 */
public record Ipib(long headerAddress, long headerSize, int pvVersion, List<Component> components) {
    public static final int PBT_PV = 5;
    static final int HDR_SIZE = 8;
    static final int PV_FIXED_SIZE = 128;
    static final int COMPONENT_SIZE = 24;
    /** More components than this cannot fit in one 4 KiB IPIB page. */
    public static final int MAX_COMPONENTS = (4096 - HDR_SIZE - PV_FIXED_SIZE) / COMPONENT_SIZE;

    /** One secured component: the first 8 tweak bytes, the guest address and the padded length. */
    public record Component(long tweakPrefix, long address, long length) {
    }

    public Ipib {
        components = List.copyOf(components);
    }

    /** Exact size of the Rust pvimg encoding: 8 + 128 + 24·n. */
    public int size() {
        return HDR_SIZE + PV_FIXED_SIZE + COMPONENT_SIZE * components.size();
    }

    /** The Rust pvimg byte layout (exact size, versions 1). */
    public byte[] encode() {
        byte[] b = new byte[size()];
        Be.putInt(b, 0, size());
        b[7] = 1; // IPL parameter block version
        Be.putInt(b, 8, PV_FIXED_SIZE + COMPONENT_SIZE * components.size());
        b[12] = PBT_PV;
        b[111] = (byte) pvVersion;
        Be.putInt(b, 116, components.size());
        Be.putLong(b, 120, headerAddress);
        Be.putLong(b, 128, headerSize);
        int off = 136;
        for (Component c : components) {
            Be.putLong(b, off, c.tweakPrefix());
            Be.putLong(b, off + 8, c.address());
            Be.putLong(b, off + 16, c.length());
            off += COMPONENT_SIZE;
        }
        return b;
    }

    /** Parses an IPIB; {@code b} may be longer than the block. Every length is checked against {@code b}. */
    public static Ipib parse(byte[] b) {
        if (b.length < HDR_SIZE + PV_FIXED_SIZE) {
            throw new SeFormatException("IPIB truncated: " + b.length + " bytes, need at least "
                    + (HDR_SIZE + PV_FIXED_SIZE));
        }
        long len = Integer.toUnsignedLong(Be.getInt(b, 0));
        if (len < HDR_SIZE + PV_FIXED_SIZE || len > b.length) {
            throw new SeFormatException("IPIB length field is " + len + ", must be between "
                    + (HDR_SIZE + PV_FIXED_SIZE) + " and the " + b.length + " bytes available");
        }
        if (b[12] != PBT_PV) {
            throw new SeFormatException("IPIB parameter block type is " + (b[12] & 0xFF) + ", expected 5 (PV)");
        }
        long pvLen = Integer.toUnsignedLong(Be.getInt(b, 8));
        long n = Integer.toUnsignedLong(Be.getInt(b, 116));
        if (n < 1 || n > MAX_COMPONENTS) {
            throw new SeFormatException("IPIB declares " + n + " components, must be 1 to " + MAX_COMPONENTS);
        }
        long needed = HDR_SIZE + PV_FIXED_SIZE + COMPONENT_SIZE * n;
        if (needed > len) {
            throw new SeFormatException("IPIB with " + n + " components needs " + needed
                    + " bytes but its length field says " + len);
        }
        if (pvLen < needed - HDR_SIZE || pvLen > len - HDR_SIZE) {
            throw new SeFormatException("IPIB PV block length is " + pvLen + ", expected "
                    + (needed - HDR_SIZE) + " for " + n + " components");
        }
        List<Component> comps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int off = 136 + COMPONENT_SIZE * i;
            comps.add(new Component(Be.getLong(b, off), Be.getLong(b, off + 8), Be.getLong(b, off + 16)));
        }
        return new Ipib(Be.getLong(b, 120), Be.getLong(b, 128), b[111] & 0xFF, comps);
    }
}
