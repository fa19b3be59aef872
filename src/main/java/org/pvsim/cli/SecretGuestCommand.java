package org.pvsim.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.pvsim.image.BoundedInput;
import org.pvsim.se.AddSecretRequest;
import org.pvsim.se.GuestSecret;
import org.pvsim.se.SeFormatException;
import org.pvsim.se.SecretType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * pvsecret's guest side, {@code add}, {@code list}, {@code lock} and retrieve, run by pvsim's guest agent in a
 * protected guest booted for the command ({@link GuestAgent}), and {@code agent}, which writes that
 * agent as a kernel to build the SE image from. One boot is one secure configuration: secrets added by
 * one command are gone at the next, so {@code add} also lists and locks in the same boot.
 */
final class SecretGuestCommand {
    private SecretGuestCommand() {
    }

    @Command(name = "agent", mixinStandardHelpOptions = true, addMethodSubcommands = false,
            description = {"Write pvsim's guest agent (guests/agent) as a kernel for pvsim image create; secret "
                    + "add/list/lock and attest perform run in an SE image of it, and add-secret requests are "
                    + "made for that image (secret create --hdr IMAGE)."})
    static final class Agent implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "Kernel to write.")
        Path output;

        @Option(names = "--overwrite", description = "Replace the output if it exists.")
        boolean overwrite;

        @Override
        public Integer call() throws IOException {
            byte[] kernel = GuestAgent.kernel();
            OutputFiles.checkTargets(List.of(output), overwrite);
            new OutputFiles(overwrite).add(output, kernel).write();
            spec.commandLine().getOut().println("wrote " + output + " (pvsim's guest agent, " + kernel.length
                    + " bytes; build its SE image with pvsim image create -i " + output + ")");
            return 0;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, addMethodSubcommands = false,
            description = {"Add secrets in a protected guest (pvsecret add): boot the agent's SE image, issue "
                    + "ADD_SECRET for each request in order, then list (--list), retrieve (--retrieve) and "
                    + "lock (--lock) the secret store, all in that one boot.",
                    "The first request the Ultravisor refuses ends the command with its rc/rrc and exit 1."})
    static final class Add implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        AgentOptions agent = new AgentOptions();

        @Parameters(paramLabel = "REQUEST", arity = "1..*", description = "Add-secret requests (secret create).")
        List<Path> requests = new ArrayList<>();

        @Option(names = "--list", description = "Then list the secret store (as secret list).")
        boolean list;

        @Option(names = "--lock", description = "Then lock the secret store (as secret lock).")
        boolean lock;

        @Option(names = "--retrieve", paramLabel = "ID=FILE", description = "Then retrieve the retrievable secret "
                + "ID (0x and 64 hex digits, or the name it was created with) into FILE as the guest gets it "
                + "(pvsecret retrieve --outform bin: a key protected by the machine, a plaintext secret as added); repeatable.")
        Map<String, Path> retrieve = new LinkedHashMap<>();

        @Option(names = "--overwrite", description = "Replace --retrieve outputs that exist.")
        boolean overwrite;

        @Override
        public Integer call() throws IOException {
            Map<Path, byte[]> retrievals = new LinkedHashMap<>(); // output -> secret id
            retrieve.forEach((id, file) -> retrievals.put(file, secretId(id)));
            List<Path> inputs = new ArrayList<>(requests);
            inputs.add(agent.image);
            inputs.addAll(agent.hostKeys);
            OutputFiles.checkTargets(List.copyOf(retrievals.keySet()), overwrite, inputs.toArray(Path[]::new));
            List<String> commands = new ArrayList<>();
            List<AddSecretRequest> parsed = new ArrayList<>();
            HexFormat hex = HexFormat.of();
            for (Path p : requests) {
                byte[] b = ImageKeyFiles.read(p, BoundedInput.Limit.of("add-secret request", GuestAgent.MAX_REQUEST));
                try {
                    parsed.add(AddSecretRequest.parse(b));
                } catch (SeFormatException e) {
                    throw new IllegalArgumentException(p + ": " + e.getMessage(), e);
                }
                commands.add("add " + hex.formatHex(b));
            }
            if (list) {
                commands.add("list");
            }
            retrievals.values().forEach(id -> commands.add("retrieve " + hex.formatHex(id)));
            if (lock) {
                commands.add("lock");
            }
            List<AgentAnswer> answers = agent.run(commands);
            PrintWriter out = spec.commandLine().getOut();
            for (int i = 0; i < requests.size(); i++) {
                AgentAnswer a = answers.get(i);
                if (!a.executed()) {
                    out.flush();
                    throw new IllegalArgumentException(requests.get(i) + ": the Ultravisor refused the add-secret "
                            + "request: " + UvRefusal.addSecret(a));
                }
                AddSecretRequest r = parsed.get(i);
                out.println("added " + requests.get(i) + ": " + (r.secretType() == SecretType.NULL ? "meta request"
                        : r.secretType().display() + " secret 0x" + hex.formatHex(r.secretId())));
            }
            int next = requests.size();
            if (list) {
                printList(answers.get(next++), out);
            }
            OutputFiles written = new OutputFiles(overwrite);
            for (Map.Entry<Path, byte[]> r : retrievals.entrySet()) {
                written.addSecret(r.getKey(), retrieved(answers.get(next++), r.getValue(), r.getKey(), out));
            }
            written.write();
            if (lock) {
                checkLock(answers.get(next), out);
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, addMethodSubcommands = false,
            description = {"List the secret store of a freshly booted agent guest (pvsecret list). A new "
                    + "configuration has none: to see added secrets use secret add --list."})
    static final class ListSecrets implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        AgentOptions agent = new AgentOptions();

        @Override
        public Integer call() throws IOException {
            printList(agent.run(List.of("list")).get(0), spec.commandLine().getOut());
            return 0;
        }
    }

    @Command(name = "lock", mixinStandardHelpOptions = true, addMethodSubcommands = false,
            description = {"Lock the secret store of a freshly booted agent guest (pvsecret lock); secret add "
                    + "--lock locks after adding."})
    static final class Lock implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        AgentOptions agent = new AgentOptions();

        @Override
        public Integer call() throws IOException {
            checkLock(agent.run(List.of("lock")).get(0), spec.commandLine().getOut());
            return 0;
        }
    }

    /** A secret id given as 0x and 64 hex digits, or the name it was created with (its SHA-256, as pvsecret). */
    static byte[] secretId(String id) {
        if (id.matches("0[xX][0-9a-fA-F]{64}")) {
            return HexFormat.of().parseHex(id.substring(2));
        }
        if (id.isEmpty() || id.startsWith("0x")) {
            throw new UsageException("--retrieve: a secret id is 0x and 64 hex digits, or a name: '" + id + "'");
        }
        return GuestSecret.nameToId(id);
    }

    /** The secret a retrieve answer carries; the UV's refusal or the agent's in one message otherwise. */
    private static byte[] retrieved(AgentAnswer a, byte[] id, Path file, PrintWriter out) {
        String idHex = "0x" + HexFormat.of().formatHex(id);
        if (a.refusal() != null) {
            out.flush();
            throw new IllegalArgumentException("--retrieve " + idHex + ": " + a.refusal());
        }
        if (!a.executed()) {
            out.flush();
            throw new IllegalArgumentException("--retrieve " + idHex + ": the Ultravisor refused to retrieve the secret: "
                    + a.codes() + (a.rc() == 0x0111 ? " (not a retrievable secret)" : ""));
        }
        String[] f = a.data().get(0).split(" "); // secret INDEX TYPE HEX
        int type = Integer.parseInt(f[2]);
        byte[] secret = HexFormat.of().parseHex(f[3]);
        out.println("retrieved " + SecretType.byCode(type).map(SecretType::display).orElse("type " + type) + " secret "
                + idHex + " (index " + f[1] + ", " + secret.length + " bytes) into " + file);
        return secret;
    }

    /** pvsecret list's text: the count, then index and type, and the id below. */
    static void printList(AgentAnswer a, PrintWriter out) {
        if (!a.executed()) {
            throw new IllegalArgumentException("the Ultravisor refused to list the secrets: " + a.codes());
        }
        List<String> secrets = a.data().stream().filter(l -> l.startsWith("secret ")).toList();
        out.println("Total number of secrets: " + secrets.size());
        if (!secrets.isEmpty()) {
            out.println();
        }
        for (String s : secrets) {
            String[] f = s.split(" "); // secret INDEX TYPE LENGTH ID
            int type = Integer.parseInt(f[2]);
            out.println(f[1] + " " + SecretType.byCode(type).map(SecretType::display).orElse("Unknown type " + type) + ":");
            out.println("  0x" + f[4]);
        }
    }

    static void checkLock(AgentAnswer a, PrintWriter out) {
        if (!a.executed()) {
            throw new IllegalArgumentException("the Ultravisor refused to lock the secret store: " + a.codes()
                    + (a.rc() == 0x0101 ? " (already locked)" : ""));
        }
        out.println("Secret store locked: no further secrets can be added to this guest");
    }
}
