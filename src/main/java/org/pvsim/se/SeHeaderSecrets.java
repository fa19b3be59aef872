package org.pvsim.se;

import java.util.Arrays;

/**
 * The decrypted part of a version 1 SE header (reference se-image-format §1.5).
 *
 * @param cck        customer communication key, 32 bytes
 * @param xtsKey     AES-256-XTS image key, 64 bytes (key1 then key2)
 * @param pswMask    mask of the PSW the Ultravisor loads after unpacking
 * @param pswAddress address of that PSW (stage3b)
 * @param scf        secret control flags
 * @param noi        number of optional items (always 0 in version 1)
 */
public record SeHeaderSecrets(byte[] cck, byte[] xtsKey, long pswMask, long pswAddress, long scf, int noi) {
    /** Size of the encrypted part without optional items. */
    public static final int SIZE = 0x80;

    public SeHeaderSecrets {
        if (cck.length != 32) {
            throw new IllegalArgumentException("CCK must be 32 bytes, got " + cck.length);
        }
        if (xtsKey.length != 64) {
            throw new IllegalArgumentException("image (XTS) key must be 64 bytes, got " + xtsKey.length);
        }
        cck = cck.clone();
        xtsKey = xtsKey.clone();
    }

    @Override
    public byte[] cck() {
        return cck.clone();
    }

    @Override
    public byte[] xtsKey() {
        return xtsKey.clone();
    }

    /** The 128-byte plaintext of the encrypted part. */
    public byte[] encode() {
        byte[] out = new byte[SIZE];
        System.arraycopy(cck, 0, out, 0x00, 32);
        System.arraycopy(xtsKey, 0, out, 0x20, 64);
        Be.putLong(out, 0x60, pswMask);
        Be.putLong(out, 0x68, pswAddress);
        Be.putLong(out, 0x70, scf);
        Be.putInt(out, 0x78, noi);
        return out;
    }

    /** Parses the plaintext of the encrypted part (at least 128 bytes). */
    public static SeHeaderSecrets decode(byte[] plain) {
        if (plain.length < SIZE) {
            throw new SeFormatException("encrypted header part is " + plain.length + " bytes, need at least " + SIZE);
        }
        return new SeHeaderSecrets(Arrays.copyOfRange(plain, 0, 32), Arrays.copyOfRange(plain, 0x20, 0x60),
                Be.getLong(plain, 0x60), Be.getLong(plain, 0x68), Be.getLong(plain, 0x70), Be.getInt(plain, 0x78));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SeHeaderSecrets s && Arrays.equals(cck, s.cck) && Arrays.equals(xtsKey, s.xtsKey)
                && pswMask == s.pswMask && pswAddress == s.pswAddress && scf == s.scf && noi == s.noi;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(xtsKey) ^ Long.hashCode(pswAddress);
    }

    @Override
    public String toString() {
        return "SeHeaderSecrets[cck=<hidden>, xtsKey=<hidden>, psw=%016x/%016x, scf=%016x, noi=%d]"
                .formatted(pswMask, pswAddress, scf, noi);
    }
}
