package org.pvsim.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import org.pvsim.se.AddSecretRequest;
import org.pvsim.se.GuestSecret;
import org.pvsim.se.KeySlot;
import org.pvsim.se.SeFormatException;
import org.pvsim.se.SeHeader;
import org.pvsim.se.SecretType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code pvsim secret}: pvsecret's customer side, add-secret requests for one SE image. */
@Command(name = "secret", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        description = "Create and verify add-secret requests, and add, list and lock secrets in a guest (like pvsecret).",
        subcommands = {SecretCommand.Create.class, SecretCommand.Verify.class, SecretGuestCommand.Add.class,
            SecretGuestCommand.ListSecrets.class, SecretGuestCommand.Lock.class, SecretGuestCommand.Agent.class})
final class SecretCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "create", mixinStandardHelpOptions = true, addMethodSubcommands = false,
            description = "Create an add-secret request bound to an SE image for the given hosts.",
            subcommands = {Meta.class, Association.class, Retrievable.class})
    static final class Create implements Runnable {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        HostKeyDocumentOptions hostKeys = new HostKeyDocumentOptions();

        @Option(names = "--hdr", required = true, paramLabel = "FILE",
                description = "SE header (pvextract-hdr) or SE image the request is for.")
        Path hdr;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "Request to write.")
        Path output;

        @Option(names = "--cuid-hex", paramLabel = "HEX", description = "Bind to one configuration: its 16-byte CUID.")
        String cuidHex;

        @Option(names = "--cuid", paramLabel = "FILE", description = "As --cuid-hex, from a 16-byte file.")
        Path cuidFile;

        @Option(names = "--extension-secret", paramLabel = "FILE", description = "32-byte extension secret.")
        Path extensionSecret;

        @Option(names = "--cck", paramLabel = "FILE",
                description = "Customer communication key (32 bytes): derive the extension secret from it.")
        Path cck;

        @Option(names = "--flags", paramLabel = "FLAG", split = ",", description = "Request flags: disable-dump.")
        List<String> flags = List.of();

        @Option(names = "--overwrite", description = "Replace the output if it exists.")
        boolean overwrite;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }

        int create(GuestSecret secret, PrintWriter out, Path secretOut) throws IOException {
            return create(secret, out, secretOut, null);
        }

        /** {@code secretIn}: the file the secret was read from (null: none), which no output may replace. */
        int create(GuestSecret secret, PrintWriter out, Path secretOut, Path secretIn) throws IOException {
            hostKeys.checkUsage();
            if (extensionSecret != null && cck != null) {
                throw UsageException.conflict("--extension-secret", "--cck");
            }
            if (cuidHex != null && cuidFile != null) {
                throw UsageException.conflict("--cuid-hex", "--cuid");
            }
            long f = 0;
            for (String flag : flags) {
                if (!flag.equals("disable-dump")) {
                    throw new UsageException("--flags: unknown flag '" + flag + "' (expected disable-dump)");
                }
                f |= AddSecretRequest.FLAG_DISABLE_DUMP;
            }
            byte[] cuid = cuidFile != null ? ImageKeyFiles.rawKey(cuidFile, "--cuid", 16) : cuidHex(cuidHex);
            SeHeader header = SeHeaderFiles.read(hdr);
            byte[] ext = ImageKeyFiles.rawKey(extensionSecret, "--extension-secret", 32);
            if (cck != null) {
                ext = AddSecretRequest.derivedExtensionSecret(ImageKeyFiles.rawKey(cck, "--cck", 32), header.tag());
            }
            List<Path> inputs = new java.util.ArrayList<>(java.util.Arrays.asList(hostKeys.inputs()));
            inputs.addAll(java.util.Arrays.asList(hdr, cck, extensionSecret, cuidFile, secretIn));
            OutputFiles.checkTargets(secretOut == null ? List.of(output) : List.of(output, secretOut), overwrite,
                    inputs.toArray(Path[]::new));
            byte[] req = AddSecretRequest.create(secret, header.bootTags(), f, cuid, ext, hostKeys.hostKeys(Log.of(spec), "add-secret request"),
                    new SecureRandom());
            OutputFiles files = new OutputFiles(overwrite).add(output, req);
            if (secretOut != null) {
                files.addSecret(secretOut, secret.value());
            }
            files.write();
            out.println("wrote " + output + " (add-secret request, " + secret.type().display()
                    + (secret.name() != null ? " '" + secret.name() + "'" : "") + ", " + req.length + " bytes)");
            if (secret.id() != null) {
                out.println("secret id: 0x" + HexFormat.of().formatHex(secret.id()));
            }
            return 0;
        }

        private static byte[] cuidHex(String hex) {
            if (hex == null) {
                return null;
            }
            String h = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
            if (!h.matches("[0-9a-fA-F]{32}")) {
                throw new IllegalArgumentException("--cuid-hex: expected 32 hex digits, got '" + hex + "'");
            }
            return HexFormat.of().parseHex(h);
        }
    }

    @Command(name = "meta", mixinStandardHelpOptions = true, addMethodSubcommands = false,
            description = "A request without a secret (flags only).")
    static final class Meta implements Callable<Integer> {
        @ParentCommand
        Create create;

        @Override
        public Integer call() throws IOException {
            return create.create(GuestSecret.meta(), create.spec.commandLine().getOut(), null);
        }
    }

    @Command(name = "association", mixinStandardHelpOptions = true, addMethodSubcommands = false,
            description = "An association secret (32 bytes) to bind an AP queue to the guest.")
    static final class Association implements Callable<Integer> {
        @ParentCommand
        Create create;

        @Parameters(paramLabel = "NAME", description = "Name of the secret; its id is SHA-256 of the name.")
        String name;

        @Option(names = "--input-secret", paramLabel = "FILE", description = "The 32-byte secret (default: random).")
        Path input;

        @Option(names = "--output-secret", paramLabel = "FILE", description = "Where to save the secret (mode 0600).")
        Path output;

        @Override
        public Integer call() throws IOException {
            byte[] value = ImageKeyFiles.rawKey(input, "--input-secret", 32);
            return create.create(GuestSecret.association(name, value, new SecureRandom()),
                    create.spec.commandLine().getOut(), output, input);
        }
    }

    @Command(name = "retrievable", aliases = "retr", mixinStandardHelpOptions = true, addMethodSubcommands = false,
            description = "A secret the guest can retrieve later (keys come back as protected keys).")
    static final class Retrievable implements Callable<Integer> {
        @ParentCommand
        Create create;

        @Parameters(paramLabel = "NAME", description = "Name of the secret; its id is SHA-256 of the name.")
        String name;

        @Option(names = "--secret", required = true, paramLabel = "FILE", description = "The secret value.")
        Path secret;

        @Option(names = "--type", required = true, paramLabel = "TYPE",
                description = "plain, aes, aes-xts or hmac-sha (the size comes from the file).")
        String type;

        @Override
        public Integer call() throws IOException {
            byte[] raw = ImageKeyFiles.read(secret, org.pvsim.image.BoundedInput.Limit.of("--secret file",
                    org.pvsim.image.BoundedInput.Limit.SECRET.maxBytes()));
            SecretType t = SecretType.retrievable(type, raw.length);
            return create.create(GuestSecret.retrievable(t, name, raw), create.spec.commandLine().getOut(), null, secret);
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, addMethodSubcommands = false,
            description = "Check the structure of an add-secret request and print what it carries.")
    static final class Verify implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "Add-secret request.")
        Path request;

        @Option(names = "--hdr", paramLabel = "FILE", description = "Also check it is bound to this SE header/image.")
        Path hdr;

        @Override
        public Integer call() throws IOException {
            byte[] b = ImageKeyFiles.read(request, org.pvsim.image.BoundedInput.Limit.of("add-secret request",
                    org.pvsim.image.BoundedInput.Limit.REQUEST.maxBytes()));
            AddSecretRequest r;
            try {
                r = AddSecretRequest.parse(b);
            } catch (SeFormatException e) {
                throw new IllegalArgumentException(request + ": " + e.getMessage(), e);
            }
            if (hdr != null && !java.util.Arrays.equals(r.bootTags(), SeHeaderFiles.read(hdr).bootTags())) {
                throw new IllegalArgumentException(request + ": the request is for another SE image than " + hdr);
            }
            HexFormat hex = HexFormat.of();
            PrintWriter out = spec.commandLine().getOut();
            out.println("add-secret request " + request + ": well formed" + (hdr != null ? ", bound to " + hdr : ""));
            out.println("  secret type:   " + r.secretType().display() + " (" + r.secretLength() + " bytes)");
            if (r.secretId() != null) {
                out.println("  secret id:     0x" + hex.formatHex(r.secretId()));
            }
            out.printf("  flags:         0x%016x%s%n", r.flags(),
                    (r.flags() & AddSecretRequest.FLAG_DISABLE_DUMP) != 0 ? " (disable dump)" : "");
            out.println("  SE-header tag: 0x" + hex.formatHex(r.bootTags(), 192, 208));
            out.println("  CUID:          " + (r.boundToConfiguration() ? "0x" + hex.formatHex(r.cuid()) : "any"));
            for (KeySlot s : r.keySlots()) {
                out.println("  key slot for host key hash 0x" + hex.formatHex(s.hostKeyHash()));
            }
            return 0;
        }
    }
}
