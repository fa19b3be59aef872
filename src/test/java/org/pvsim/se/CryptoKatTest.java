package org.pvsim.se;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.HexFormat;
import org.bouncycastle.asn1.sec.SECNamedCurves;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.agreement.ECDHBasicAgreement;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.KDF2BytesGenerator;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.KDFParameters;
import org.bouncycastle.util.BigIntegers;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Known answers for AES-256-GCM and the key-slot KEK derivation, each against an independent source. */
class CryptoKatTest {
    private static final HexFormat HEX = HexFormat.of();

    /** NIST GCM specification (McGrew/Viega), test case 16: AES-256, 60-byte plaintext, 20-byte AAD. */
    @Test
    void gcmTestCase16() {
        byte[] key = HEX.parseHex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
        byte[] iv = HEX.parseHex("cafebabefacedbaddecaf888");
        byte[] aad = HEX.parseHex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
        byte[] plain = HEX.parseHex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
        String cipher = "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662";
        String tag = "76fc6ece0f4e1768cddf8853bb2d551b";
        byte[] sealed = Gcm.seal(key, iv, aad, plain);
        assertThat(HEX.formatHex(sealed)).isEqualTo(cipher + tag);
        assertThat(Gcm.open(key, iv, aad, sealed)).isEqualTo(plain);
        sealed[sealed.length - 1] ^= 1;
        assertThat(Gcm.open(key, iv, aad, sealed)).isNull();
    }

    /** NIST GCM test case 14: AES-256, zero key and IV, one zero block, no AAD (the key slots' shape). */
    @Test
    void gcmTestCase14() {
        byte[] sealed = Gcm.seal(new byte[32], new byte[12], new byte[0], new byte[16]);
        assertThat(HEX.formatHex(sealed)).isEqualTo("cea7403d4d606b6e074ec5d3baf39d18" + "d0d1c8a799996bf0265b98b5d48ab919");
    }

    /**
     * KEK = SHA-256(Z ‖ 00000001), checked against Bouncy Castle's lightweight ECDH (its own EC arithmetic)
     * and its ISO 18033 KDF2, which is the X9.63 KDF with the counter starting at 1.
     */
    @RepeatedTest(3)
    void kekMatchesBouncyCastle() {
        SecureRandom rnd = new SecureRandom();
        KeyPair customer = P521.generate(rnd);
        KeyPair host = P521.generate(rnd);
        byte[] ours = P521.kek((ECPrivateKey) customer.getPrivate(), (ECPublicKey) host.getPublic());
        byte[] theirs = P521.kek((ECPrivateKey) host.getPrivate(), (ECPublicKey) customer.getPublic());
        assertThat(ours).isEqualTo(theirs);
        assertThat(ours).isEqualTo(bouncyCastleKek((ECPrivateKey) customer.getPrivate(), (ECPublicKey) host.getPublic()));
    }

    private static byte[] bouncyCastleKek(ECPrivateKey priv, ECPublicKey pub) {
        X9ECParameters x9 = SECNamedCurves.getByName("secp521r1");
        ECDomainParameters dom = new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH());
        ECDHBasicAgreement agreement = new ECDHBasicAgreement();
        agreement.init(new ECPrivateKeyParameters(priv.getS(), dom));
        BigInteger z = agreement.calculateAgreement(new ECPublicKeyParameters(
                x9.getCurve().createPoint(pub.getW().getAffineX(), pub.getW().getAffineY()), dom));
        KDF2BytesGenerator kdf = new KDF2BytesGenerator(new SHA256Digest());
        kdf.init(new KDFParameters(BigIntegers.asUnsignedByteArray(66, z), null));
        byte[] out = new byte[32];
        kdf.generateBytes(out, 0, 32);
        return out;
    }

    @Test
    void publicKeyOfPrivateKeyMatchesTheGeneratedOne() {
        KeyPair kp = P521.generate(new SecureRandom());
        assertThat(P521.encodePublicKey(P521.publicKeyOf((ECPrivateKey) kp.getPrivate())))
                .isEqualTo(P521.encodePublicKey((ECPublicKey) kp.getPublic()));
    }

    @Test
    void paddedFormRoundTrips() {
        KeyPair kp = P521.generate(new SecureRandom());
        byte[] xy = P521.encodePublicKey((ECPublicKey) kp.getPublic());
        assertThat(xy).hasSize(160);
        assertThat(java.util.Arrays.copyOf(xy, 14)).containsOnly(0);
        assertThat(P521.decodePublicKey(xy, 0).getW()).isEqualTo(((ECPublicKey) kp.getPublic()).getW());
    }
}
