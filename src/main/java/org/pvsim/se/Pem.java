package org.pvsim.se;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * Reads and writes the PEM and DER encodings of host keys, certificates and CRLs, over bytes only.
 *
 * <p>Private keys must be EC secp521r1 (the only host key type Secure Execution knows); they may come
 * as PKCS#8 ("PRIVATE KEY") or SEC1 ("EC PRIVATE KEY", what {@code openssl ecparam -genkey} writes).
 * Errors are {@link PemException}s whose message says what was found instead.
 */
public final class Pem {
    private static final Pattern BEGIN = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----");
    private static final int LINE = 64;

    private Pem() {
    }

    /** One PEM block: its label, whether its headers say it is encrypted, and the decoded body. */
    private record Block(String label, boolean encrypted, byte[] der) {
    }

    // ---------------------------------------------------------------------------------- private keys

    /** Reads one secp521r1 private key from PEM (PKCS#8 or SEC1) or DER (PKCS#8 or SEC1). */
    public static ECPrivateKey readPrivateKey(byte[] pemOrDer) {
        byte[] der;
        if (isPem(pemOrDer)) {
            List<Block> keys = new ArrayList<>();
            Set<String> others = new LinkedHashSet<>();
            for (Block b : blocks(pemOrDer)) {
                if (b.label().endsWith("PRIVATE KEY")) {
                    keys.add(b);
                } else {
                    others.add(b.label());
                }
            }
            if (keys.isEmpty()) {
                throw new PemException("no private key found (PEM blocks present: " + String.join(", ", others) + ")");
            }
            if (keys.size() > 1) {
                throw new PemException("more than one private key found (" + keys.size() + " PEM PRIVATE KEY blocks)");
            }
            Block key = keys.get(0);
            if (key.encrypted() || key.label().equals("ENCRYPTED PRIVATE KEY")) {
                throw new PemException("the private key is encrypted (passphrase-protected); pvsim needs it unencrypted");
            }
            switch (key.label()) {
                case "PRIVATE KEY", "EC PRIVATE KEY" -> { }
                case "RSA PRIVATE KEY" -> throw new PemException(
                        "private key: must be an EC secp521r1 key (found RSA" + rsaBitsSuffix(key.der()) + ")");
                case "DSA PRIVATE KEY" -> throw new PemException(
                        "private key: must be an EC secp521r1 key (found DSA)");
                default -> throw new PemException("unsupported private key PEM type '" + key.label() + "'");
            }
            der = key.der();
        } else {
            der = requireDer(pemOrDer, "private key");
        }
        return decodePrivateKey(der);
    }

    private static ECPrivateKey decodePrivateKey(byte[] der) {
        try {
            return decodePrivateKeyStructure(der);
        } catch (PemException e) {
            throw e;
        } catch (RuntimeException e) { // Bouncy Castle's ASN.1 classes complain with IllegalArgument/State
            throw new PemException("not a valid private key: " + e.getMessage(), e);
        }
    }

