package org.pvsim.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import org.pvsim.image.BoundedInput;
import org.pvsim.se.AttestationExchange;
import org.pvsim.se.AttestationMeasurement;
import org.pvsim.se.SeFormatException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pvsim attest perform}: pvattest perform, run by pvsim's guest agent in a protected guest booted
 * for the command ({@link GuestAgent}): RETRIEVE ATTESTATION MEASUREMENT on the request, the answer in
 * pvattest's exchange format for {@code attest verify}.
 */
@Command(name = "perform", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        description = {"Perform an attestation request in a protected guest (pvattest perform): boot the agent's "
                + "SE image and answer the request with the UV's measurement.",
                "A request the Ultravisor refuses (another host, a changed request) ends with its rc/rrc and exit 1."})
final class AttestPerformCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    AgentOptions agent = new AgentOptions();

    @Parameters(paramLabel = "REQUEST", description = "Attestation request (attest create).")
    Path request;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "Attestation result to write.")
    Path output;

    @Option(names = {"-u", "--user-data"}, paramLabel = "FILE",
            description = "Up to 256 bytes the measurement also covers (attest verify shows them).")
    Path userData;

    @Option(names = "--overwrite", description = "Replace the output if it exists.")
    boolean overwrite;

    @Override
    public Integer call() throws IOException {
        AttestationExchange ex;
        try {
            ex = AttestationExchange.parse(ImageKeyFiles.read(request, BoundedInput.Limit.of("attestation request",
                    BoundedInput.Limit.REQUEST.maxBytes())));
        } catch (SeFormatException e) {
            throw new IllegalArgumentException(request + ": " + e.getMessage(), e);
        }
        if (ex.request().length > GuestAgent.MAX_REQUEST) {
            throw new IllegalArgumentException(request + ": the attestation request is " + ex.request().length
                    + " bytes, more than the agent takes (" + GuestAgent.MAX_REQUEST + ")");
        }
        if (ex.additionalSize() > 256) {
            throw new IllegalArgumentException(request + ": asks for " + ex.additionalSize()
                    + " bytes of additional data, more than the agent takes (256)");
        }
        byte[] user = userData == null ? new byte[0] : ImageKeyFiles.read(userData,
                BoundedInput.Limit.of("--user-data", AttestationMeasurement.MAX_USER_DATA));
        OutputFiles.checkTargets(List.of(output), overwrite, request, agent.image, userData);
        HexFormat hex = HexFormat.of();
        AgentAnswer a = agent.run(List.of("attest " + ex.additionalSize() + " " + hex.formatHex(ex.request())
                + (user.length > 0 ? " " + hex.formatHex(user) : ""))).get(0);
        if (!a.executed()) {
            throw new IllegalArgumentException(request + ": the Ultravisor refused the attestation request: "
                    + UvRefusal.attest(a));
        }
        byte[] measurement = field(a, "measurement");
        byte[] additional = field(a, "additional");
        byte[] cuid = field(a, "cuid");
        if (measurement == null || cuid == null) {
            throw new IllegalStateException("the guest agent's answer has no measurement");
        }
        byte[] result = AttestationExchange.response(ex.request(), measurement, additional,
                user.length > 0 ? user : null, cuid).encode();
        new OutputFiles(overwrite).add(output, result).write();
        spec.commandLine().getOut().println("wrote " + output + " (attestation result, config UID 0x"
                + hex.formatHex(cuid) + (additional != null ? ", " + additional.length + " bytes of additional data" : "")
                + ")");
        return 0;
    }

    private static byte[] field(AgentAnswer a, String name) {
        return a.data().stream().filter(l -> l.startsWith(name + " ")).findFirst()
                .map(l -> HexFormat.of().parseHex(l.substring(name.length() + 1))).orElse(null);
    }
}
