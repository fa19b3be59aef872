package org.pvsim.image.hostkey;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.pvsim.se.HostKeys;

/**
 * A complete PKI shaped like IBM's: root CA ← intermediate CA ← IBM Z signing key (not a CA) ←
 * host-key documents, plus the signing key's CRL, which revokes one extra host-key document.
 * Nothing here is trusted by anyone but the user who passes {@code --root-ca root-ca.crt}.
 */
public record TestPki(Issuer root, Issuer intermediate, Issuer signingKey, List<Host> hosts, Host revokedHost,
        X509CRL crl) {

    /** One machine: its host-key document and the private key the machine's Ultravisor would hold. */
    public record Host(String name, X509Certificate document, ECPrivateKey privateKey) {
    }

    /** Key type of the CAs and the signing key (host keys are always EC secp521r1). */
    public enum CaKeyType {
        /** As IBM's real chain (DigiCert root and intermediate, IBM signing key): RSA 4096. Slow to generate. */
        RSA4096,
        /** EC secp521r1: fast, for tests. */
        P521
    }

    public static final X500Name ROOT_NAME = new X500Name("C=US, O=pvsim test PKI, CN=pvsim Test Root CA");
    public static final X500Name INTERMEDIATE_NAME =
            new X500Name("C=US, O=pvsim test PKI, CN=pvsim Test Intermediate CA");
    public static final String SIGNING_KEY_OU = "IBM Z Host Key Signing Service";

    /** Builds the PKI: {@code hostCount} good hosts named host-1..N and one revoked host, valid from now. */
    public static TestPki create(int hostCount, CaKeyType caKeyType, Instant now, SecureRandom random) {
        if (hostCount < 1) {
            throw new IllegalArgumentException("--hosts must be at least 1, got " + hostCount);
        }
        Instant start = now.minus(Duration.ofHours(1)); // tolerate clocks a little behind
        Issuer root = Issuer.selfSignedRoot(ROOT_NAME, caKeys(caKeyType, random), start, now.plus(days(3650)));
        Issuer intermediate = root.issueIssuer(INTERMEDIATE_NAME, caKeys(caKeyType, random), Issuer.Profile.CA,
                start, now.plus(days(1825)));
        Issuer signing = intermediate.issueIssuer(IbmSigningKeyName.build("Poughkeepsie", SIGNING_KEY_OU),
                caKeys(caKeyType, random), Issuer.Profile.SIGNING_KEY, start, now.plus(days(730)));
        List<Host> hosts = new ArrayList<>();
        for (int i = 1; i <= hostCount; i++) {
            hosts.add(host(signing, "host-" + i, start, now.plus(days(365)), random));
        }
        Host revoked = host(signing, "revoked-host", start, now.plus(days(365)), random);
        X509CRL crl = signing.crl(List.of(revoked.document().getSerialNumber()), start, now.plus(days(30)));
        return new TestPki(root, intermediate, signing, List.copyOf(hosts), revoked, crl);
    }

    /** A host key document for a fresh secp521r1 key, issued by {@code issuer}. */
    public static Host host(Issuer issuer, String name, Instant notBefore, Instant notAfter, SecureRandom random) {
        KeyPair keys = HostKeys.generateKeyPair(random);
        X509Certificate hkd = issuer.issue(hostName(name), keys.getPublic(), Issuer.Profile.HOST_KEY_DOCUMENT,
                notBefore, notAfter);
        return new Host(name, hkd, (ECPrivateKey) keys.getPrivate());
    }

    /** The subject of a host-key document, shaped like IBM's (the CN names the machine). */
    public static X500Name hostName(String name) {
        return new X500Name("C=US, ST=New York, L=Poughkeepsie, O=International Business Machines Corporation, "
                + "OU=pvsim test, CN=" + name);
    }

    /** The certificates to pass with -C: the intermediate CA and the signing key. */
    public List<X509Certificate> chainCertificates() {
        return List.of(intermediate.certificate(), signingKey.certificate());
    }

    public static KeyPair caKeys(CaKeyType type, SecureRandom random) {
        try {
            if (type == CaKeyType.P521) {
                return HostKeys.generateKeyPair(random);
            }
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(4096, random);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate " + type + " keys: " + e.getMessage(), e);
        }
    }

    /** An EC key pair on another curve, e.g. secp384r1, for tests of the curve check. */
    public static KeyPair ecKeys(String curve, SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(curve), random);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot generate EC " + curve + " keys: " + e.getMessage(), e);
        }
    }

    private static Duration days(long n) {
        return Duration.ofDays(n);
    }
}