    private static ECPrivateKey decodePrivateKeyStructure(byte[] der) {
        ASN1Sequence seq = sequence(der, "private key");
        PrivateKeyInfo pkcs8;
        if (seq.size() >= 3 && seq.getObjectAt(0) instanceof ASN1Integer
                && seq.getObjectAt(1) instanceof ASN1Sequence) {
            pkcs8 = PrivateKeyInfo.getInstance(seq);
        } else if (seq.size() >= 2 && seq.getObjectAt(0) instanceof ASN1Integer v && v.hasValue(1)
                && seq.getObjectAt(1) instanceof ASN1OctetString) {
            pkcs8 = fromSec1(seq);
        } else if (seq.size() == 2 && seq.getObjectAt(0) instanceof ASN1Sequence
                && seq.getObjectAt(1) instanceof ASN1OctetString) {
            throw new PemException("the private key is encrypted (PKCS#8 EncryptedPrivateKeyInfo); pvsim needs it unencrypted");
        } else if (seq.size() >= 9 && allIntegers(seq)) {
            BigInteger modulus = ASN1Integer.getInstance(seq.getObjectAt(1)).getValue();
            throw new PemException("private key: must be an EC secp521r1 key (found RSA " + modulus.bitLength() + ")");
        } else {
            throw new PemException("not a private key: the DER structure is neither PKCS#8 nor SEC1");
        }
        AlgorithmIdentifier alg = pkcs8.getPrivateKeyAlgorithm();
        if (!KeyDescription.isP521(alg)) {
            int bits = alg.getAlgorithm().equals(KeyDescription.RSA) ? rsaBitsOf(pkcs8) : 0;
            throw new PemException("private key: must be an EC secp521r1 key (found "
                    + KeyDescription.describe(alg, bits) + ")");
        }
        ECPrivateKey key;
        try {
            key = (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8.getEncoded()));
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            throw new PemException("not a valid EC private key: " + e.getMessage(), e);
        }
        BigInteger s = key.getS();
        if (s.signum() <= 0 || s.compareTo(key.getParams().getOrder()) >= 0) {
            throw new PemException("not a valid EC private key: the scalar is outside [1, n-1] of secp521r1");
        }
        return key;
    }

    /** SEC1 ECPrivateKey {version 1, privateKey, [0] parameters, [1] publicKey} wrapped as PKCS#8. */
    private static PrivateKeyInfo fromSec1(ASN1Sequence seq) {
        org.bouncycastle.asn1.sec.ECPrivateKey sec1;
        try {
            sec1 = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(seq);
        } catch (RuntimeException e) {
            throw new PemException("not a valid SEC1 EC private key: " + e.getMessage(), e);
        }
        org.bouncycastle.asn1.ASN1Object params = sec1.getParametersObject();
        if (params == null) {
            throw new PemException("SEC1 EC private key without curve parameters: cannot tell its curve");
        }
        try {
            return new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, params), sec1);
        } catch (IOException e) {
            throw new PemException("not a valid SEC1 EC private key: " + e.getMessage(), e);
        }
    }

    private static boolean allIntegers(ASN1Sequence seq) {
        for (ASN1Encodable e : seq) {
            if (!(e instanceof ASN1Integer)) {
                return false;
            }
        }
        return true;
    }

    private static int rsaBitsOf(PrivateKeyInfo pkcs8) {
        try {
            return RSAPrivateKey.getInstance(pkcs8.parsePrivateKey()).getModulus().bitLength();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static String rsaBitsSuffix(byte[] pkcs1) {
        try {
            return " " + RSAPrivateKey.getInstance(ASN1Primitive.fromByteArray(pkcs1)).getModulus().bitLength();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** PKCS#8 PEM ("PRIVATE KEY") of any private key whose encoding is PKCS#8 (all JDK keys). */
    public static byte[] writePrivateKey(PrivateKey key) {
        if (!"PKCS#8".equals(key.getFormat()) || key.getEncoded() == null) {
            throw new IllegalArgumentException("private key has no PKCS#8 encoding (format " + key.getFormat() + ")");
        }
        return pem("PRIVATE KEY", key.getEncoded());
    }

    // ---------------------------------------------------------------------------------- certificates

    /** Reads all X.509 certificates of the input: one or several PEM blocks, or one DER certificate. */
    public static List<X509Certificate> readCertificates(byte[] pemOrDer) {
        List<X509Certificate> certs = new ArrayList<>();
        for (byte[] der : bodies(pemOrDer, "certificate", Set.of("CERTIFICATE", "X509 CERTIFICATE"))) {
            try {
                certs.add((X509Certificate) certificateFactory().generateCertificate(new ByteArrayInputStream(der)));
            } catch (CertificateException | RuntimeException e) {
                throw new PemException(ordinal(certs.size()) + "certificate is not a valid X.509 certificate: "
                        + e.getMessage(), e);
            }
        }
        return List.copyOf(certs);
    }

    public static byte[] writeCertificate(X509Certificate cert) {
        try {
            return pem("CERTIFICATE", cert.getEncoded());
        } catch (CertificateException e) {
            throw new IllegalArgumentException("cannot encode certificate: " + e.getMessage(), e);
        }
    }

    /** The certificates one after the other, as a PEM bundle. */
    public static byte[] writeCertificates(List<X509Certificate> certs) {
        StringBuilder sb = new StringBuilder();
        for (X509Certificate c : certs) {
            sb.append(new String(writeCertificate(c), StandardCharsets.US_ASCII));
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    // ---------------------------------------------------------------------------------- CRLs

    /** Reads all X.509 CRLs of the input: one or several PEM "X509 CRL" blocks, or one DER CRL. */
    public static List<X509CRL> readCrls(byte[] pemOrDer) {
        List<X509CRL> crls = new ArrayList<>();
        for (byte[] der : bodies(pemOrDer, "CRL", Set.of("X509 CRL"))) {
            try {
                crls.add((X509CRL) certificateFactory().generateCRL(new ByteArrayInputStream(der)));
            } catch (CRLException | RuntimeException e) {
                throw new PemException(ordinal(crls.size()) + "CRL is not a valid X.509 CRL: " + e.getMessage(), e);
            }
        }
        return List.copyOf(crls);
    }

    public static byte[] writeCrl(X509CRL crl) {
        try {
            return pem("X509 CRL", crl.getEncoded());
        } catch (CRLException e) {
            throw new IllegalArgumentException("cannot encode CRL: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------------------------- plumbing

    private static CertificateFactory certificateFactory() {
        try {
            return CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("the JDK has no X.509 certificate factory", e);
        }
    }

    private static String ordinal(int index) {
        return index == 0 ? "" : "the " + (index + 1) + ". ";
    }

    /** The DER bodies of the blocks with one of the labels (PEM), or the whole input (DER). */
    private static List<byte[]> bodies(byte[] pemOrDer, String what, Set<String> labels) {
        if (!isPem(pemOrDer)) {
            return List.of(requireDer(pemOrDer, what));
        }
        List<byte[]> out = new ArrayList<>();
        Set<String> others = new LinkedHashSet<>();
        for (Block b : blocks(pemOrDer)) {
            if (labels.contains(b.label())) {
                out.add(b.der());
            } else {
                others.add(b.label());
            }
        }
        if (out.isEmpty()) {
            throw new PemException("no " + what + " found (PEM blocks present: " + String.join(", ", others) + ")");
        }
        return out;
    }

    private static boolean isPem(byte[] data) {
        return new String(data, StandardCharsets.ISO_8859_1).contains("-----BEGIN ");
    }

    /** The input as one complete DER object, or a precise complaint about what it is instead. */
    private static byte[] requireDer(byte[] data, String what) {
        if (new String(data, StandardCharsets.ISO_8859_1).isBlank()) {
            throw new PemException("empty input: expected a PEM or DER " + what);
        }
        if ((data[0] & 0xff) != 0x30) {
            throw new PemException("not a " + what + ": neither PEM (no '-----BEGIN' line) nor DER (first byte 0x"
                    + String.format("%02x", data[0] & 0xff) + ", expected 0x30)");
        }
        sequence(data, what); // complete and well-formed, nothing trailing
        return data;
    }

    private static ASN1Sequence sequence(byte[] der, String what) {
        ASN1Primitive p;
        try {
            p = ASN1Primitive.fromByteArray(der);
        } catch (IOException | RuntimeException e) {
            throw new PemException("not a " + what + ": malformed DER (" + e.getMessage() + ")", e);
        }
        if (!(p instanceof ASN1Sequence seq)) {
            throw new PemException("not a " + what + ": DER is not a SEQUENCE");
        }
        return seq;
    }

    private static List<Block> blocks(byte[] data) {
        String text = new String(data, StandardCharsets.ISO_8859_1);
        List<Block> blocks = new ArrayList<>();
        Matcher begin = BEGIN.matcher(text);
        int from = 0;
        while (begin.find(from)) {
            String label = begin.group(1);
            String endLine = "-----END " + label + "-----";
            int end = text.indexOf(endLine, begin.end());
            if (end < 0) {
                throw new PemException("PEM block '" + label + "' has no '" + endLine + "' line (truncated?)");
            }
            blocks.add(decodeBlock(label, text.substring(begin.end(), end)));
            from = end + endLine.length();
        }
        if (blocks.isEmpty()) {
            throw new PemException("malformed PEM: no complete '-----BEGIN ...-----' line");
        }
        return blocks;
    }

    /** RFC 7468 body plus the RFC 1421 headers OpenSSL writes for encrypted keys ("Proc-Type: 4,ENCRYPTED"). */
    private static Block decodeBlock(String label, String body) {
        StringBuilder base64 = new StringBuilder();
        boolean encrypted = false;
        for (String line : body.split("\r?\n|\r")) {
            if (line.contains(":")) {
                encrypted |= line.startsWith("Proc-Type:") && line.contains("ENCRYPTED");
                continue;
            }
            base64.append(line.strip());
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64.toString());
        } catch (IllegalArgumentException e) {
            throw new PemException("PEM block '" + label + "' is not valid base64: " + e.getMessage(), e);
        }
        if (der.length == 0) {
            throw new PemException("PEM block '" + label + "' is empty");
        }
        return new Block(label, encrypted, der);
    }

    private static byte[] pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(LINE, new byte[] {'\n'}).encodeToString(der);
        String text = "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
