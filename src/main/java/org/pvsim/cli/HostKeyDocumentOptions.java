package org.pvsim.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.List;
import org.pvsim.image.hostkey.HostKeyDocumentVerifier;
import org.pvsim.image.hostkey.HostKeyVerificationException;
import picocli.CommandLine.Option;

/**
 * The host-key document options pvsecret and pvattest share with pvimg (-k, --no-verify, -C, --crl,
 * --offline, --root-ca): the documents are read, verified against the IBM signing chain unless
 * --no-verify, and their P-521 keys returned.
 */
final class HostKeyDocumentOptions {
    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
    picocli.CommandLine.Model.CommandSpec mixee;

    @Option(names = {"-k", "--host-key-document"}, required = true, paramLabel = "FILE", split = ",",
            description = "Host-key document (X.509, EC secp521r1) of a machine the request is for; repeatable.")
    List<Path> hostKeyDocuments = new ArrayList<>();

    @Option(names = "--no-verify", description = "Do not verify the host-key documents (insecure).")
    boolean noVerify;

    @Option(names = {"-C", "--cert", "--crt"}, paramLabel = "FILE", split = ",",
            description = "IBM Z signing key certificate and intermediate CA certificates.")
    List<Path> certs = new ArrayList<>();

    @Option(names = "--crl", paramLabel = "FILE", split = ",", description = "Certificate revocation list (needs --cert).")
    List<Path> crls = new ArrayList<>();

    @Option(names = "--offline", description = "Do not download CRLs (needs --cert).")
    boolean offline;

    @Option(names = "--root-ca", paramLabel = "FILE", description = "Root CA instead of the system's (needs --cert).")
    Path rootCa;

    /** Every file these options read, so that no output of the command may name one of them. */
    Path[] inputs() {
        List<Path> all = new ArrayList<>(hostKeyDocuments);
        all.addAll(certs);
        all.addAll(crls);
        all.add(rootCa);
        return all.toArray(Path[]::new);
    }

    /** pvimg's --crl, --offline and --root-ca require --cert: a usage error (exit 2) otherwise. */
    private void requireCert() {
        String option = CertRequirement.violated(!certs.isEmpty(), !crls.isEmpty(), offline, rootCa != null);
        if (option != null) {
            throw CertRequirement.missing(mixee.commandLine(), option);
        }
    }

    /**
     * clap's checks of these options (pvimg's "pv_verify" group: exactly one of --no-verify and --cert;
     * --crl, --offline, --root-ca need --cert), before any file is read: usage errors, exit 2.
     */
    void checkUsage() {
        requireCert();
        if (noVerify && !certs.isEmpty()) {
            throw UsageException.conflict("--no-verify", "--cert");
        }
        if (!noVerify && certs.isEmpty()) {
            throw mustBeVerified();
        }
    }

    static UsageException mustBeVerified() {
        return new UsageException("host-key documents must be verified: give the IBM Z signing key"
                + " and intermediate CA certificates with --cert, or use --no-verify (insecure)");
    }

    /** The host keys, after verification (or pvimg's no-verify warning for {@code protectee}). */
    List<ECPublicKey> hostKeys(Log log, String protectee) throws IOException {
        checkUsage();
        if (hostKeyDocuments.size() > 255) {
            throw new IllegalArgumentException("at most 255 host-key documents, found " + hostKeyDocuments.size());
        }
        List<X509Certificate> hkds = new ArrayList<>();
        List<ECPublicKey> keys = new ArrayList<>();
        for (Path p : hostKeyDocuments) {
            List<X509Certificate> inFile = ImageKeyFiles.certificates(p, "host-key document");
            if (inFile.size() != 1) {
                throw new IllegalArgumentException("host-key document " + p + ": contains " + inFile.size()
                        + " certificates, expected one");
            }
            hkds.add(inFile.get(0));
            keys.add(ImageKeyFiles.hostKeyOf(inFile.get(0), p));
        }
        if (noVerify) {
            log.warn("WARNING: Host-key document verification is disabled. The " + protectee + " may not be protected.");
            return keys;
        }
        verify(hkds, certs, crls, rootCa, offline);
        return keys;
    }

    /**
     * Verifies host-key documents against the IBM Z signing key and intermediate CA certificates
     * ({@code certs}), the CRLs and the root CA (null: the system's), as pvimg does; shared with image create.
     */
    static void verify(List<X509Certificate> hkds, List<Path> certs, List<Path> crls, Path rootCa, boolean offline)
            throws IOException {
        if (certs.isEmpty()) {
            throw mustBeVerified();
        }
        List<X509Certificate> chain = new ArrayList<>();
        for (Path p : certs) {
            chain.addAll(ImageKeyFiles.certificates(p, "certificate"));
        }
        List<X509CRL> crlList = new ArrayList<>();
        for (Path p : crls) {
            crlList.addAll(ImageKeyFiles.crls(p));
        }
        X509Certificate root = rootCa == null ? null : ImageKeyFiles.certificates(rootCa, "root CA").get(0);
        try {
            HostKeyDocumentVerifier.verify(hkds, chain, crlList, root, offline);
        } catch (HostKeyVerificationException e) {
            throw new IllegalArgumentException("host-key document verification failed: " + e.getMessage(), e);
        }
    }
}
