package org.pvsim.se;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pvsim.image.hostkey.TestPki;

class PemTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static KeyPair hostKeys;
    private static TestPki pki;

    @BeforeAll
    static void keys() {
        hostKeys = HostKeys.generateKeyPair(RANDOM);
        pki = TestPki.create(2, TestPki.CaKeyType.P521, Instant.now(), RANDOM);
    }

    /** PEM as Bouncy Castle's OpenSSL-compatible writer produces it: EC keys come out as SEC1 "EC PRIVATE KEY". */
    private static byte[] bouncyCastlePem(Object o) throws Exception {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(o);
        }
        return sw.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void pkcs8PemRoundTrips() {
        byte[] pem = Pem.writePrivateKey(hostKeys.getPrivate());
        assertThat(new String(pem, StandardCharsets.US_ASCII)).startsWith("-----BEGIN PRIVATE KEY-----\n")
                .endsWith("-----END PRIVATE KEY-----\n");
        ECPrivateKey back = Pem.readPrivateKey(pem);
        assertThat(back.getS()).isEqualTo(((ECPrivateKey) hostKeys.getPrivate()).getS());
        assertThat(back.getEncoded()).isEqualTo(hostKeys.getPrivate().getEncoded());
    }

    @Test
    void pkcs8DerIsRead() {
        ECPrivateKey back = Pem.readPrivateKey(hostKeys.getPrivate().getEncoded());
        assertThat(back.getS()).isEqualTo(((ECPrivateKey) hostKeys.getPrivate()).getS());
    }

    /** SEC1 as OpenSSL writes it: ECPrivateKey {1, d, [0] curve OID, [1] public point}. */
    private static byte[] sec1Pem(KeyPair keys) throws Exception {
        var pkcs8 = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
        var spki = org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
        int bits = ((ECPrivateKey) keys.getPrivate()).getParams().getOrder().bitLength();
        var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(bits, ((ECPrivateKey) keys.getPrivate()).getS(),
                spki.getPublicKeyData(), pkcs8.getPrivateKeyAlgorithm().getParameters());
        return bouncyCastlePem(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
    }

    @Test
    void sec1WithoutCurveIsRefused() throws Exception {
        // Bouncy Castle's writer copies the JDK's inner SEC1, which leaves the curve to PKCS#8.
        assertThatThrownBy(() -> Pem.readPrivateKey(bouncyCastlePem(hostKeys)))
                .hasMessage("SEC1 EC private key without curve parameters: cannot tell its curve");
    }

    @Test
    void sec1PemAndDerAreRead() throws Exception {
        byte[] sec1Pem = sec1Pem(hostKeys);
        assertThat(new String(sec1Pem, StandardCharsets.US_ASCII)).contains("-----BEGIN EC PRIVATE KEY-----");
        ECPrivateKey expected = (ECPrivateKey) hostKeys.getPrivate();
        assertThat(Pem.readPrivateKey(sec1Pem).getS()).isEqualTo(expected.getS());
        byte[] sec1Der = new org.bouncycastle.util.io.pem.PemReader(new java.io.StringReader(
                new String(sec1Pem, StandardCharsets.US_ASCII))).readPemObject().getContent();
        assertThat(Pem.readPrivateKey(sec1Der).getS()).isEqualTo(expected.getS());
        // "openssl ecparam -genkey" puts an EC PARAMETERS block first: it is skipped.
        byte[] withParams = ascii("-----BEGIN EC PARAMETERS-----\nBgUrgQQAIw==\n-----END EC PARAMETERS-----\n"
                + new String(sec1Pem, StandardCharsets.US_ASCII));
        assertThat(Pem.readPrivateKey(withParams).getS()).isEqualTo(expected.getS());
    }

    @Test
    void rsaKeysAreRefusedWithTheirSize() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048, RANDOM);
        KeyPair rsa = g.generateKeyPair();
        String expected = "private key: must be an EC secp521r1 key (found RSA 2048)";
        assertThatThrownBy(() -> Pem.readPrivateKey(Pem.writePrivateKey(rsa.getPrivate())))
                .isInstanceOf(PemException.class).hasMessage(expected);
        assertThatThrownBy(() -> Pem.readPrivateKey(rsa.getPrivate().getEncoded())).hasMessage(expected);
        byte[] pkcs1 = bouncyCastlePem(rsa); // "RSA PRIVATE KEY"
        assertThat(new String(pkcs1, StandardCharsets.US_ASCII)).contains("BEGIN RSA PRIVATE KEY");
        assertThatThrownBy(() -> Pem.readPrivateKey(pkcs1)).hasMessage(expected);
    }

    @Test
    void otherCurvesAreRefusedByName() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"), RANDOM);
        KeyPair p384 = g.generateKeyPair();
        String expected = "private key: must be an EC secp521r1 key (found EC secp384r1)";
        assertThatThrownBy(() -> Pem.readPrivateKey(Pem.writePrivateKey(p384.getPrivate()))).hasMessage(expected);
        assertThatThrownBy(() -> Pem.readPrivateKey(sec1Pem(p384))).hasMessage(expected);
    }

    @Test
    void encryptedKeysAreRefused() throws Exception {
        var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                .setPassword("secret".toCharArray()).setRandom(RANDOM).build();
        PemObject encrypted = new JcaPKCS8Generator(hostKeys.getPrivate(), encryptor).generate();
        byte[] pkcs8 = bouncyCastlePem(encrypted);
        assertThatThrownBy(() -> Pem.readPrivateKey(pkcs8)).hasMessageContaining("the private key is encrypted");
        assertThatThrownBy(() -> Pem.readPrivateKey(encrypted.getContent()))
                .hasMessageContaining("the private key is encrypted");
        StringWriter sw = new StringWriter(); // legacy OpenSSL encryption: "Proc-Type: 4,ENCRYPTED"
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(hostKeys, new JcePEMEncryptorBuilder("AES-256-CBC")
                    .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider()).build("secret".toCharArray()));
        }
        assertThat(sw.toString()).contains("Proc-Type: 4,ENCRYPTED");
        assertThatThrownBy(() -> Pem.readPrivateKey(ascii(sw.toString())))
                .hasMessageContaining("the private key is encrypted");
    }

    @Test
    void garbageEmptyAndTruncatedInputsGetPreciseErrors() {
        assertThatThrownBy(() -> Pem.readPrivateKey(new byte[0]))
                .isInstanceOf(PemException.class).hasMessage("empty input: expected a PEM or DER private key");
        assertThatThrownBy(() -> Pem.readCertificates(ascii("  \n")))
                .hasMessage("empty input: expected a PEM or DER certificate");
        assertThatThrownBy(() -> Pem.readPrivateKey(ascii("hello world")))
                .hasMessageContaining("neither PEM (no '-----BEGIN' line) nor DER (first byte 0x68, expected 0x30)");
        String pem = new String(Pem.writePrivateKey(hostKeys.getPrivate()), StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> Pem.readPrivateKey(ascii(pem.substring(0, pem.length() / 2))))
                .hasMessage("PEM block 'PRIVATE KEY' has no '-----END PRIVATE KEY-----' line (truncated?)");
        assertThatThrownBy(() -> Pem.readPrivateKey(ascii(pem.replace("-----BEGIN PRIVATE KEY-----\n",
                "-----BEGIN PRIVATE KEY-----\n!!!!"))))
                .hasMessageStartingWith("PEM block 'PRIVATE KEY' is not valid base64");
        byte[] der = hostKeys.getPrivate().getEncoded();
        assertThatThrownBy(() -> Pem.readPrivateKey(Arrays.copyOf(der, der.length - 10)))
                .hasMessageStartingWith("not a private key: malformed DER");
        assertThatThrownBy(() -> Pem.readPrivateKey(Pem.writeCertificate(pki.root().certificate())))
                .hasMessage("no private key found (PEM blocks present: CERTIFICATE)");
        assertThatThrownBy(() -> Pem.readPrivateKey(ascii("-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n")))
                .hasMessage("PEM block 'PRIVATE KEY' is empty");
    }

    @Test
    void certificatesRoundTripOneOrSeveralPemOrDer() throws Exception {
        List<X509Certificate> chain = pki.chainCertificates();
        assertThat(Pem.readCertificates(Pem.writeCertificates(chain))).isEqualTo(chain);
        X509Certificate hkd = pki.hosts().get(0).document();
        assertThat(Pem.readCertificates(Pem.writeCertificate(hkd))).containsExactly(hkd);
        assertThat(Pem.readCertificates(hkd.getEncoded())).containsExactly(hkd);
        // Text before and between blocks (as "openssl x509 -text" leaves) is ignored.
        byte[] withText = ascii("Certificate:\n  Data: ...\n" + new String(Pem.writeCertificate(hkd),
                StandardCharsets.US_ASCII));
        assertThat(Pem.readCertificates(withText)).containsExactly(hkd);
    }

    @Test
    void certificateErrors() throws Exception {
        assertThatThrownBy(() -> Pem.readCertificates(Pem.writePrivateKey(hostKeys.getPrivate())))
                .hasMessage("no certificate found (PEM blocks present: PRIVATE KEY)");
        byte[] der = pki.root().certificate().getEncoded();
        assertThatThrownBy(() -> Pem.readCertificates(Arrays.copyOf(der, der.length - 1)))
                .hasMessageStartingWith("not a certificate: malformed DER");
        byte[] notACert = Pem.writePrivateKey(hostKeys.getPrivate());
        String asCert = new String(notACert, StandardCharsets.US_ASCII).replace("PRIVATE KEY", "CERTIFICATE");
        assertThatThrownBy(() -> Pem.readCertificates(ascii(asCert)))
                .hasMessageStartingWith("certificate is not a valid X.509 certificate");
    }

    @Test
    void crlsRoundTrip() throws Exception {
        X509CRL crl = pki.crl();
        assertThat(Pem.readCrls(Pem.writeCrl(crl))).containsExactly(crl);
        assertThat(Pem.readCrls(crl.getEncoded())).containsExactly(crl);
        assertThatThrownBy(() -> Pem.readCrls(Pem.writeCertificate(pki.root().certificate())))
                .hasMessage("no CRL found (PEM blocks present: CERTIFICATE)");
    }
}
