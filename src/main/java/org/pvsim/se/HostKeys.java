package org.pvsim.se;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;

/**
 * Host keys: the EC secp521r1 key pairs of IBM Z machines, and the 160-byte coordinate form and
 * SHA-256 digest by which the SE header's key slots name them (reference se-image-format §1.3).
 */
public final class HostKeys {
    /** Bytes of one P-521 coordinate (521 bits). */
    public static final int COORDINATE_SIZE = 66;
    /** Bytes of one coordinate as the SE header stores it: left-padded with zeros to 80. */
    public static final int PADDED_COORDINATE_SIZE = 80;
    /** Bytes of the X‖Y form. */
    public static final int COORDINATES_SIZE = 2 * PADDED_COORDINATE_SIZE;
    /** Bytes of a host key hash (SHA-256). */
    public static final int HASH_SIZE = 32;

    private static final ECParameterSpec P521 = p521();

    private HostKeys() {
    }

    /** The JDK's domain parameters of secp521r1. */
    public static ECParameterSpec p521Params() {
        return P521;
    }

    /**
     * Returns the key as an EC secp521r1 public key, or throws
     * {@code IllegalArgumentException("<what>: must be an EC secp521r1 key (found RSA 2048)")}.
     */
    public static ECPublicKey requireP521(PublicKey key, String what) {
        if (key == null) {
            throw new IllegalArgumentException(what + ": must be an EC secp521r1 key (found no key)");
        }
        AlgorithmIdentifier algorithm = algorithmOf(key);
        if (key instanceof ECPublicKey ec && algorithm != null && KeyDescription.isP521(algorithm)) {
            return ec;
        }
        String found;
        if (algorithm != null) {
            found = KeyDescription.describe(algorithm, key instanceof RSAKey rsa ? rsa.getModulus().bitLength() : 0);
        } else {
            found = key.getAlgorithm();
        }
        throw new IllegalArgumentException(what + ": must be an EC secp521r1 key (found " + found + ")");
    }

    /** X‖Y, each coordinate big-endian and left-padded with zeros to 80 bytes (160 bytes in all). */
    public static byte[] coordinates80(ECPublicKey key) {
        ECPoint w = requireP521(key, "host key").getW();
        byte[] out = new byte[COORDINATES_SIZE];
        putPadded(w.getAffineX(), out, 0);
        putPadded(w.getAffineY(), out, PADDED_COORDINATE_SIZE);
        return out;
    }

    /** The key slot's digest of a host key: SHA-256 over {@link #coordinates80}. */
    public static byte[] hostKeyHash(ECPublicKey key) {
        return sha256(coordinates80(key));
    }

    /**
     * The public key with the given 160-byte X‖Y form. Rejects a wrong length, coordinates that do not
     * fit in 66 bytes or are not below the field prime, and points that are not on secp521r1.
     */
    public static ECPublicKey publicKeyFromCoordinates(byte[] xy160) {
        if (xy160 == null || xy160.length != COORDINATES_SIZE) {
            throw new IllegalArgumentException("EC public key coordinates: expected " + COORDINATES_SIZE
                    + " bytes (X and Y, 80 each), got " + (xy160 == null ? "none" : xy160.length));
        }
        BigInteger x = new BigInteger(1, Arrays.copyOfRange(xy160, 0, PADDED_COORDINATE_SIZE));
        BigInteger y = new BigInteger(1, Arrays.copyOfRange(xy160, PADDED_COORDINATE_SIZE, COORDINATES_SIZE));
        BigInteger p = ((ECFieldFp) P521.getCurve().getField()).getP();
        if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            throw new IllegalArgumentException("EC public key coordinates: " + (x.compareTo(p) >= 0 ? "X" : "Y")
                    + " is not below the secp521r1 field prime");
        }
        // y^2 = x^3 + a*x + b (mod p)
        BigInteger lhs = y.multiply(y).mod(p);
        BigInteger rhs = x.pow(3).add(P521.getCurve().getA().multiply(x)).add(P521.getCurve().getB()).mod(p);
        if (!lhs.equals(rhs)) {
            throw new IllegalArgumentException("EC public key coordinates: the point is not on the secp521r1 curve");
        }
        try {
            return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), P521));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot build a secp521r1 public key", e);
        }
    }

    /** The public half of a secp521r1 private key (d·G), e.g. for a UV that holds only its private key. */
    public static ECPublicKey publicKeyOf(ECPrivateKey key) {
        if (!P521.getOrder().equals(key.getParams().getOrder())) {
            throw new IllegalArgumentException("host private key: must be an EC secp521r1 key");
        }
        X9ECParameters bc = ECNamedCurveTable.getByName("secp521r1");
        org.bouncycastle.math.ec.ECPoint q = bc.getG().multiply(key.getS()).normalize();
        try {
            return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(
                    new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()), P521));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot build a secp521r1 public key", e);
        }
    }

    /** A fresh secp521r1 key pair. */
    public static KeyPair generateKeyPair(SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp521r1"), random);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot generate secp521r1 keys", e);
        }
    }

    private static AlgorithmIdentifier algorithmOf(PublicKey key) {
        byte[] encoded = key.getEncoded();
        if (encoded == null) {
            return null;
        }
        try {
            return SubjectPublicKeyInfo.getInstance(encoded).getAlgorithm();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void putPadded(BigInteger v, byte[] out, int off) {
        byte[] b = v.toByteArray();
        int start = 0;
        while (start < b.length - 1 && b[start] == 0) {
            start++; // drop the sign byte
        }
        int len = b.length - start;
        if (len > COORDINATE_SIZE) {
            throw new IllegalArgumentException("EC coordinate longer than " + COORDINATE_SIZE + " bytes");
        }
        System.arraycopy(b, start, out, off + PADDED_COORDINATE_SIZE - len, len);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static ECParameterSpec p521() {
        try {
            AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
            params.init(new ECGenParameterSpec("secp521r1"));
            return params.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
