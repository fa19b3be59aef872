package org.pvsim.image.hostkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pvsim.se.HostKeys;

/** One failure condition at a time against a PKI that verifies, then success. */
class HostKeyDocumentVerifierTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Instant NOW = Instant.now();
    private static final Instant START = NOW.minus(Duration.ofHours(1));
    private static final Instant END = NOW.plus(Duration.ofDays(30));
    private static TestPki pki;
    private static X509Certificate hkd;

    @BeforeAll
    static void buildPki() {
        pki = TestPki.create(2, TestPki.CaKeyType.P521, NOW, RANDOM);
        hkd = pki.hosts().get(0).document();
    }

    private static void verify(List<X509Certificate> hkds, List<X509Certificate> certs, List<X509CRL> crls,
            X509Certificate root) {
        HostKeyDocumentVerifier.verify(hkds, certs, crls, root, false);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> failsWith(X509Certificate doc) {
        return assertThatThrownBy(() -> verify(List.of(doc), pki.chainCertificates(), List.of(pki.crl()),
                pki.root().certificate())).isInstanceOf(HostKeyVerificationException.class);
    }

    private static KeyPair p521() {
        return HostKeys.generateKeyPair(RANDOM);
    }

    /** A signing key with the given subject, issued by the PKI's intermediate. */
    private static Issuer signingKeyNamed(X500Name subject) {
        return pki.intermediate().issueIssuer(subject, p521(), Issuer.Profile.SIGNING_KEY, START, END);
    }

    private static X500NameBuilder ibmNameBuilder() {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.C, "US").addRDN(BCStyle.ST, "New York")
                .addRDN(BCStyle.L, "Poughkeepsie");
    }

    @Test
    void aCompletePkiVerifies() {
        assertThatCode(() -> verify(pki.hosts().stream().map(TestPki.Host::document).toList(),
                pki.chainCertificates(), List.of(pki.crl()), pki.root().certificate())).doesNotThrowAnyException();
        // The order of -C certificates does not matter.
        assertThatCode(() -> verify(List.of(hkd), List.of(pki.signingKey().certificate(),
                pki.intermediate().certificate()), List.of(pki.crl()), pki.root().certificate()))
                .doesNotThrowAnyException();
    }

    @Test
    void theSubjectMatcherIsExact() {
        assertThat(IbmSigningKeyName.isIbmSigningKey(pki.signingKey().certificate())).isTrue();
        assertThat(IbmSigningKeyName.matches(new javax.security.auth.x500.X500Principal(
                IbmSigningKeyName.build("Armonk", "IBM Z Host Key Signing Service").toString()))).isTrue();
        assertThat(IbmSigningKeyName.isIbmSigningKey(pki.intermediate().certificate())).isFalse();
    }

    @Test
    void signingKeyWithFiveEntriesIsNotOne() {
        X500Name five = ibmNameBuilder().addRDN(BCStyle.O, IbmSigningKeyName.ORGANIZATION)
                .addRDN(BCStyle.CN, IbmSigningKeyName.COMMON_NAME).build();
        assertNoSigningKeyFound(five);
    }

    @Test
    void signingKeyWithWrongOuIsNotOne() {
        X500Name wrongOu = ibmNameBuilder().addRDN(BCStyle.O, IbmSigningKeyName.ORGANIZATION)
                .addRDN(BCStyle.OU, "IBM Z Host Key Signing Service (test)")
                .addRDN(BCStyle.CN, IbmSigningKeyName.COMMON_NAME).build();
        assertNoSigningKeyFound(wrongOu);
    }

    @Test
    void signingKeyWithWrongOrganizationIsNotOne() {
        X500Name wrongO = ibmNameBuilder().addRDN(BCStyle.O, "International Business Machines Corp.")
                .addRDN(BCStyle.OU, TestPki.SIGNING_KEY_OU)
                .addRDN(BCStyle.CN, IbmSigningKeyName.COMMON_NAME).build();
        assertNoSigningKeyFound(wrongO);
    }

    @Test
    void signingKeyWithSeventhEntryIsNotOne() {
        X500Name seven = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.C, "US").addRDN(BCStyle.ST, "New York").addRDN(BCStyle.L, "Poughkeepsie")
                .addRDN(BCStyle.O, IbmSigningKeyName.ORGANIZATION).addRDN(BCStyle.OU, TestPki.SIGNING_KEY_OU)
                .addRDN(BCStyle.CN, IbmSigningKeyName.COMMON_NAME).addRDN(BCStyle.E, "z@example.com").build();
        assertNoSigningKeyFound(seven);
    }

    private static void assertNoSigningKeyFound(X500Name subject) {
        Issuer fake = signingKeyNamed(subject);
        assertThat(IbmSigningKeyName.isIbmSigningKey(fake.certificate())).isFalse();
        X509Certificate doc = TestPki.host(fake, "h", START, END, RANDOM).document();
        assertThatThrownBy(() -> verify(List.of(doc), List.of(pki.intermediate().certificate(), fake.certificate()),
                List.of(fake.crl(List.of(), START, END)), pki.root().certificate()))
                .isInstanceOf(HostKeyVerificationException.class)
                .hasMessageStartingWith("please specify at least one IBM Z signing key");
    }

    @Test
    void selfSignedHostKeyDocumentWithoutSigningKey() {
        X509Certificate self = Issuer.selfSigned(TestPki.hostName("self"), p521(),
                Issuer.Profile.HOST_KEY_DOCUMENT, START, END);
        assertThatThrownBy(() -> HostKeyDocumentVerifier.verify(List.of(self), List.of(self), List.of(), null, true))
                .isInstanceOf(HostKeyVerificationException.class)
                .hasMessageStartingWith("please specify at least one IBM Z signing key");
    }

    @Test
    void twoSigningKeysAreRefused() {
        Issuer second = signingKeyNamed(IbmSigningKeyName.build("Armonk", TestPki.SIGNING_KEY_OU));
        assertThatThrownBy(() -> verify(List.of(hkd), List.of(pki.intermediate().certificate(),
                pki.signingKey().certificate(), second.certificate()), List.of(pki.crl()), pki.root().certificate()))
                .hasMessageStartingWith("please specify only one IBM Z signing key: found 2");
    }

    @Test
    void documentSignedByAnotherKey() {
        Issuer impostor = new Issuer(pki.signingKey().certificate(), p521().getPrivate());
        X509Certificate doc = TestPki.host(impostor, "forged", START, END, RANDOM).document();
        failsWith(doc).hasMessageContaining("CN=forged'").hasMessageContaining(
                "signature verification failed: not signed by the IBM Z signing key");
    }

    @Test
    void documentIssuedByTheIntermediateInstead() {
        X509Certificate doc = TestPki.host(pki.intermediate(), "wrong-issuer", START, END, RANDOM).document();
        failsWith(doc).hasMessageContaining("issuer mismatch: issued by 'C=US,O=pvsim test PKI,CN=pvsim Test Intermediate CA'");
    }

    @Test
    void expiredDocument() {
        X509Certificate doc = TestPki.host(pki.signingKey(), "old", NOW.minus(Duration.ofDays(400)),
                NOW.minus(Duration.ofDays(35)), RANDOM).document();
        failsWith(doc).hasMessageContaining("CN=old'").hasMessageContaining(": expired (after validity period");
    }

    @Test
    void notYetValidDocument() {
        X509Certificate doc = TestPki.host(pki.signingKey(), "future", NOW.plus(Duration.ofDays(2)),
                NOW.plus(Duration.ofDays(20)), RANDOM).document();
        failsWith(doc).hasMessageContaining(": not yet valid (before validity period");
    }

    @Test
    void revokedDocumentNamesItsSerial() {
        X509Certificate revoked = pki.revokedHost().document();
        failsWith(revoked).hasMessageContaining("host-key document 1 ('").hasMessageContaining(
                ": revoked: serial 0x" + revoked.getSerialNumber().toString(16) + " is listed");
        // the good documents before it pass; the failure names the second document
        assertThatThrownBy(() -> verify(List.of(hkd, revoked), pki.chainCertificates(), List.of(pki.crl()),
                pki.root().certificate())).hasMessageStartingWith("host-key document 2 (");
    }

    @Test
    void crlFromAnotherIssuerDoesNotCount() {
        X509CRL fromIntermediate = pki.intermediate().crl(List.of(), START, END);
        assertThatThrownBy(() -> verify(List.of(hkd), pki.chainCertificates(), List.of(fromIntermediate),
                pki.root().certificate()))
                .hasMessageContaining("no valid CRL found: none of the 1 given CRL(s) is issued by the IBM Z signing key");
    }

    @Test
    void crlWithABadSignatureIsAnError() {
        X509CRL forged = new Issuer(pki.signingKey().certificate(), p521().getPrivate()).crl(List.of(), START, END);
        assertThatThrownBy(() -> verify(List.of(hkd), pki.chainCertificates(), List.of(forged, pki.crl()),
                pki.root().certificate()))
                .hasMessageContaining("has a signature that does not verify with the IBM Z signing key");
    }

    @Test
    void expiredCrlDoesNotCount() {
        X509CRL stale = pki.signingKey().crl(List.of(), NOW.minus(Duration.ofDays(60)), NOW.minus(Duration.ofDays(30)));
        assertThatThrownBy(() -> verify(List.of(hkd), pki.chainCertificates(), List.of(stale),
                pki.root().certificate())).hasMessageContaining("no valid CRL found: a CRL expired at");
    }

    @Test
    void missingCrlIsAnErrorOnlineAndOffline() {
        assertThatThrownBy(() -> verify(List.of(hkd), pki.chainCertificates(), List.of(), pki.root().certificate()))
                .hasMessageContaining("no CRL was given, and pvsim cannot download CRLs from the distribution points")
                .hasMessageContaining("--crl");
        assertThatThrownBy(() -> HostKeyDocumentVerifier.verify(List.of(hkd), pki.chainCertificates(), List.of(),
                pki.root().certificate(), true)).hasMessageContaining("--offline forbids downloading");
    }

    @Test
    void missingIntermediate() {
        assertThatThrownBy(() -> verify(List.of(hkd), List.of(pki.signingKey().certificate()), List.of(pki.crl()),
                pki.root().certificate()))
                .hasMessageStartingWith("the IBM Z signing key could not be verified: no certificate for the issuer "
                        + "'C=US,O=pvsim test PKI,CN=pvsim Test Intermediate CA'");
    }

    @Test
    void wrongRoot() {
        Issuer otherRoot = Issuer.selfSignedRoot(TestPki.ROOT_NAME, p521(), START, END);
        assertThatThrownBy(() -> verify(List.of(hkd), pki.chainCertificates(), List.of(pki.crl()),
                otherRoot.certificate()))
                .hasMessageContaining("no certificate for the issuer 'C=US,O=pvsim test PKI,CN=pvsim Test Root CA'")
                .hasMessageContaining("wrong root CA");
        // The real root passed with -C instead of --root-ca is still not trusted.
        List<X509Certificate> withRoot = new ArrayList<>(pki.chainCertificates());
        withRoot.add(pki.root().certificate());
        assertThatThrownBy(() -> verify(List.of(hkd), withRoot, List.of(pki.crl()), otherRoot.certificate()))
                .hasMessageContaining("ends at the self-signed 'C=US,O=pvsim test PKI,CN=pvsim Test Root CA'");
    }

    @Test
    void anIntermediateIsNoRoot() {
        assertThatThrownBy(() -> verify(List.of(hkd), pki.chainCertificates(), List.of(pki.crl()),
                pki.intermediate().certificate()))
                .hasMessage("the root CA 'C=US,O=pvsim test PKI,CN=pvsim Test Intermediate CA' is not self-signed: "
                        + "give the root of the chain, not an intermediate");
    }

    @Test
    void theJdkTrustStoreDoesNotTrustTheTestRoot() {
        assertThatThrownBy(() -> verify(List.of(hkd), pki.chainCertificates(), List.of(pki.crl()), null))
                .hasMessageStartingWith("the IBM Z signing key could not be verified");
    }

    @Test
    void intermediateThatIsNotACaIsRejectedByPkix() {
        Issuer notCa = pki.root().issueIssuer(TestPki.INTERMEDIATE_NAME, p521(), Issuer.Profile.SIGNING_KEY,
                START, END);
        Issuer signing = notCa.issueIssuer(IbmSigningKeyName.build("Poughkeepsie", TestPki.SIGNING_KEY_OU), p521(),
                Issuer.Profile.SIGNING_KEY, START, END);
        X509Certificate doc = TestPki.host(signing, "h", START, END, RANDOM).document();
        assertThatThrownBy(() -> verify(List.of(doc), List.of(notCa.certificate(), signing.certificate()),
                List.of(signing.crl(List.of(), START, END)), pki.root().certificate()))
                .hasMessageStartingWith("the IBM Z signing key could not be verified at 'C=US,O=pvsim test PKI,CN=pvsim Test Intermediate CA'");
    }

    @Test
    void expiredSigningKeyIsRejectedByPkix() {
        Issuer old = pki.intermediate().issueIssuer(IbmSigningKeyName.build("Poughkeepsie", TestPki.SIGNING_KEY_OU),
                p521(), Issuer.Profile.SIGNING_KEY, NOW.minus(Duration.ofDays(100)), NOW.minus(Duration.ofDays(1)));
        X509Certificate doc = TestPki.host(old, "h", START, END, RANDOM).document();
        assertThatThrownBy(() -> verify(List.of(doc), List.of(pki.intermediate().certificate(), old.certificate()),
                List.of(old.crl(List.of(), START, END)), pki.root().certificate()))
                .hasMessageContaining("could not be verified at 'C=US,ST=New York,L=Poughkeepsie")
                .hasMessageContaining("(level 0)");
    }

    @Test
    void rsaDocumentIsRefused() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048, RANDOM);
        X509Certificate doc = pki.signingKey().issue(TestPki.hostName("rsa"), g.generateKeyPair().getPublic(),
                Issuer.Profile.HOST_KEY_DOCUMENT, START, END);
        failsWith(doc).hasMessageEndingWith(": must be an EC secp521r1 key (found RSA 2048)")
                .hasMessageStartingWith("host-key document 1 ('C=US,ST=New York").hasMessageContaining("CN=rsa'");
    }

    @Test
    void p384DocumentIsRefused() {
        X509Certificate doc = pki.signingKey().issue(TestPki.hostName("p384"),
                TestPki.ecKeys("secp384r1", RANDOM).getPublic(), Issuer.Profile.HOST_KEY_DOCUMENT, START, END);
        failsWith(doc).hasMessageEndingWith(": must be an EC secp521r1 key (found EC secp384r1)");
    }

    @Test
    void authorityKeyIdOfAnotherKeyIsRefused() {
        // Same issuer name, signed by the real signing key, but the AKID names another key.
        Issuer twin = signingKeyNamed(IbmSigningKeyName.build("Poughkeepsie", TestPki.SIGNING_KEY_OU));
        Issuer mixed = new Issuer(twin.certificate(), pki.signingKey().key());
        X509Certificate doc = TestPki.host(mixed, "akid", START, END, RANDOM).document();
        failsWith(doc).hasMessageContaining(": authority key id mismatch");
    }

    @Test
    void armonkSigningKeyWithACrlNamingItInAnotherOrderVerifies() throws Exception {
        Issuer armonk = signingKeyNamed(IbmSigningKeyName.build("Armonk", TestPki.SIGNING_KEY_OU));
        X509Certificate doc = TestPki.host(armonk, "armonk-host", START, END, RANDOM).document();
        // IBM's CRLs name the signing key with its attributes in another order (pvimg's reorder quirk).
        X500Name reordered = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.C, "US").addRDN(BCStyle.O, IbmSigningKeyName.ORGANIZATION)
                .addRDN(BCStyle.OU, TestPki.SIGNING_KEY_OU).addRDN(BCStyle.L, "Poughkeepsie")
                .addRDN(BCStyle.ST, "New York").addRDN(BCStyle.CN, IbmSigningKeyName.COMMON_NAME).build();
        var builder = new org.bouncycastle.cert.X509v2CRLBuilder(reordered, java.util.Date.from(START));
        builder.setNextUpdate(java.util.Date.from(END));
        X509CRL crl = new org.bouncycastle.cert.jcajce.JcaX509CRLConverter().getCRL(builder.build(
                new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA512withECDSA").build(armonk.key())));
        assertThatCode(() -> verify(List.of(doc), List.of(pki.intermediate().certificate(), armonk.certificate()),
                List.of(crl), pki.root().certificate())).doesNotThrowAnyException();
    }

    /** root <- n intermediates <- signing key <- one document; returns {document, chain...}. */
    private static List<X509Certificate> chainWithIntermediates(int n, List<X509CRL> crlOut) {
        List<X509Certificate> certs = new ArrayList<>();
        Issuer ca = pki.root();
        for (int i = 0; i < n; i++) {
            ca = ca.issueIssuer(new X500Name("O=pvsim test PKI, CN=Intermediate " + i), p521(), Issuer.Profile.CA,
                    START, END);
            certs.add(ca.certificate());
        }
        Issuer signing = ca.issueIssuer(IbmSigningKeyName.build("Poughkeepsie", TestPki.SIGNING_KEY_OU), p521(),
                Issuer.Profile.SIGNING_KEY, START, END);
        certs.add(signing.certificate());
        crlOut.add(signing.crl(List.of(), START, END));
        certs.add(0, TestPki.host(signing, "h", START, END, RANDOM).document());
        return certs;
    }

    @Test
    void twoIntermediatesAreFineThreeAreTooMany() {
        List<X509CRL> crls = new ArrayList<>();
        List<X509Certificate> two = chainWithIntermediates(2, crls);
        assertThatCode(() -> verify(two.subList(0, 1), two.subList(1, two.size()), crls, pki.root().certificate()))
                .doesNotThrowAnyException();
        crls.clear();
        List<X509Certificate> three = chainWithIntermediates(3, crls);
        assertThatThrownBy(() -> verify(three.subList(0, 1), three.subList(1, three.size()), crls,
                pki.root().certificate())).hasMessageContaining("the chain has 3 intermediate CA certificates, at most 2");
    }

    @Test
    void weakIntermediateKeyIsRefused() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(1024, RANDOM);
        Issuer weak = pki.root().issueIssuer(TestPki.INTERMEDIATE_NAME, g.generateKeyPair(), Issuer.Profile.CA,
                START, END);
        Issuer signing = weak.issueIssuer(IbmSigningKeyName.build("Poughkeepsie", TestPki.SIGNING_KEY_OU), p521(),
                Issuer.Profile.SIGNING_KEY, START, END);
        X509Certificate doc = TestPki.host(signing, "h", START, END, RANDOM).document();
        assertThatThrownBy(() -> verify(List.of(doc), List.of(weak.certificate(), signing.certificate()),
                List.of(signing.crl(List.of(), START, END)), pki.root().certificate()))
                .hasMessageContaining("CN=pvsim Test Intermediate CA': not enough bits of security (RSA 1024, at least 2048 expected)");
    }

    @Test
    void noDocumentIsAnError() {
        assertThatThrownBy(() -> verify(List.of(), pki.chainCertificates(), List.of(pki.crl()),
                pki.root().certificate())).hasMessage("no host-key document given");
    }
}
