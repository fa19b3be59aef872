package org.pvsim.image.hostkey;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.SignatureException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.pvsim.se.HostKeys;

/**
 * Verifies host-key documents (HKDs) against their chain of trust, as pvimg does (reference
 * se-image-format §4): HKD ← IBM Z signing key ← intermediate CA(s) ← root CA.
 *
 * <ol>
 *   <li>Exactly one of the given certificates is an IBM Z signing key ({@link IbmSigningKeyName}).</li>
 *   <li>Its chain up to the root ({@code rootCa}, else the JDK's trust store) validates with PKIX;
 *       revocation is not checked there. At most two intermediates, as pvimg's depth limit.</li>
 *   <li>Each HKD: key EC secp521r1, within its validity period, issuer = signing key subject,
 *       authority key id = the signing key's subject key id (when both are present), signature
 *       verifies with the signing key, and not revoked according to at least one valid CRL issued
 *       by the signing key. A CRL naming the signing key as issuer whose signature does not verify
 *       is an error, not something to skip.</li>
 * </ol>
 * pvsim has no network: CRLs are never downloaded from distribution points; a missing CRL is an error.
 */
public final class HostKeyDocumentVerifier {
    /** OpenSSL security level 2, as pvimg sets it: at least 112 bits of security in every key. */
    private static final int MIN_RSA_BITS = 2048;
    private static final int MIN_EC_BITS = 224;
    /** pvimg's X509_VERIFY_PARAM depth: intermediates between the signing key and the root. */
    private static final int MAX_INTERMEDIATES = 2;

    private final X509Certificate signingKey;
    private final List<X509CRL> crls;
    private final boolean offline;
    private final Date now;

    private HostKeyDocumentVerifier(X509Certificate signingKey, List<X509CRL> crls, boolean offline, Date now) {
        this.signingKey = signingKey;
        this.crls = crls;
        this.offline = offline;
        this.now = now;
    }

    /** Verifies every HKD at the current time; throws on the first failure. */
    public static void verify(List<X509Certificate> hostKeyDocuments, List<X509Certificate> certs,
            List<X509CRL> crls, X509Certificate rootCa, boolean offline) throws HostKeyVerificationException {
        verify(hostKeyDocuments, certs, crls, rootCa, offline, Instant.now());
    }

    /** As {@link #verify(List, List, List, X509Certificate, boolean)}, at a given time. */
    public static void verify(List<X509Certificate> hostKeyDocuments, List<X509Certificate> certs,
            List<X509CRL> crls, X509Certificate rootCa, boolean offline, Instant at)
            throws HostKeyVerificationException {
        if (hostKeyDocuments.isEmpty()) {
            throw new HostKeyVerificationException("no host-key document given");
        }
        Date now = Date.from(at);
        X509Certificate signingKey = findSigningKey(certs);
        if (rootCa != null && !(rootCa.getSubjectX500Principal().equals(rootCa.getIssuerX500Principal())
                && signedBy(rootCa, rootCa.getPublicKey()))) {
            // OpenSSL, as pvimg sets it up (no partial chains), only ends a chain at a self-signed root.
            throw new HostKeyVerificationException("the root CA '" + Names.display(rootCa.getSubjectX500Principal())
                    + "' is not self-signed: give the root of the chain, not an intermediate");
        }
        Set<TrustAnchor> anchors = rootCa != null ? Set.of(new TrustAnchor(rootCa, null)) : defaultTrustAnchors();
        verifyChain(signingKey, certs, anchors, now);
        HostKeyDocumentVerifier v = new HostKeyDocumentVerifier(signingKey, List.copyOf(crls), offline, now);
        for (int i = 0; i < hostKeyDocuments.size(); i++) {
            v.verifyDocument(hostKeyDocuments.get(i), label(i, hostKeyDocuments.get(i)));
        }
    }

    // ------------------------------------------------------------------------- the signing key

    private static X509Certificate findSigningKey(List<X509Certificate> certs) {
        List<X509Certificate> found = certs.stream().filter(IbmSigningKeyName::isIbmSigningKey).toList();
        if (found.isEmpty()) {
            throw new HostKeyVerificationException("please specify at least one IBM Z signing key: none of the "
                    + certs.size() + " given certificate(s) has the subject of one ("
                    + IbmSigningKeyName.DESCRIPTION + ")");
        }
        if (found.size() > 1) {
            throw new HostKeyVerificationException("please specify only one IBM Z signing key: found "
                    + found.size() + " (" + found.stream().map(c -> serialOf(c)).toList() + ")");
        }
        return found.get(0);
    }

