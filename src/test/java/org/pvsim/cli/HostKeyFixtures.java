package org.pvsim.cli;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Self-signed host-key documents and PEM private keys for CLI tests (independent of the hostkey package). */
final class HostKeyFixtures {
    private HostKeyFixtures() {
    }

    static KeyPair ec(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }

    static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    /** A self-signed certificate for the key pair, written as PEM. */
    static Path certificate(Path dir, String name, KeyPair kp) throws Exception {
        X500Name subject = new X500Name("CN=" + name + ", O=pvsim test");
        long now = System.currentTimeMillis();
        var builder = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(now), new Date(now - 86_400_000L),
                new Date(now + 86_400_000L), subject, kp.getPublic());
        String alg = kp.getPublic().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA512withECDSA";
        var cert = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder(alg).build(kp.getPrivate())));
        return pem(dir.resolve(name + ".crt"), cert);
    }

    /** PKCS#8 "PRIVATE KEY" PEM, as openssl genpkey writes it. */
    static Path privateKey(Path dir, String name, KeyPair kp) throws IOException {
        String b64 = java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(kp.getPrivate().getEncoded());
        return Files.writeString(dir.resolve(name + ".key"),
                "-----BEGIN PRIVATE KEY-----\n" + b64 + "\n-----END PRIVATE KEY-----\n");
    }

    private static Path pem(Path p, Object o) throws IOException {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(o);
        }
        Files.writeString(p, sw.toString());
        return p;
    }
}
