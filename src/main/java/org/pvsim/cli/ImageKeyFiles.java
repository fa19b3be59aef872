package org.pvsim.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.pvsim.se.P521;

/**
 * Reads the files the image commands take: raw key files, PEM/DER private keys, certificates and CRLs, each
 * with a one-line error naming the file.
 */
final class ImageKeyFiles {
    /** Nothing these commands read as a whole is anywhere near this big. */
    private static final long MAX_SIZE = 16 << 20;

    private static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();

    private ImageKeyFiles() {
    }

    static byte[] read(Path p, String what) throws IOException {
        if (Files.isDirectory(p)) {
            throw new IllegalArgumentException(what + " " + p + " is a directory");
        }
        if (!Files.exists(p)) {
            throw new java.nio.file.NoSuchFileException(p + " (" + what + ")");
        }
        if (Files.size(p) > MAX_SIZE) {
            throw new IllegalArgumentException(what + " " + p + " is too large (" + Files.size(p) + " bytes)");
        }
        try {
            return Files.readAllBytes(p);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new java.nio.file.AccessDeniedException(p + " (" + what + ")");
        }
    }

    /** A raw binary key of an exact size (pvimg's --hdr-key, --image-key, --cck files). */
    static byte[] rawKey(Path p, String option, int size) throws IOException {
        if (p == null) {
            return null;
        }
        byte[] k = read(p, option + " key file");
        if (k.length != size) {
            throw new IllegalArgumentException(option + " " + p + ": key must be " + size + " bytes, the file has "
                    + k.length);
        }
        return k;
    }

    /** A host private key (PKCS#8 "PRIVATE KEY", SEC1 "EC PRIVATE KEY", or DER PKCS#8) on P-521. */
    static ECPrivateKey hostPrivateKey(Path p) throws IOException {
        byte[] b = read(p, "host key");
        PrivateKey key;
        try {
            key = parsePrivateKey(b);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("host key " + p + ": not a PEM or DER private key ("
                    + e.getMessage() + ")");
        }
        if (!(key instanceof ECPrivateKey ec) || !P521.isP521(ec)) {
            throw new IllegalArgumentException("host key " + p + ": must be an EC secp521r1 key (found "
                    + describe(key) + ")");
        }
        try {
            // Re-create as a JDK key so the JDK's ECDH takes it whichever provider parsed it.
            return (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(
                    new java.security.spec.ECPrivateKeySpec(ec.getS(), P521.params()));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("host key " + p + ": " + e.getMessage());
        }
    }

    private static PrivateKey parsePrivateKey(byte[] b) throws IOException, GeneralSecurityException {
        String text = new String(b, StandardCharsets.ISO_8859_1);
        if (text.contains("-----BEGIN")) {
            try (PEMParser parser = new PEMParser(new StringReader(text))) {
                for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                    // Bouncy Castle's own provider keeps the curve of SEC1 keys, the JDK's cannot read them.
                    JcaPEMKeyConverter conv = new JcaPEMKeyConverter().setProvider(BC);
                    if (o instanceof PEMKeyPair kp) {
                        return conv.getPrivateKey(kp.getPrivateKeyInfo());
                    }
                    if (o instanceof PrivateKeyInfo pki) {
                        return conv.getPrivateKey(pki);
                    }
                }
            }
            throw new IOException("no private key in the PEM data");
        }
        PrivateKeyInfo pki = PrivateKeyInfo.getInstance(b);
        String alg = pki.getPrivateKeyAlgorithm().getAlgorithm().getId().equals("1.2.840.10045.2.1") ? "EC" : "RSA";
        return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(b));
    }

    /** Certificates from a PEM (one or more) or DER file. */
    static List<X509Certificate> certificates(Path p, String what) throws IOException {
        byte[] b = read(p, what);
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(b))) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new CertificateException("no certificate found");
            }
            return out;
        } catch (CertificateException e) {
            throw new IllegalArgumentException(what + " " + p + ": not an X.509 certificate in PEM or DER ("
                    + e.getMessage() + ")");
        }
    }

    static List<X509CRL> crls(Path p) throws IOException {
        byte[] b = read(p, "CRL");
        try {
            List<X509CRL> out = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCRLs(new ByteArrayInputStream(b))) {
                out.add((X509CRL) c);
            }
            if (out.isEmpty()) {
                throw new java.security.cert.CRLException("no CRL found");
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("CRL " + p + ": not an X.509 CRL in PEM or DER (" + e.getMessage() + ")");
        }
    }

    /** The host key of a host-key document, which must be P-521. */
    static ECPublicKey hostKeyOf(X509Certificate hkd, Path p) {
        PublicKey k = hkd.getPublicKey();
        if (!(k instanceof ECPublicKey ec) || !P521.isP521(ec)) {
            throw new IllegalArgumentException("host-key document " + p + ": must be an EC secp521r1 key (found "
                    + describe(k) + ")");
        }
        return ec;
    }

    static String describe(java.security.Key k) {
        if (k instanceof RSAKey rsa) {
            return "RSA " + rsa.getModulus().bitLength();
        }
        if (k instanceof java.security.interfaces.ECKey ec) {
            return "EC " + curveName(ec);
        }
        return k == null ? "nothing" : k.getAlgorithm();
    }

    private static String curveName(java.security.interfaces.ECKey ec) {
        int bits = ec.getParams().getCurve().getField().getFieldSize();
        return switch (bits) {
            case 256 -> "secp256r1";
            case 384 -> "secp384r1";
            case 521 -> "secp521r1";
            default -> bits + "-bit curve";
        };
    }
}
