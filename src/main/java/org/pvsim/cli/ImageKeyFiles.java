package org.pvsim.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.List;
import org.pvsim.image.BoundedInput;
import org.pvsim.se.HostKeys;
import org.pvsim.se.Pem;

/**
 * Reads the files the image commands take (raw key files, private keys, certificates, CRLs), each error one
 * line naming the file.
 */
final class ImageKeyFiles {
    private ImageKeyFiles() {
    }

    /** The whole file, bounded by {@code limit}; errors name the file and what it was meant to be. */
    static byte[] read(Path p, BoundedInput.Limit limit) throws IOException {
        return BoundedInput.readAll(p, limit);
    }

    /** A raw binary key of an exact size (pvimg's --hdr-key, --image-key, --cck files). */
    static byte[] rawKey(Path p, String option, int size) throws IOException {
        if (p == null) {
            return null;
        }
        byte[] k = read(p, BoundedInput.Limit.rawKey(option + " key file", size));
        if (k.length != size) {
            throw new IllegalArgumentException(option + " " + p + ": key must be " + size + " bytes, the file has "
                    + k.length);
        }
        return k;
    }

    /** A host private key (PEM or DER, PKCS#8 or SEC1) on P-521. */
    static ECPrivateKey hostPrivateKey(Path p) throws IOException {
        byte[] b = read(p, BoundedInput.Limit.PRIVATE_KEY);
        try {
            return Pem.readPrivateKey(b);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("host key " + p + ": " + e.getMessage(), e);
        }
    }

    /** The simulated machine's host private keys, in order ({@code pvsim run --host-key}, the guest agent). */
    static List<ECPrivateKey> hostPrivateKeys(List<Path> files) throws IOException {
        List<ECPrivateKey> keys = new ArrayList<>();
        for (Path p : files) {
            keys.add(hostPrivateKey(p));
        }
        return keys;
    }

    /** Certificates from a PEM (one or more) or DER file. */
    static List<X509Certificate> certificates(Path p, String what) throws IOException {
        byte[] b = read(p, what.equals("host-key document") ? BoundedInput.Limit.HOST_KEY_DOCUMENT
                : BoundedInput.Limit.of(what, BoundedInput.Limit.CERTIFICATE.maxBytes()));
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
        byte[] b = read(p, BoundedInput.Limit.CRL);
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