    /** Builds signing key ← intermediates by issuer name from {@code certs}, then lets PKIX validate it. */
    private static void verifyChain(X509Certificate signingKey, List<X509Certificate> certs,
            Set<TrustAnchor> anchors, Date now) {
        List<X509Certificate> path = new ArrayList<>();
        path.add(signingKey);
        Set<X509Certificate> used = new HashSet<>(path);
        X509Certificate current = signingKey;
        while (!issuedByAnchor(current, anchors)) {
            X509Certificate issuer = findIssuer(current, certs, used);
            if (issuer == null) {
                String subject = Names.display(current.getSubjectX500Principal());
                if (current.getIssuerX500Principal().equals(current.getSubjectX500Principal())) {
                    throw new HostKeyVerificationException("the IBM Z signing key could not be verified: the chain "
                            + "ends at the self-signed '" + subject + "', which is not the trusted root CA "
                            + "(--root-ca, or the JDK's trust store)");
                }
                throw new HostKeyVerificationException("the IBM Z signing key could not be verified: no certificate "
                        + "for the issuer '" + Names.display(current.getIssuerX500Principal()) + "' of '" + subject
                        + "' (intermediate CA certificate missing, or wrong root CA)");
            }
            path.add(issuer);
            used.add(issuer);
            current = issuer;
        }
        if (path.size() - 1 > MAX_INTERMEDIATES) {
            throw new HostKeyVerificationException("the IBM Z signing key could not be verified: the chain has "
                    + (path.size() - 1) + " intermediate CA certificates, at most " + MAX_INTERMEDIATES + " allowed");
        }
        for (X509Certificate c : path) {
            requireSecurityBits(c.getPublicKey(), "certificate '" + Names.display(c.getSubjectX500Principal()) + "'");
        }
        for (TrustAnchor a : anchors) {
            if (a.getTrustedCert() != null && isIssuer(a.getTrustedCert(), current)) {
                requireSecurityBits(a.getTrustedCert().getPublicKey(),
                        "root CA '" + Names.display(a.getTrustedCert().getSubjectX500Principal()) + "'");
            }
        }
        try {
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            params.setDate(now);
            CertPathValidator.getInstance("PKIX").validate(certPath, params);
        } catch (CertPathValidatorException e) {
            int index = e.getIndex();
            String where = index >= 0 && index < path.size()
                    ? " at '" + Names.display(path.get(index).getSubjectX500Principal()) + "' (level " + index + ")"
                    : "";
            throw new HostKeyVerificationException("the IBM Z signing key could not be verified" + where + ": "
                    + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new HostKeyVerificationException("the IBM Z signing key could not be verified: " + e.getMessage(), e);
        }
    }

    private static boolean issuedByAnchor(X509Certificate cert, Set<TrustAnchor> anchors) {
        for (TrustAnchor a : anchors) {
            X509Certificate root = a.getTrustedCert();
            if (root != null && isIssuer(root, cert)) {
                return true;
            }
        }
        return false;
    }

    /** Among the unused certificates, the one whose subject is the issuer of {@code cert}, preferring a verifying key. */
    private static X509Certificate findIssuer(X509Certificate cert, List<X509Certificate> certs,
            Set<X509Certificate> used) {
        X509Certificate byName = null;
        for (X509Certificate c : certs) {
            if (used.contains(c) || !c.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
                continue;
            }
            if (signedBy(cert, c.getPublicKey())) {
                return c;
            }
            byName = byName == null ? c : byName;
        }
        return byName; // PKIX then reports the bad signature at the right level
    }

    private static boolean isIssuer(X509Certificate issuer, X509Certificate cert) {
        return issuer.getSubjectX500Principal().equals(cert.getIssuerX500Principal())
                && signedBy(cert, issuer.getPublicKey());
    }

    private static boolean signedBy(X509Certificate cert, PublicKey key) {
        try {
            cert.verify(key);
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static void requireSecurityBits(PublicKey key, String what) {
        int bits;
        int min;
        if (key instanceof RSAKey rsa) {
            bits = rsa.getModulus().bitLength();
            min = MIN_RSA_BITS;
        } else if (key instanceof ECKey ec) {
            bits = ec.getParams().getOrder().bitLength();
            min = MIN_EC_BITS;
        } else {
            return; // other key types: PKIX decides
        }
        if (bits < min) {
            throw new HostKeyVerificationException(what + ": not enough bits of security ("
                    + key.getAlgorithm() + " " + bits + ", at least " + min + " expected)");
        }
    }

    private static Set<TrustAnchor> defaultTrustAnchors() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init((KeyStore) null);
            Set<TrustAnchor> anchors = new HashSet<>();
            for (var tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    for (X509Certificate c : x.getAcceptedIssuers()) {
                        anchors.add(new TrustAnchor(c, null));
                    }
                }
            }
            if (anchors.isEmpty()) {
                throw new HostKeyVerificationException("the JDK's trust store holds no root CA: give one with --root-ca");
            }
            return anchors;
        } catch (GeneralSecurityException e) {
            throw new HostKeyVerificationException("cannot read the JDK's trust store: " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------------- each host-key document

    private void verifyDocument(X509Certificate hkd, String label) {
        try {
            HostKeys.requireP521(hkd.getPublicKey(), label);
        } catch (IllegalArgumentException e) {
            throw new HostKeyVerificationException(e.getMessage(), e);
        }
        try {
            hkd.checkValidity(now);
        } catch (CertificateExpiredException e) {
            throw new HostKeyVerificationException(label + ": expired (after validity period, not after "
                    + hkd.getNotAfter().toInstant() + ")");
        } catch (CertificateNotYetValidException e) {
            throw new HostKeyVerificationException(label + ": not yet valid (before validity period, not before "
                    + hkd.getNotBefore().toInstant() + ")");
        }
        X500Principal signer = signingKey.getSubjectX500Principal();
        if (!Names.sameEntries(hkd.getIssuerX500Principal(), signer, false)) {
            throw new HostKeyVerificationException(label + ": issuer mismatch: issued by '"
                    + Names.display(hkd.getIssuerX500Principal()) + "', not by the IBM Z signing key '" + Names.display(signer) + "'");
        }
        if (!authorityKeyIdMatches(hkd.getExtensionValue(Extension.authorityKeyIdentifier.getId()))) {
            throw new HostKeyVerificationException(label + ": authority key id mismatch: not issued by the key of "
                    + "the IBM Z signing key '" + Names.display(signer) + "'");
        }
        try {
            hkd.verify(signingKey.getPublicKey());
        } catch (SignatureException | InvalidKeyException e) {
            throw new HostKeyVerificationException(label + ": signature verification failed: not signed by the IBM Z "
                    + "signing key '" + Names.display(signer) + "'");
        } catch (GeneralSecurityException e) {
            throw new HostKeyVerificationException(label + ": cannot verify the signature: " + e.getMessage(), e);
        }
        checkNotRevoked(hkd, label);
    }

    private boolean authorityKeyIdMatches(byte[] akidExtension) {
        byte[] skidExtension = signingKey.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (akidExtension == null || skidExtension == null) {
            return true;
        }
        try {
            byte[] akid = AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(akidExtension).getOctets())
                    .getKeyIdentifier();
            if (akid == null) {
                return true;
            }
            byte[] skid = ASN1OctetString.getInstance(ASN1OctetString.getInstance(skidExtension).getOctets())
                    .getOctets();
            return Arrays.equals(akid, skid);
        } catch (RuntimeException e) {
            return false; // a malformed key identifier identifies nothing
        }
    }

    private void checkNotRevoked(X509Certificate hkd, String label) {
        X500Principal signer = signingKey.getSubjectX500Principal();
        List<X509CRL> fromSigner = crls.stream()
                .filter(c -> Names.sameEntries(c.getIssuerX500Principal(), signer, true)).toList();
        if (fromSigner.isEmpty()) {
            String why;
            if (crls.isEmpty() && offline) {
                why = "no CRL was given, and --offline forbids downloading one: give it with --crl";
            } else if (crls.isEmpty()) {
                why = "no CRL was given, and pvsim cannot download CRLs from the distribution points (no network): "
                        + "give it with --crl";
            } else {
                why = "none of the " + crls.size() + " given CRL(s) is issued by the IBM Z signing key '"
                        + Names.display(signer) + "' (they are issued by " + crls.stream()
                                .map(c -> "'" + Names.display(c.getIssuerX500Principal()) + "'").distinct().toList() + ")";
            }
            throw new HostKeyVerificationException(label + ": no valid CRL found: " + why);
        }
        List<X509CRL> valid = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        for (X509CRL crl : fromSigner) {
            try {
                crl.verify(signingKey.getPublicKey());
            } catch (GeneralSecurityException | RuntimeException e) {
                throw new HostKeyVerificationException("the CRL issued by '" + Names.display(crl.getIssuerX500Principal())
                        + "' (last update " + crl.getThisUpdate().toInstant() + ") has a signature that does not verify "
                        + "with the IBM Z signing key");
            }
            if (crl.getNextUpdate() == null) {
                rejected.add("a CRL has no next-update time (no validity period)");
            } else if (now.before(crl.getThisUpdate())) {
                rejected.add("a CRL is not valid before " + crl.getThisUpdate().toInstant());
            } else if (!now.before(crl.getNextUpdate())) {
                rejected.add("a CRL expired at " + crl.getNextUpdate().toInstant());
            } else {
                valid.add(crl);
            }
        }
        if (valid.isEmpty()) {
            throw new HostKeyVerificationException(label + ": no valid CRL found: " + String.join("; ", rejected));
        }
        for (X509CRL crl : valid) {
            X509CRLEntry entry = crl.getRevokedCertificate(hkd.getSerialNumber());
            if (entry != null) {
                throw new HostKeyVerificationException(label + ": revoked: serial " + serialOf(hkd)
                        + " is listed (revoked " + entry.getRevocationDate().toInstant() + ") in the CRL of '"
                        + Names.display(crl.getIssuerX500Principal()) + "'");
            }
        }
    }

    private static String label(int index, X509Certificate hkd) {
        return "host-key document " + (index + 1) + " ('" + Names.display(hkd.getSubjectX500Principal())
                + "', serial " + serialOf(hkd) + ")";
    }

    private static String serialOf(X509Certificate cert) {
        return "0x" + cert.getSerialNumber().toString(16);
    }
}
