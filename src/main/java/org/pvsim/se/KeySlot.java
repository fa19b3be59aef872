package org.pvsim.se;

import java.util.Arrays;

/**
 * One 80-byte key slot of a version 1 header (reference §1.3).
 *
 * @param hostKeyHash SHA-256 of the host public key (X‖Y, each padded to 80 bytes)
 * @param wrappedKey  the header key, AES-256-GCM encrypted under the ECDH-derived KEK with a zero IV
 * @param tag         the GCM tag of that wrapping
 */
public record KeySlot(byte[] hostKeyHash, byte[] wrappedKey, byte[] tag) {
    public static final int SIZE = 80;

    public KeySlot {
        if (hostKeyHash.length != 32 || wrappedKey.length != 32 || tag.length != 16) {
            throw new IllegalArgumentException("key slot parts must be 32, 32 and 16 bytes");
        }
        hostKeyHash = hostKeyHash.clone();
        wrappedKey = wrappedKey.clone();
        tag = tag.clone();
    }

    static KeySlot read(byte[] b, int off) {
        return new KeySlot(Arrays.copyOfRange(b, off, off + 32), Arrays.copyOfRange(b, off + 32, off + 64),
                Arrays.copyOfRange(b, off + 64, off + 80));
    }

    void write(byte[] b, int off) {
        System.arraycopy(hostKeyHash, 0, b, off, 32);
        System.arraycopy(wrappedKey, 0, b, off + 32, 32);
        System.arraycopy(tag, 0, b, off + 64, 16);
    }

    @Override
    public byte[] hostKeyHash() {
        return hostKeyHash.clone();
    }

    @Override
    public byte[] wrappedKey() {
        return wrappedKey.clone();
    }

    @Override
    public byte[] tag() {
        return tag.clone();
    }

    public boolean isFor(byte[] hash) {
        return java.security.MessageDigest.isEqual(hostKeyHash, hash);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeySlot k && Arrays.equals(hostKeyHash, k.hostKeyHash)
                && Arrays.equals(wrappedKey, k.wrappedKey) && Arrays.equals(tag, k.tag);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hostKeyHash);
    }

    @Override
    public String toString() {
        return "KeySlot[hostKeyHash=" + java.util.HexFormat.of().formatHex(hostKeyHash) + "]";
    }
}
