package org.pvsim.se;

import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.List;

/**
 * The key slots of a UV request (attestation or add-secret, reference se-image-format §6): the
 * request protection key wrapped for each host key exactly as an SE header's key is (§1.3): ECDH
 * between a per-request customer key and the host key, KEK = SHA-256(x ‖ 00000001), AES-256-GCM
 * with a zero IV. Each slot is host-key hash (32) ‖ wrapped key (32) ‖ tag (16).
 */
public final class RequestKeySlots {
    private RequestKeySlots() {
    }

    /** The slots for {@code hostKeys}, in their order, {@link KeySlot#SIZE} bytes each. */
    public static byte[] wrap(KeyPair customer, List<ECPublicKey> hostKeys, byte[] requestKey) {
        byte[] out = new byte[KeySlot.SIZE * hostKeys.size()];
        for (int i = 0; i < hostKeys.size(); i++) {
            ECPublicKey hk = hostKeys.get(i);
            byte[] kek = P521.kek((ECPrivateKey) customer.getPrivate(), hk);
            byte[] wrapped = Gcm.seal(kek, HeaderCrypto.ZERO_IV, new byte[0], requestKey);
            java.util.Arrays.fill(kek, (byte) 0);
            System.arraycopy(P521.hostKeyHash(hk), 0, out, KeySlot.SIZE * i, 32);
            System.arraycopy(wrapped, 0, out, KeySlot.SIZE * i + 32, 48);
        }
        return out;
    }

    /** The slots of a request: {@code nks} slots from {@code off}. */
    public static List<KeySlot> read(byte[] b, int off, int nks) {
        KeySlot[] s = new KeySlot[nks];
        for (int i = 0; i < nks; i++) {
            s[i] = KeySlot.read(b, off + KeySlot.SIZE * i);
        }
        return List.of(s);
    }

    /**
     * Unwraps the request protection key with the host private key whose public half is {@code hostPublic};
     * null when no slot names that key or the slot does not open.
     */
    public static byte[] unwrap(byte[] b, int cpkOff, int slotsOff, int nks, ECPrivateKey host, ECPublicKey hostPublic) {
        byte[] hash = P521.hostKeyHash(hostPublic);
        for (KeySlot s : read(b, slotsOff, nks)) {
            if (s.isFor(hash)) {
                byte[] kek = P521.kek(host, P521.decodePublicKey(b, cpkOff));
                byte[] wrappedAndTag = new byte[48];
                System.arraycopy(s.wrappedKey(), 0, wrappedAndTag, 0, 32);
                System.arraycopy(s.tag(), 0, wrappedAndTag, 32, 16);
                return Gcm.open(kek, HeaderCrypto.ZERO_IV, new byte[0], wrappedAndTag);
            }
        }
        return null;
    }
}
