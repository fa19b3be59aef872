package org.pvsim.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.pvsim.image.hostkey.TestPki;
import org.pvsim.se.Pem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pvsim hostkey create-pki}: a whole test PKI as IBM's is shaped, see docs/hostkey-pki.md. */
@Command(name = "create-pki", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        description = {"Create a test PKI shaped like IBM's: root CA <- intermediate CA <- IBM Z signing key "
                + "<- host-key documents, the signing key's CRL (revoking one extra document), and the private keys.",
            "Only useful with --root-ca pointing at its root: nobody else trusts it."})
final class HostkeyCreatePkiCommand implements Callable<Integer> {
    static final String ROOT = "root-ca";
    static final String INTERMEDIATE = "intermediate-ca";
    static final String SIGNING_KEY = "ibm-z-signing-key";
    static final String REVOKED = "revoked-host";

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Directory for the files (created if missing).")
    Path out;

    @Option(names = "--hosts", paramLabel = "N", defaultValue = "1",
            description = "Number of good host-key documents host-1..host-N (default: ${DEFAULT-VALUE}).")
    int hosts;

    @Option(names = "--ca-key", paramLabel = "TYPE", defaultValue = "rsa4096",
            description = "Key type of the CAs and the signing key: rsa4096 or p521 (default: ${DEFAULT-VALUE}, "
                    + "as IBM's chain; p521 is much faster to generate).")
    String caKeyName;

    private TestPki.CaKeyType caKey;

    @Option(names = "--overwrite", description = "Replace existing files in DIR.")
    boolean overwrite;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        caKey = switch (caKeyName.toLowerCase(java.util.Locale.ROOT)) {
            case "rsa4096" -> TestPki.CaKeyType.RSA4096;
            case "p521" -> TestPki.CaKeyType.P521;
            default -> throw new IllegalArgumentException("--ca-key must be rsa4096 or p521, got '" + caKeyName + "'");
        };
        if (hosts < 1 || hosts > 1000) {
            throw new IllegalArgumentException("--hosts must be between 1 and 1000, got " + hosts);
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException(out + ": exists and is not a directory");
        }
        List<Path> targets = new ArrayList<>();
        for (String name : fileNames()) {
            targets.add(out.resolve(name));
        }
        OutputFiles.checkTargets(targets, overwrite);

        TestPki pki = TestPki.create(hosts, caKey, Instant.now(), new SecureRandom());

        boolean created = !Files.exists(out);
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create directory " + out + ": " + reason(e), e);
        }
        OutputFiles files = new OutputFiles(overwrite);
        issuerFiles(files, ROOT, pki.root().certificate(), pki.root().key());
        issuerFiles(files, INTERMEDIATE, pki.intermediate().certificate(), pki.intermediate().key());
        issuerFiles(files, SIGNING_KEY, pki.signingKey().certificate(), pki.signingKey().key());
        files.add(out.resolve(SIGNING_KEY + ".crl"), Pem.writeCrl(pki.crl()));
        for (TestPki.Host h : pki.hosts()) {
            hostFiles(files, h);
        }
        hostFiles(files, pki.revokedHost());
        try {
            files.write();
        } catch (RuntimeException e) {
            if (created) {
                try {
                    Files.deleteIfExists(out); // leave no trace of a failed run
                } catch (IOException ignored) {
                    // the directory is not empty: something else is using it
                }
            }
            throw e;
        }
        report(spec.commandLine().getOut(), pki);
        return 0;
    }

    private List<String> fileNames() {
        List<String> names = new ArrayList<>();
        for (String issuer : List.of(ROOT, INTERMEDIATE, SIGNING_KEY)) {
            names.add(issuer + ".crt");
            names.add(issuer + ".key");
        }
        names.add(SIGNING_KEY + ".crl");
        for (int i = 1; i <= hosts; i++) {
            names.add("host-" + i + ".crt");
            names.add("host-" + i + ".key");
        }
        names.add(REVOKED + ".crt");
        names.add(REVOKED + ".key");
        return names;
    }

    private void issuerFiles(OutputFiles files, String name, java.security.cert.X509Certificate cert,
            java.security.PrivateKey key) {
        files.add(out.resolve(name + ".crt"), Pem.writeCertificate(cert));
        files.addSecret(out.resolve(name + ".key"), Pem.writePrivateKey(key));
    }

    private void hostFiles(OutputFiles files, TestPki.Host h) {
        files.add(out.resolve(h.name() + ".crt"), Pem.writeCertificate(h.document()));
        files.addSecret(out.resolve(h.name() + ".key"), Pem.writePrivateKey(h.privateKey()));
    }

    private void report(PrintWriter w, TestPki pki) {
        String ca = caKey == TestPki.CaKeyType.P521 ? "EC secp521r1" : "RSA 4096";
        w.println("wrote a test PKI to " + out + ":");
        String row = "  %-27s %s%n";
        w.printf(row, ROOT + ".crt/.key", "root CA (self-signed, " + ca + ")");
        w.printf(row, INTERMEDIATE + ".crt/.key", "intermediate CA (signed by the root)");
        w.printf(row, SIGNING_KEY + ".crt/.key", "IBM Z signing key (signed by the intermediate, not a CA)");
        w.printf(row, SIGNING_KEY + ".crl", "its CRL, revoking " + REVOKED + ".crt (serial 0x"
                + pki.revokedHost().document().getSerialNumber().toString(16) + ")");
        for (TestPki.Host h : pki.hosts()) {
            w.printf(row, h.name() + ".crt/.key", "host-key document (EC secp521r1) and the host's private key");
        }
        w.printf(row, REVOKED + ".crt/.key", "a revoked host-key document, to see the refusal");
        String chain = " -C " + out.resolve(INTERMEDIATE + ".crt") + " -C " + out.resolve(SIGNING_KEY + ".crt")
                + " --crl " + out.resolve(SIGNING_KEY + ".crl") + " --root-ca " + out.resolve(ROOT + ".crt");
        w.println("build an image for host-1 with:");
        w.println("  pvsim image create -i KERNEL -o IMAGE -k " + out.resolve("host-1.crt") + chain);
        w.println("verify a host-key document with:");
        w.println("  pvsim hostkey verify -k " + out.resolve("host-1.crt") + chain);
    }

    private static String reason(IOException e) {
        return e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
                : e.getClass().getSimpleName() + (e.getMessage() != null ? " " + e.getMessage() : "");
    }
}
