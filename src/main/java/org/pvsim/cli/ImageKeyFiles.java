package org.pvsim.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.List;
import org.pvsim.se.HostKeys;
import org.pvsim.se.Pem;

/**
 * Reads the files the image commands take (raw key files, private keys, certificates, CRLs), each error one
 * line naming the file.
 */
final class ImageKeyFiles {
    /** Nothing these commands read as a whole is anywhere near this big. */
    private static final long MAX_SIZE = 16 << 20;

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

    /** A host private key (PEM or DER, PKCS#8 or SEC1) on P-521. */
    static ECPrivateKey hostPrivateKey(Path p) throws IOException {
        byte[] b = read(p, "host key");
        try {
            return Pem.readPrivateKey(b);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("host key " + p + ": " + e.getMessage(), e);
        }
    }

    /** Certificates from a PEM (one or more) or DER file. */
    static List<X509Certificate> certificates(Path p, String what) throws IOException {
        byte[] b = read(p, what);
        try {
            List<X509Certificate> certs = Pem.readCertificates(b);
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("no certificate found");
            }
            return certs;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " " + p + ": " + e.getMessage(), e);
        }
    }

    static List<X509CRL> crls(Path p) throws IOException {
        byte[] b = read(p, "CRL");
        try {
            return Pem.readCrls(b);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("CRL " + p + ": " + e.getMessage(), e);
        }
    }

    /** The host key of a host-key document, which must be P-521. */
    static ECPublicKey hostKeyOf(X509Certificate hkd, Path p) {
        return HostKeys.requireP521(hkd.getPublicKey(), "host-key document " + p);
    }
}
