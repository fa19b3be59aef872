package org.pvsim.se;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.interfaces.ECKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECParameterSpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;

/**
 * The NIST P-521 (secp521r1) pieces of the SE format: the 80-byte padded coordinate form, the host key hash,
 * ECDH and the key-encryption-key derivation (reference §1.3).
 */
public final class P521 {
    /** Bytes of one P-521 coordinate. */
    public static final int COORDINATE_SIZE = 66;
    /** Bytes one coordinate takes in SE structures (zero-padded on the left). */
    public static final int PADDED_SIZE = 80;

    private P521() {
    }

    /**
     * In a class of its own: looking the curve up loads the JDK's security providers (25 ms of a short command),
     * which reading an image's format does not need.
     */
    private static final class Curve {
        static final ECParameterSpec PARAMS = HostKeys.p521Params();
    }

    public static ECParameterSpec params() {
        return Curve.PARAMS;
    }

    /** True when the key is on secp521r1. */
    public static boolean isP521(ECKey key) {
        ECParameterSpec p = key.getParams();
        return p != null && p.getCurve().equals(params().getCurve()) && p.getGenerator().equals(params().getGenerator());
    }

    public static KeyPair generate(SecureRandom random) {
        return HostKeys.generateKeyPair(random);
    }

    /** X‖Y, each coordinate left-padded with zeros to 80 bytes: 160 bytes ({@link HostKeys#coordinates80}). */
    public static byte[] encodePublicKey(ECPublicKey key) {
        return HostKeys.coordinates80(key);
    }

    /** Checks that the 14 padding bytes in front of both coordinates are zero. */
    static void checkPaddedCoordinates(byte[] b, int off, String what) {
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < PADDED_SIZE - COORDINATE_SIZE; i++) {
                if (b[off + c * PADDED_SIZE + i] != 0) {
                    throw new SeFormatException(what + ": " + (c == 0 ? "X" : "Y")
                            + " coordinate has non-zero padding byte at offset " + i);
                }
            }
        }
    }

    /** Decodes the 160-byte form; throws SeVerificationException(CUSTOMER_KEY) for a point not on the curve. */
    public static ECPublicKey decodePublicKey(byte[] b, int off) {
        checkPaddedCoordinates(b, off, "customer public key");
        try {
            return HostKeys.publicKeyFromCoordinates(Arrays.copyOfRange(b, off, off + 2 * PADDED_SIZE));
        } catch (IllegalArgumentException e) {
            throw new SeVerificationException(SeVerificationException.Failure.CUSTOMER_KEY,
                    "customer public key in the SE header is unusable: " + e.getMessage());
        }
    }

    /** SHA-256 over the 160-byte padded X‖Y: the digest a key slot carries ({@link HostKeys#hostKeyHash}). */
    public static byte[] hostKeyHash(ECPublicKey key) {
        return HostKeys.hostKeyHash(key);
    }

    /** The public key belonging to a private key (d·G), so a host private key alone finds its slot. */
    public static ECPublicKey publicKeyOf(ECPrivateKey key) {
        requireP521(key, "host private key");
        return HostKeys.publicKeyOf(key);
    }

    static void requireP521(ECKey key, String what) {
        if (!isP521(key)) {
            throw new IllegalArgumentException(what + ": must be an EC secp521r1 key");
        }
    }

    /** ECDH: the 66-byte X coordinate of the shared point. */
    public static byte[] sharedSecret(ECPrivateKey mine, ECPublicKey theirs) {
        try {
            KeyAgreement ka = KeyAgreement.getInstance("ECDH");
            ka.init(mine);
            ka.doPhase(theirs, true);
            byte[] z = ka.generateSecret();
            if (z.length != COORDINATE_SIZE) {
                throw new IllegalStateException("ECDH on secp521r1 gave " + z.length + " bytes");
            }
            return z;
        } catch (java.security.InvalidKeyException e) {
            throw new SeVerificationException(SeVerificationException.Failure.CUSTOMER_KEY,
                    "ECDH with the customer public key failed: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ECDH failed", e);
        }
    }

    /** KEK = SHA-256(shared X (66 bytes) ‖ 00000001): ANSI X9.63 KDF, one block, no shared info. */
    public static byte[] kek(byte[] sharedSecret) {
        MessageDigest md = sha256();
        md.update(sharedSecret);
        md.update(new byte[] {0, 0, 0, 1});
        return md.digest();
    }

    /** {@link #kek} of the ECDH secret between the two keys. */
    public static byte[] kek(ECPrivateKey mine, ECPublicKey theirs) {
        byte[] z = sharedSecret(mine, theirs);
        try {
            return kek(z);
        } finally {
            Arrays.fill(z, (byte) 0);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

}
