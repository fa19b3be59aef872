package org.pvsim.se;

import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.List;

/**
 * Builds and seals a version 1 SE header (reference §1): plaintext head, one key slot per host key, the
 * encrypted secrets and the GCM tag.
 *
 * @param hostKeys    one key slot is written per host key, in this order (1 to 95)
 * @param customerKey the per-image ephemeral P-521 key pair; only its public half is stored
 * @param headerKey   32-byte header protection key
 * @param iv          12-byte GCM IV
 * @param nep         number of encrypted pages
 * @param pcf         plaintext control flags
 * @param pld         page list digest (64 bytes)
 * @param ald         address list digest (64 bytes)
 * @param tld         tweak list digest (64 bytes)
 * @param secrets     the part to encrypt
 */
public record SeHeaderBuilder(List<ECPublicKey> hostKeys, KeyPair customerKey, byte[] headerKey, byte[] iv,
        long nep, long pcf, byte[] pld, byte[] ald, byte[] tld, SeHeaderSecrets secrets) {

    public SeHeaderBuilder {
        hostKeys = List.copyOf(hostKeys);
        checkKeyCount(hostKeys.size());
        for (ECPublicKey k : hostKeys) {
            P521.requireP521(k, "host key");
        }
        P521.requireP521((ECPublicKey) customerKey.getPublic(), "customer key");
        check("header key", headerKey, 32);
        check("header IV", iv, SeHeader.IV_SIZE);
        check("PLD", pld, 64);
        check("ALD", ald, 64);
        check("TLD", tld, 64);
    }

    /** Refuses counts the version 1 header cannot hold, saying why. */
    public static void checkKeyCount(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("at least one host key is needed");
        }
        if (n > SeHeader.MAX_KEY_SLOTS) {
            throw new IllegalArgumentException("too many host keys: " + n + " key slots make an SE header of "
                    + SeHeader.sizeFor(n) + " bytes, more than the maximum " + SeHeader.MAX_SIZE
                    + " (at most " + SeHeader.MAX_KEY_SLOTS + " host keys)");
        }
    }

    private static void check(String what, byte[] b, int len) {
        if (b.length != len) {
            throw new IllegalArgumentException(what + " must be " + len + " bytes, got " + b.length);
        }
    }

    /** The finished header. */
    public SeHeader build() {
        int nks = hostKeys.size();
        int size = SeHeader.sizeFor(nks);
        byte[] h = new byte[size];
        Be.putLong(h, SeHeader.OFF_MAGIC, SeHeader.MAGIC);
        Be.putInt(h, SeHeader.OFF_VERSION, SeHeader.VERSION_1);
        Be.putInt(h, SeHeader.OFF_SIZE, size);
        System.arraycopy(iv, 0, h, SeHeader.OFF_IV, SeHeader.IV_SIZE);
        Be.putLong(h, SeHeader.OFF_NKS, nks);
        Be.putLong(h, SeHeader.OFF_SEA, SeHeaderSecrets.SIZE);
        Be.putLong(h, SeHeader.OFF_NEP, nep);
        Be.putLong(h, SeHeader.OFF_PCF, pcf);
        System.arraycopy(P521.encodePublicKey((ECPublicKey) customerKey.getPublic()), 0, h, SeHeader.OFF_CUST_KEY, 160);
        System.arraycopy(pld, 0, h, SeHeader.OFF_PLD, 64);
        System.arraycopy(ald, 0, h, SeHeader.OFF_ALD, 64);
        System.arraycopy(tld, 0, h, SeHeader.OFF_TLD, 64);
        ECPrivateKey customerPrivate = (ECPrivateKey) customerKey.getPrivate();
        for (int i = 0; i < nks; i++) {
            ECPublicKey host = hostKeys.get(i);
            byte[] kek = P521.kek(customerPrivate, host);
            byte[] wrapped = Gcm.seal(kek, HeaderCrypto.ZERO_IV, new byte[0], headerKey);
            java.util.Arrays.fill(kek, (byte) 0);
            new KeySlot(P521.hostKeyHash(host), java.util.Arrays.copyOf(wrapped, 32),
                    java.util.Arrays.copyOfRange(wrapped, 32, 48)).write(h, SeHeader.HEAD_SIZE + KeySlot.SIZE * i);
        }
        int aad = SeHeader.HEAD_SIZE + KeySlot.SIZE * nks;
        byte[] sealed = Gcm.seal(headerKey, iv, java.util.Arrays.copyOf(h, aad), secrets.encode());
        System.arraycopy(sealed, 0, h, aad, sealed.length);
        return SeHeader.parse(h);
    }
}
