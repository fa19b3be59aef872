package org.pvsim.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pvsim.se.HostKeys;
import org.pvsim.se.Pem;

/** {@code pvsim hostkey ...} through {@link Main#run}: happy paths, then one bad input at a time. */
class HostkeyCommandTest {
    @TempDir
    static Path shared;
    static Path pki;

    @TempDir
    Path dir;

    private record Result(int rc, String out, String err) {
        /** The CLI's error contract: exit 1 and exactly one line "pvsim: ..." on stderr. */
        Result failedWith(String fragment) {
            assertThat(rc).as("exit code; stderr: " + err).isEqualTo(1);
            assertThat(err.lines().toList()).as("stderr").hasSize(1);
            assertThat(err).startsWith("pvsim: ").contains(fragment);
            return this;
        }

        Result succeeded() {
            assertThat(rc).as("exit code; stderr: " + err).isZero();
            assertThat(err).isEmpty();
            return this;
        }
    }

    private static Result run(Object... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] strings = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            strings[i] = args[i].toString();
        }
        int rc = Main.run(strings, new PrintWriter(out), new PrintWriter(err));
        return new Result(rc, out.toString(), err.toString());
    }

    @BeforeAll
    static void createPki() {
        pki = shared.resolve("pki");
        Result r = run("hostkey", "create-pki", "--out", pki, "--hosts", "2", "--ca-key", "p521").succeeded();
        assertThat(r.out()).contains("wrote a test PKI to " + pki)
                .contains("pvsim image create -i KERNEL -o IMAGE -k " + pki.resolve("host-1.crt")
                        + " -C " + pki.resolve("intermediate-ca.crt") + " -C " + pki.resolve("ibm-z-signing-key.crt")
                        + " --crl " + pki.resolve("ibm-z-signing-key.crl") + " --root-ca " + pki.resolve("root-ca.crt"));
    }

    private static List<Object> chainArgs() {
        return List.of("-C", pki.resolve("intermediate-ca.crt"), "-C", pki.resolve("ibm-z-signing-key.crt"),
                "--crl", pki.resolve("ibm-z-signing-key.crl"), "--root-ca", pki.resolve("root-ca.crt"));
    }

    private static Result verify(Object... hkdArgs) {
        List<Object> args = new ArrayList<>(List.of("hostkey", "verify"));
        args.addAll(List.of(hkdArgs));
        args.addAll(chainArgs());
        return run(args.toArray());
    }

    // ------------------------------------------------------------------------------ create

    @Test
    void createWritesAKeyAndItsSelfSignedDocument() throws Exception {
        Path key = dir.resolve("host.key");
        Path crt = dir.resolve("host.crt");
        Result r = run("hostkey", "create", "--key-out", key, "--cert-out", crt, "--subject", "CN=lpar7, O=Example",
                "--days", "10").succeeded();
        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        ECPrivateKey privateKey = Pem.readPrivateKey(Files.readAllBytes(key));
        X509Certificate hkd = Pem.readCertificates(Files.readAllBytes(crt)).get(0);
        assertThat(hkd.getPublicKey().getEncoded()).isEqualTo(HostKeys.publicKeyOf(privateKey).getEncoded());
        hkd.verify(hkd.getPublicKey()); // self-signed
        assertThat(hkd.getSubjectX500Principal().getName()).isEqualTo("O=Example,CN=lpar7");
        assertThat(Duration.between(Instant.now(), hkd.getNotAfter().toInstant()).toDays()).isBetween(9L, 10L);
        String hash = HexFormat.of().formatHex(HostKeys.hostKeyHash(HostKeys.publicKeyOf(privateKey)));
        assertThat(r.out()).contains("wrote " + key).contains("wrote " + crt).contains("host key hash: " + hash);
        assertThat(Files.list(dir).map(p -> p.getFileName().toString()).toList())
                .containsExactlyInAnyOrder("host.key", "host.crt"); // no temporary files left
    }

    @Test
    void createRefusesExistingOutputUnlessOverwrite() throws Exception {
        Path key = dir.resolve("host.key");
        Path crt = dir.resolve("host.crt");
        Files.writeString(crt, "precious");
        run("hostkey", "create", "--key-out", key, "--cert-out", crt)
                .failedWith(crt + ": file exists (use --overwrite to replace it)");
        assertThat(Files.readString(crt)).isEqualTo("precious");
        assertThat(key).doesNotExist();
        run("hostkey", "create", "--key-out", key, "--cert-out", crt, "--overwrite").succeeded();
        assertThat(Pem.readCertificates(Files.readAllBytes(crt))).hasSize(1);
    }

    @Test
    void createIntoAnUnusableDirectoryLeavesNothing() throws Exception {
        Path notADir = dir.resolve("file");
        Files.writeString(notADir, "x");
        Path key = dir.resolve("host.key");
        run("hostkey", "create", "--key-out", key, "--cert-out", notADir.resolve("host.crt"))
                .failedWith("cannot write " + notADir.resolve("host.crt") + ": Not a directory");
        assertThat(key).doesNotExist();
        assertThat(Files.list(dir).toList()).containsExactly(notADir);
    }

    @Test
    void createIntoAReadOnlyDirectory() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")), "root may write anywhere");
        Path ro = Files.createDirectory(dir.resolve("ro"));
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            run("hostkey", "create", "--key-out", ro.resolve("k"), "--cert-out", ro.resolve("c"))
                    .failedWith("cannot write " + ro.resolve("k") + ": permission denied");
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void createRejectsBadArguments() {
        Path key = dir.resolve("k");
        Path crt = dir.resolve("c");
        run("hostkey", "create", "--key-out", key, "--cert-out", crt, "--subject", "no equals sign")
                .failedWith("--subject 'no equals sign': not a distinguished name");
        run("hostkey", "create", "--key-out", key, "--cert-out", crt, "--days", "0")
                .failedWith("--days must be at least 1, got 0");
        run("hostkey", "create", "--key-out", key, "--cert-out", key).failedWith(key + ": given for two outputs");
        assertThat(key).doesNotExist();
        assertThat(run("hostkey", "create", "--key-out", key).rc()).isEqualTo(2); // usage error: --cert-out missing
    }

    // ------------------------------------------------------------------------------ create-pki

    @Test
    void createPkiWritesEveryFileWithKeysPrivate() throws IOException {
        for (String name : List.of("root-ca", "intermediate-ca", "ibm-z-signing-key", "host-1", "host-2",
                "revoked-host")) {
            assertThat(pki.resolve(name + ".crt")).isRegularFile();
            assertThat(Files.getPosixFilePermissions(pki.resolve(name + ".key")))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        }
        assertThat(Pem.readCrls(Files.readAllBytes(pki.resolve("ibm-z-signing-key.crl")))).hasSize(1);
        X509Certificate hkd = Pem.readCertificates(Files.readAllBytes(pki.resolve("host-1.crt"))).get(0);
        ECPrivateKey key = Pem.readPrivateKey(Files.readAllBytes(pki.resolve("host-1.key")));
        assertThat(HostKeys.publicKeyOf(key).getEncoded()).isEqualTo(hkd.getPublicKey().getEncoded());
        assertThat(Files.list(pki).count()).isEqualTo(13);
    }

    @Test
    void createPkiRefusesToReplaceFilesAndRejectsBadArguments() throws IOException {
        byte[] before = Files.readAllBytes(pki.resolve("root-ca.crt"));
        run("hostkey", "create-pki", "--out", pki, "--ca-key", "p521")
                .failedWith(pki.resolve("root-ca.crt") + ": file exists (use --overwrite to replace it)");
        assertThat(Files.readAllBytes(pki.resolve("root-ca.crt"))).isEqualTo(before);
        Path file = Files.writeString(dir.resolve("f"), "x");
        run("hostkey", "create-pki", "--out", file, "--ca-key", "p521").failedWith(file + ": exists and is not a directory");
        run("hostkey", "create-pki", "--out", dir.resolve("p"), "--hosts", "0").failedWith("--hosts must be between 1");
        run("hostkey", "create-pki", "--out", dir.resolve("p"), "--ca-key", "dsa")
                .failedWith("--ca-key must be rsa4096 or p521, got 'dsa'");
        assertThat(dir.resolve("p")).doesNotExist();
    }

    @Test
    void createPkiUnderAFileFails() throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "x");
        run("hostkey", "create-pki", "--out", file.resolve("pki"), "--ca-key", "p521")
                .failedWith("cannot create directory " + file.resolve("pki"));
    }

    // ------------------------------------------------------------------------------ verify

    @Test
    void verifyAcceptsTheGoodDocuments() {
        Result r = verify("-k", pki.resolve("host-1.crt"), "-k", pki.resolve("host-2.crt")).succeeded();
        assertThat(r.out().lines().toList()).hasSize(2).allMatch(l -> l.contains(": verified (host key hash "));
        assertThat(r.out()).contains(pki.resolve("host-1.crt") + ": verified");
    }

    @Test
    void verifyRefusesTheRevokedDocument() {
        verify("-k", pki.resolve("host-1.crt"), "-k", pki.resolve("revoked-host.crt"))
                .failedWith("host-key document 2 (").failedWith("CN=revoked-host'").failedWith(": revoked: serial 0x");
    }

    @Test
    void verifyWithoutCrlSaysWhy() {
        run("hostkey", "verify", "-k", pki.resolve("host-1.crt"), "-C", pki.resolve("intermediate-ca.crt"),
                "-C", pki.resolve("ibm-z-signing-key.crt"), "--root-ca", pki.resolve("root-ca.crt"))
                .failedWith("pvsim cannot download CRLs from the distribution points");
    }

    @Test
    void verifyWithoutSigningKey() {
        run("hostkey", "verify", "-k", pki.resolve("host-1.crt"), "-C", pki.resolve("host-1.crt"), "--offline")
                .failedWith("please specify at least one IBM Z signing key");
    }

    @Test
    void verifyNamesTheBadInputFile() throws IOException {
        Path missing = dir.resolve("nope.crt");
        verify("-k", missing).failedWith("pvsim: " + missing + ": no such file");
        Path garbage = Files.writeString(dir.resolve("garbage.crt"), "hello");
        verify("-k", garbage).failedWith("pvsim: " + garbage + ": not a certificate: neither PEM");
        Path empty = Files.write(dir.resolve("empty.crt"), new byte[0]);
        verify("-k", empty).failedWith(empty + ": empty input");
        run("hostkey", "verify", "-k", pki.resolve("host-1.crt"), "--root-ca", pki.resolve("host-1.key"))
                .failedWith(pki.resolve("host-1.key") + ": no certificate found (PEM blocks present: PRIVATE KEY)");
        String pem = Files.readString(pki.resolve("host-1.crt"), StandardCharsets.US_ASCII);
        Path truncated = Files.writeString(dir.resolve("truncated.crt"), pem.substring(0, pem.length() / 2));
        verify("-k", truncated).failedWith("has no '-----END CERTIFICATE-----' line (truncated?)");
        verify("-k", dir).failedWith(dir + ": is a directory");
    }
}
