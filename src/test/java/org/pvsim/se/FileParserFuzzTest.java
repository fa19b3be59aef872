package org.pvsim.se;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Fuzzes the parsers of the files a user hands pvsim: PEM/DER private keys, certificates (host-key documents,
 * the signing chain) and CRLs. Whatever the bytes, they may only throw {@link IllegalArgumentException}
 * (which the CLI turns into one line naming the file). {@code mvn verify} replays the seeds in
 * FileParserFuzzTestInputs/; {@code mvn verify -Pfuzz -Dtest=FileParserFuzzTest#fuzzCrls} really fuzzes.
 */
class FileParserFuzzTest {
    @FuzzTest
    void fuzzPrivateKey(byte[] data) {
        try {
            Pem.readPrivateKey(data).getParams();
        } catch (IllegalArgumentException expected) {
            // the only acceptable outcome for hostile bytes
        }
    }

    @FuzzTest
    void fuzzCertificates(byte[] data) {
        try {
            List<X509Certificate> certs = Pem.readCertificates(data);
            for (X509Certificate c : certs) {
                c.getSubjectX500Principal();
                c.getPublicKey();
            }
        } catch (IllegalArgumentException expected) {
            // fine
        }
    }

    @FuzzTest
    void fuzzCrls(byte[] data) {
        try {
            for (X509CRL crl : Pem.readCrls(data)) {
                crl.getIssuerX500Principal();
                crl.getRevokedCertificates();
            }
        } catch (IllegalArgumentException expected) {
            // fine
        }
    }
}
