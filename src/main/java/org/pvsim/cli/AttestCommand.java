package org.pvsim.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import org.pvsim.se.AttestationExchange;
import org.pvsim.se.AttestationMeasurement;
import org.pvsim.se.AttestationRequest;
import org.pvsim.se.SeFormatException;
import org.pvsim.se.SeHeader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pvsim attest}: pvattest's verifier side. {@code create} seals an attestation request for host
 * keys into pvattest's exchange format and keeps the request protection key; the guest performs it
 * (RETRIEVE ATTESTATION MEASUREMENT); {@code verify} opens the request in the answer with that key and
 * recomputes the measurement from the SE header it expects.
 */
@Command(name = "attest", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        description = "Create attestation requests, perform them in a guest and verify the measurements (like pvattest).",
        subcommands = {AttestCommand.Create.class, AttestPerformCommand.class, AttestCommand.Verify.class})
final class AttestCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "create", mixinStandardHelpOptions = true, addMethodSubcommands = false,
            description = "Create an attestation request.")
    static final class Create implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        HostKeyDocumentOptions hostKeys = new HostKeyDocumentOptions();

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE",
                description = "Attestation request (exchange format) to write.")
        Path output;

        @Option(names = "--arpk", required = true, paramLabel = "FILE",
                description = "Where to save the request protection key (mode 0600); verify needs it.")
        Path arpk;

        @Option(names = "--add-data", paramLabel = "KIND", split = ",",
                description = "Additional data to request: phkh-img, phkh-att.")
        List<String> addData = List.of();

        @Option(names = "--overwrite", description = "Replace the outputs if they exist.")
        boolean overwrite;

        @Override
        public Integer call() throws IOException {
            hostKeys.checkUsage();
            long flags = 0;
            for (String a : addData) {
                flags |= switch (a) {
                    case "phkh-img" -> AttestationRequest.FLAG_IMAGE_PHKH;
                    case "phkh-att" -> AttestationRequest.FLAG_ATTEST_PHKH;
                    default -> throw new IllegalArgumentException(
                            "--add-data: unknown kind '" + a + "' (expected phkh-img or phkh-att)");
                };
            }
            OutputFiles.checkTargets(List.of(output, arpk), overwrite, hostKeys.inputs());
            AttestationRequest.Sealed s = AttestationRequest.create(hostKeys.hostKeys(Log.of(spec), "attestation request"),
                    flags, new SecureRandom());
            int add = AttestationRequest.parse(s.bytes()).additionalDataSize();
            new OutputFiles(overwrite).add(output, AttestationExchange.request(s.bytes(), add).encode())
                    .addSecret(arpk, s.arpk()).write();
            PrintWriter out = spec.commandLine().getOut();
            out.println("wrote " + output + " (attestation request for " + hostKeys.hostKeyDocuments.size()
                    + " host key(s))");
            out.println("wrote " + arpk + " (request protection key, mode 0600)");
            return 0;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, addMethodSubcommands = false,
            description = "Verify an attestation result against the SE header of the expected image.")
    static final class Verify implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = {"-i", "--input"}, required = true, paramLabel = "FILE",
                description = "Attestation result (exchange format) from the guest.")
        Path input;

        @Option(names = "--hdr", required = true, paramLabel = "FILE", description = "SE header or SE image expected.")
        Path hdr;

        @Option(names = "--arpk", required = true, paramLabel = "FILE", description = "The request protection key.")
        Path arpk;

        @Override
        public Integer call() throws IOException {
            AttestationExchange ex;
            AttestationRequest req;
            try {
                ex = AttestationExchange.parse(ImageKeyFiles.read(input, org.pvsim.image.BoundedInput.Limit.of(
                        "attestation result", org.pvsim.image.BoundedInput.Limit.REQUEST.maxBytes())));
                req = AttestationRequest.parse(ex.request());
            } catch (SeFormatException e) {
                throw new IllegalArgumentException(input + ": " + e.getMessage(), e);
            }
            if (!ex.isResponse()) {
                throw new IllegalArgumentException(input + ": an attestation request, not a result (perform it first)");
            }
            byte[] key = ImageKeyFiles.rawKey(arpk, "--arpk", 32);
            byte[] secret = req.open(key);
            if (secret == null) {
                throw new IllegalArgumentException(input + ": the attestation request in it was not made with "
                        + arpk + " (another or a replayed request)");
            }
            SeHeader h = SeHeaderFiles.read(hdr);
            byte[] measKey = Arrays.copyOf(secret, AttestationRequest.MEASUREMENT_KEY);
            byte[] nonce = secret.length > AttestationRequest.MEASUREMENT_KEY
                    ? Arrays.copyOfRange(secret, AttestationRequest.MEASUREMENT_KEY, secret.length) : null;
            byte[] user = ex.userData() == null ? new byte[0] : ex.userData();
            byte[] add = ex.additional() == null ? new byte[0] : ex.additional();
            if (ex.measurement().length != AttestationMeasurement.SIZE || !AttestationMeasurement.verify(
                    ex.measurement(), measKey, h.pld(), h.ald(), h.tld(), h.tag(), ex.cuid(), user, nonce, add)) {
                throw new IllegalArgumentException("attestation measurement verification failed: " + input
                        + " is not a measurement of the image " + hdr);
            }
            HexFormat hex = HexFormat.of();
            PrintWriter out = spec.commandLine().getOut();
            out.println("Attestation measurement verified");
            out.println("  config UID:      0x" + hex.formatHex(ex.cuid()));
            out.println("  SE-header tag:   0x" + hex.formatHex(h.tag()));
            if (user.length > 0) {
                out.println("  user data:       0x" + hex.formatHex(user));
            }
            int off = 0;
            if ((req.flags() & AttestationRequest.FLAG_IMAGE_PHKH) != 0 && add.length >= off + 32) {
                out.println("  image PHKH:      0x" + hex.formatHex(add, off, off + 32));
                off += 32;
            }
            if ((req.flags() & AttestationRequest.FLAG_ATTEST_PHKH) != 0 && add.length >= off + 32) {
                out.println("  attestation PHKH: 0x" + hex.formatHex(add, off, off + 32));
            }
            return 0;
        }
    }
}
