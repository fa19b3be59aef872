package org.pvsim.machine.uv;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * One host key pair of the machine (EC secp521r1): the private half unwraps SE-header and
 * attestation-request key slots, the hash of the public half (SHA-256 over X‖Y, each zero-padded to
 * 80 bytes; reference se-image-format §1.3) is what a key slot names.
 */
public record HostKey(ECPrivateKey privateKey, ECPublicKey publicKey) {
    public HostKey {
        if (privateKey.getParams().getCurve().getField().getFieldSize() != 521
                || publicKey.getParams().getCurve().getField().getFieldSize() != 521) {
            throw new IllegalArgumentException("host key: must be an EC secp521r1 key (found a "
                    + privateKey.getParams().getCurve().getField().getFieldSize() + "-bit curve)");
        }
    }

    /** A fresh random host key (for tests and demo machines). */
    public static HostKey generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp521r1"));
            KeyPair kp = g.generateKeyPair();
            return new HostKey((ECPrivateKey) kp.getPrivate(), (ECPublicKey) kp.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC secp521r1 unavailable", e);
        }
    }

    /** The key pair for a private key alone (as loaded from a PEM file): Q = d·G. */
    public static HostKey fromPrivate(ECPrivateKey privateKey) {
        X9ECParameters p = ECNamedCurveTable.getByName("secp521r1");
        if (privateKey.getParams().getCurve().getField().getFieldSize() != 521) {
            throw new IllegalArgumentException("host key: must be an EC secp521r1 key (found a "
                    + privateKey.getParams().getCurve().getField().getFieldSize() + "-bit curve)");
        }
        org.bouncycastle.math.ec.ECPoint q = new FixedPointCombMultiplier().multiply(p.getG(), privateKey.getS()).normalize();
        try {
            ECPublicKey pub = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(
                    new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()),
                    privateKey.getParams()));
            return new HostKey(privateKey, pub);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("host key: cannot derive the public key: " + e.getMessage(), e);
        }
    }

    /** The 32-byte key-slot digest of this host key. */
    public byte[] hash() {
        return hashOf(publicKey);
    }

    static byte[] hashOf(ECPublicKey key) {
        byte[] xy = new byte[160];
        put80(xy, 0, key.getW().getAffineX());
        put80(xy, 80, key.getW().getAffineY());
        try {
            return MessageDigest.getInstance("SHA-256").digest(xy);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void put80(byte[] dst, int off, BigInteger v) {
        byte[] b = v.toByteArray();
        int n = Math.min(b.length, 80);
        System.arraycopy(b, b.length - n, dst, off + 80 - n, n);
    }

    @Override
    public String toString() {
        return "HostKey[" + java.util.HexFormat.of().formatHex(Arrays.copyOf(hash(), 8)) + "...]";
    }
}
