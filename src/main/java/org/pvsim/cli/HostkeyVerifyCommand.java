package org.pvsim.cli;

import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import org.pvsim.image.BoundedInput;
import org.pvsim.image.hostkey.HostKeyDocumentVerifier;
import org.pvsim.se.HostKeys;
import org.pvsim.se.Pem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pvsim hostkey verify}: the host-key document checks of {@code pvimg create}, alone (like pvverify). */
@Command(name = "verify", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        description = "Verify host-key documents against the IBM Z signing key, its chain of trust and CRLs, "
                + "as 'pvimg create' does. Prints 'verified' or the failure; exit code 0 or 1.")
final class HostkeyVerifyCommand implements Callable<Integer> {
    @Option(names = {"-k", "--host-key-document"}, required = true, paramLabel = "FILE", split = ",",
            description = "Host-key document(s) to verify (PEM or DER); repeatable.")
    List<Path> hostKeyDocuments;

    @Option(names = {"-C", "--cert", "--crt"}, paramLabel = "FILE", split = ",",
            description = "IBM Z signing-key certificate and intermediate CA certificate(s); repeatable.")
    List<Path> certs = new ArrayList<>();

    @Option(names = "--crl", paramLabel = "FILE", split = ",", description = "CRL(s) of the IBM Z signing key; repeatable.")
    List<Path> crls = new ArrayList<>();

    @Option(names = "--root-ca", paramLabel = "FILE",
            description = "Root CA to trust instead of the JDK's trust store.")
    Path rootCa;

    @Option(names = "--offline", description = "Do not download CRLs (pvsim never does: it has no network).")
    boolean offline;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<X509Certificate> documents = new ArrayList<>();
        List<String> origins = new ArrayList<>();
        for (Path p : hostKeyDocuments) {
            for (X509Certificate c : InputFiles.read(p, BoundedInput.Limit.HOST_KEY_DOCUMENT, Pem::readCertificates)) {
                documents.add(c);
                origins.add(p.toString());
            }
        }
        List<X509Certificate> chain = new ArrayList<>();
        for (Path p : certs) {
            chain.addAll(InputFiles.read(p, BoundedInput.Limit.CERTIFICATE, Pem::readCertificates));
        }
        List<X509CRL> crlList = new ArrayList<>();
        for (Path p : crls) {
            crlList.addAll(InputFiles.read(p, BoundedInput.Limit.CRL, Pem::readCrls));
        }
        X509Certificate root = null;
        if (rootCa != null) {
            List<X509Certificate> roots = InputFiles.read(rootCa, BoundedInput.Limit.CERTIFICATE, Pem::readCertificates);
            if (roots.size() != 1) {
                throw new IllegalArgumentException(rootCa + ": expected one root CA certificate, found " + roots.size());
            }
            root = roots.get(0);
        }
        HostKeyDocumentVerifier.verify(documents, chain, crlList, root, offline);
        var out = spec.commandLine().getOut();
        for (int i = 0; i < documents.size(); i++) {
            ECPublicKey key = (ECPublicKey) documents.get(i).getPublicKey();
            out.println(origins.get(i) + ": verified (host key hash "
                    + HexFormat.of().formatHex(HostKeys.hostKeyHash(key)) + ")");
        }
        return 0;
    }
}
