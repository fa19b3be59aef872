package org.pvsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pvsim.image.TestImages;
import org.pvsim.image.hostkey.TestPki;
import org.pvsim.se.Pem;

/** create with host-key document verification on (-C, --crl, --root-ca, --offline), through the hostkey package. */
class ImageCreateVerifiedTest {
    @TempDir
    static Path dir;
    static TestPki pki;
    static Path kernel;
    static Path chain;
    static Path crl;
    static Path root;

    @BeforeAll
    static void pki() throws Exception {
        pki = TestPki.create(1, TestPki.CaKeyType.P521, Instant.now(), new SecureRandom());
        kernel = TestImages.kernel(dir, 0x11000, 9);
        chain = Files.write(dir.resolve("chain.pem"), Pem.writeCertificates(pki.chainCertificates()));
        crl = Files.write(dir.resolve("signing.crl"), Pem.writeCrl(pki.crl()));
        root = Files.write(dir.resolve("root.crt"), Pem.writeCertificate(pki.root().certificate()));
    }

    private static int run(StringWriter err, String... args) {
        return Main.run(args, new PrintWriter(new StringWriter()), new PrintWriter(err), ImageCommandTest.FAKE_BOOT);
    }

    private static String[] create(Path hkd, Path out) {
        return new String[] {"image", "create", "-i", kernel.toString(), "-o", out.toString(), "-k", hkd.toString(),
            "-C", chain.toString(), "--crl", crl.toString(), "--root-ca", root.toString(), "--offline"};
    }

    @Test
    void verifiedDocumentIsAccepted() throws Exception {
        Path hkd = Files.write(dir.resolve("good.crt"), Pem.writeCertificate(pki.hosts().get(0).document()));
        Path key = Files.write(dir.resolve("good.key"), Pem.writePrivateKey(pki.hosts().get(0).privateKey()));
        Path out = dir.resolve("good.img");
        StringWriter err = new StringWriter();
        assertThat(run(err, create(hkd, out))).as(err.toString()).isZero();
        assertThat(err.toString()).doesNotContain("WARNING: host-key document verification is disabled");
        assertThat(run(err, "image", "verify", "--host-key", key.toString(), out.toString())).isZero();
    }

    @Test
    void revokedDocumentIsRefusedWithoutOutput() throws Exception {
        Path hkd = Files.write(dir.resolve("revoked.crt"), Pem.writeCertificate(pki.revokedHost().document()));
        Path out = dir.resolve("revoked.img");
        StringWriter err = new StringWriter();
        assertThat(run(err, create(hkd, out))).isEqualTo(1);
        assertThat(err.toString().lines().toList()).hasSize(1);
        assertThat(err.toString()).startsWith("pvsim: host-key document verification failed: ").contains("revoked");
        assertThat(out).doesNotExist();
    }
}
