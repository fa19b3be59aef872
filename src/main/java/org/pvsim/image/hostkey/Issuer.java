package org.pvsim.image.hostkey;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Something that signs certificates and CRLs: a CA, or the IBM Z signing key (which issues host-key
 * documents without being a CA). The JDK cannot issue X.509 objects; Bouncy Castle's PKIX does.
 *
 * @param certificate the issuer's own certificate (its subject becomes the issuer name)
 * @param key the private key that signs; a different key than the certificate's makes bad signatures on purpose
 */
public record Issuer(X509Certificate certificate, PrivateKey key) {

    /** What a certificate is for: decides basic constraints and key usage. */
    public enum Profile {
        /** A root or intermediate CA: CA:true, keyCertSign + cRLSign. */
        CA(true, KeyUsage.keyCertSign | KeyUsage.cRLSign),
        /** The IBM Z signing key: not a CA, digitalSignature + cRLSign. */
        SIGNING_KEY(false, KeyUsage.digitalSignature | KeyUsage.cRLSign),
        /** A host-key document: not a CA, its ECDH key is for key agreement. */
        HOST_KEY_DOCUMENT(false, KeyUsage.keyAgreement);

        private final boolean ca;
        private final int keyUsage;

        Profile(boolean ca, int keyUsage) {
            this.ca = ca;
            this.keyUsage = keyUsage;
        }
    }

    private static final SecureRandom SERIALS = new SecureRandom();

    /** A self-signed root CA. */
    public static Issuer selfSignedRoot(X500Name subject, KeyPair keys, Instant notBefore, Instant notAfter) {
        X509Certificate cert = build(subject, keys.getPublic(), subject, keys.getPrivate(), null,
                Profile.CA, notBefore, notAfter);
        return new Issuer(cert, keys.getPrivate());
    }

    /** A self-signed certificate of any profile (e.g. a host-key document nobody vouches for). */
    public static X509Certificate selfSigned(X500Name subject, KeyPair keys, Profile profile,
            Instant notBefore, Instant notAfter) {
        return build(subject, keys.getPublic(), subject, keys.getPrivate(), null, profile, notBefore, notAfter);
    }

    /** Issues a certificate for {@code key}, named {@code subject}, signed by this issuer. */
    public X509Certificate issue(X500Name subject, PublicKey subjectKey, Profile profile,
            Instant notBefore, Instant notAfter) {
        return build(subject, subjectKey, subjectName(), key, certificate.getPublicKey(), profile, notBefore, notAfter);
    }

    /** Issues a certificate and returns it with its private key, ready to issue in turn. */
    public Issuer issueIssuer(X500Name subject, KeyPair keys, Profile profile, Instant notBefore, Instant notAfter) {
        return new Issuer(issue(subject, keys.getPublic(), profile, notBefore, notAfter), keys.getPrivate());
    }

    /** A v2 CRL of this issuer listing the given serial numbers as revoked (key compromise). */
    public X509CRL crl(List<BigInteger> revoked, Instant thisUpdate, Instant nextUpdate) {
        X509v2CRLBuilder b = new X509v2CRLBuilder(subjectName(), Date.from(thisUpdate));
        b.setNextUpdate(Date.from(nextUpdate));
        for (BigInteger serial : revoked) {
            b.addCRLEntry(serial, Date.from(thisUpdate), CRLReason.keyCompromise);
        }
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.authorityKeyIdentifier, false,
                    ext.createAuthorityKeyIdentifier(certificate.getPublicKey()));
            b.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.ONE));
            X509CRLHolder holder = b.build(signer(key));
            return new JcaX509CRLConverter().getCRL(holder);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot issue a CRL: " + e.getMessage(), e);
        }
    }

    public X500Name subjectName() {
        return X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    }

    /** SHA-512 signatures, with ECDSA or RSA PKCS#1 v1.5 as the key says. */
    static String signatureAlgorithm(PrivateKey key) {
        return key instanceof ECKey ? "SHA512withECDSA" : "SHA512withRSA";
    }

    private static ContentSigner signer(PrivateKey key) {
        try {
            return new JcaContentSignerBuilder(signatureAlgorithm(key)).build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign with " + key.getAlgorithm() + ": " + e.getMessage(), e);
        }
    }

    private static X509Certificate build(X500Name subject, PublicKey subjectKey, X500Name issuer,
            PrivateKey signingKey, PublicKey issuerKey, Profile profile, Instant notBefore, Instant notAfter) {
        BigInteger serial = new BigInteger(63, SERIALS).add(BigInteger.ONE);
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, serial,
                Date.from(notBefore), Date.from(notAfter), subject, subjectKey);
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(profile.ca));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(profile.keyUsage));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKey));
            b.addExtension(Extension.authorityKeyIdentifier, false,
                    ext.createAuthorityKeyIdentifier(issuerKey != null ? issuerKey : subjectKey));
            X509CertificateHolder holder = b.build(signer(signingKey));
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot issue a certificate: " + e.getMessage(), e);
        }
    }
}
