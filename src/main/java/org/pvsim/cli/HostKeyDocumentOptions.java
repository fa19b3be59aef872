package org.pvsim.cli;

import java.io.IOException;
import java.io.PrintWriter;
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
    @Option(names = {"-k", "--host-key-document"}, required = true, paramLabel = "FILE",
            description = "Host-key document (X.509, EC secp521r1) of a machine the request is for; repeatable.")
    List<Path> hostKeyDocuments = new ArrayList<>();

    @Option(names = "--no-verify", description = "Do not verify the host-key documents (insecure).")
    boolean noVerify;

    @Option(names = {"-C", "--cert"}, paramLabel = "FILE",
            description = "IBM Z signing key certificate and intermediate CA certificates.")
    List<Path> certs = new ArrayList<>();

    @Option(names = "--crl", paramLabel = "FILE", description = "Certificate revocation list.")
    List<Path> crls = new ArrayList<>();

    @Option(names = "--offline", description = "Do not download CRLs.")
    boolean offline;

    @Option(names = "--root-ca", paramLabel = "FILE", description = "Root CA instead of the system's.")
    Path rootCa;

    /** The host keys, after verification (or the no-verify warning on {@code err}). */
    List<ECPublicKey> hostKeys(PrintWriter err) throws IOException {
        if (noVerify && !certs.isEmpty()) {
            throw new IllegalArgumentException("--no-verify and --cert exclude each other");
        }
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
            err.println(ImageCommand.NO_VERIFY_WARNING);
            err.flush();
            return keys;
        }
        if (certs.isEmpty()) {
            throw new IllegalArgumentException("host-key documents must be verified: give the IBM Z signing key"
                    + " and intermediate CA certificates with --cert, or use --no-verify (insecure)");
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
        return keys;
    }
}
