package org.pvsim.machine.uv;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.pvsim.se.P521;

/**
 * Unwrapping of a P-521 ECDH key slot (reference se-image-format §1.3), shared by SE headers and
 * attestation requests: find the slot naming one of the machine's host keys, ECDH with the
 * customer's public key, KEK = SHA-256(x ‖ 00000001), AES-256-GCM with a zero IV. (The SE header
 * goes through {@code org.pvsim.se.HeaderCrypto}; attestation requests have no such API yet.)
 */
final class KeySlots {
    static final int SLOT = 80;

    /** The outcome: the 32-byte key and the hash of the host key that opened it. */
    record Unwrapped(byte[] key, byte[] hostKeyHash) {
    }

    /** Why unwrapping failed. */
    enum Failure { NO_MATCHING_SLOT, BAD_CUSTOMER_KEY, SLOT_TAG }

    static final class UnwrapException extends Exception {
        final Failure failure;

        UnwrapException(Failure failure) {
            super(failure.name(), null, false, false);
            this.failure = failure;
        }
    }

    private KeySlots() {
    }

    static Unwrapped unwrap(KekCache keks, List<HostKey> hostKeys, List<byte[]> hostKeyHashes, byte[] cpk160, byte[] slots, int slotsOff, int nks)
            throws UnwrapException {
        for (int k = 0; k < hostKeys.size(); k++) {
            HostKey hk = hostKeys.get(k);
            byte[] hash = hostKeyHashes.get(k);
            for (int i = 0; i < nks; i++) {
                int o = slotsOff + i * SLOT;
                if (MessageDigest.isEqual(Arrays.copyOfRange(slots, o, o + 32), hash)) {
                    return new Unwrapped(open(keks, hk, hash, cpk160, slots, o), hash);
                }
            }
        }
        throw new UnwrapException(Failure.NO_MATCHING_SLOT);
    }

    private static byte[] open(KekCache keks, HostKey hk, byte[] hash, byte[] cpk160, byte[] slots, int o)
            throws UnwrapException {
        byte[] kek;
        try {
            kek = keks.kek(hash, cpk160, () -> P521.kek(hk.privateKey(), P521.decodePublicKey(cpk160, 0)));
        } catch (RuntimeException e) { // not a point on P-521, bad padding, ECDH refused
            throw new UnwrapException(Failure.BAD_CUSTOMER_KEY);
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(kek, "AES"), new GCMParameterSpec(128, new byte[12]));
            return c.doFinal(slots, o + 32, 48);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new UnwrapException(Failure.SLOT_TAG);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        } finally {
            Arrays.fill(kek, (byte) 0);
        }
    }
}
