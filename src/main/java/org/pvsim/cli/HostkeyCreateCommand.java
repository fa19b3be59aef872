package org.pvsim.cli;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.pvsim.image.hostkey.Issuer;
import org.pvsim.se.HostKeys;
import org.pvsim.se.Pem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pvsim hostkey create}: one secp521r1 host key and a self-signed host-key document for it. */
@Command(name = "create", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        description = {"Create a fresh EC secp521r1 host key (PKCS#8 PEM, mode 0600) and a self-signed "
                + "host-key document (X.509 PEM) for it.",
            "A self-signed document is not vouched for by IBM: images for it need 'pvsim image create --no-verify'."})
final class HostkeyCreateCommand implements Callable<Integer> {
    @Option(names = "--key-out", required = true, paramLabel = "FILE", description = "Where to write the private key.")
    Path keyOut;

    @Option(names = "--cert-out", required = true, paramLabel = "FILE",
            description = "Where to write the host-key document.")
    Path certOut;

    @Option(names = "--subject", paramLabel = "DN", defaultValue = "C=US, O=pvsim, CN=pvsim host key",
            description = "Subject (and issuer) of the document (default: ${DEFAULT-VALUE}).")
    String subject;

    @Option(names = "--days", paramLabel = "N", defaultValue = "365",
            description = "Validity in days from now (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--overwrite", description = "Replace existing output files.")
    boolean overwrite;

    @Spec
    CommandSpec spec;

    /** RFC 5280's GeneralizedTime ends with year 9999. */
    static final Instant LAST_X509_TIME = Instant.parse("9999-12-31T23:59:59Z");

    @Override
    public Integer call() {
        if (days < 1) {
            throw new IllegalArgumentException("--days must be at least 1, got " + days);
        }
        X500Name name = SubjectName.parse(subject);
        Instant now = Instant.now();
        if (now.plus(Duration.ofDays(days)).isAfter(LAST_X509_TIME)) {
            throw new IllegalArgumentException("--days " + days + ": the document would expire after 9999-12-31,"
                    + " the last date an X.509 certificate can hold");
        }
        KeyPair keys = HostKeys.generateKeyPair(new SecureRandom());
        X509Certificate hkd = Issuer.selfSigned(name, keys, Issuer.Profile.HOST_KEY_DOCUMENT,
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(days)));
        new OutputFiles(overwrite)
                .addSecret(keyOut, Pem.writePrivateKey(keys.getPrivate()))
                .add(certOut, Pem.writeCertificate(hkd))
                .write();

        var out = spec.commandLine().getOut();
        out.println("wrote " + keyOut + " (EC secp521r1 private key, PKCS#8 PEM, mode 0600)");
        out.println("wrote " + certOut + " (self-signed host-key document '" + name + "', valid until "
                + hkd.getNotAfter().toInstant() + ")");
        out.println("host key hash: " + HexFormat.of().formatHex(HostKeys.hostKeyHash((ECPublicKey) keys.getPublic())));
        return 0;
    }

    /**
     * Apart from the command, whose declared methods picocli reflects on for every command line: a Bouncy
     * Castle type in their signatures would load (and verify the signature of) the whole signed jar.
     */
    static final class SubjectName {
        private SubjectName() {
        }

        static X500Name parse(String dn) {
            try {
                X500Name name = new X500Name(BCStyle.INSTANCE, dn);
                if (name.getRDNs().length == 0) {
                    throw new IllegalArgumentException("empty name");
                }
                return name;
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("--subject '" + dn + "': not a distinguished name like 'CN=host1, O=Example' ("
                        + e.getMessage() + ")", e);
            }
        }
    }
}
