package org.pvsim.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.util.List;
import org.pvsim.image.BootLoaders;
import org.pvsim.image.BoundedInput;
import org.pvsim.image.SeWrapKernel;
import org.pvsim.kvm.Kvm;
import org.pvsim.machine.SimulatedMachine;
import org.pvsim.vmm.Outcome;
import org.pvsim.vmm.Trace;
import org.pvsim.vmm.VmConfig;
import org.pvsim.vmm.Vmm;

/**
 * The guest side of {@code pvsim secret add/list/lock} and {@code pvsim attest perform}: the agent of
 * guests/agent (what pvsecret and pvattest do in a Linux guest, as a freestanding program), booted protected
 * from the user's SE image of it on a machine with the given host keys, fed its commands on the SCLP console
 * and answered there. Secrets live in the secure configuration, so one boot carries every command that
 * belongs together; the configuration, and every secret in it, is gone when this returns.
 */
final class GuestAgent {
    /** Guest memory: the agent needs well under 1 MiB. */
    static final long MEMORY = 32 * VmConfig.MIB;
    /** The agent's request buffer (MAX_REQUEST in agent.c). */
    static final int MAX_REQUEST = 0x3000;

    private GuestAgent() {
    }

    /** The agent as a Linux-shaped kernel for {@code pvsim image create}: sewrap around its flat binary. */
    static byte[] kernel() {
        return SeWrapKernel.around(BootLoaders.load("/guests/agent/agent.bin"));
    }

    /**
     * Boots {@code image} protected on a machine with {@code hostKeys}, runs {@code commands} (agent
     * protocol lines) and returns one answer per command.
     */
    static List<AgentAnswer> run(Path image, List<Path> hostKeys, List<String> commands) throws IOException {
        VmConfig config = VmConfig.of(MEMORY, 1, true, null);
        byte[] kernel = BoundedInput.readProgram(image, "agent image", config.memory());
        List<ECPrivateKey> keys = ImageKeyFiles.hostPrivateKeys(hostKeys);
        StringBuilder script = new StringBuilder();
        for (String c : commands) {
            script.append(c).append('\n');
        }
        script.append("quit\n");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        SimulatedMachine host = Vmm.hostMachine(config.memory(), keys);
        Kvm kvm = Vmm.bootKvm(host);
        Outcome outcome;
        String transcript;
        boolean wasProtected;
        try (Vmm vmm = Vmm.create(kvm, config, kernel, new PrintStream(console, true, StandardCharsets.ISO_8859_1),
                new ByteArrayInputStream(script.toString().getBytes(StandardCharsets.US_ASCII)), Trace.OFF)) {
            outcome = vmm.run();
            transcript = vmm.consoleText();
            wasProtected = vmm.isProtected();
        }
        if (outcome instanceof Outcome.Crashed c && c.bootFailure() != null) {
            throw new IllegalArgumentException(image + ": the protected boot failed: " + c.bootFailure());
        }
        if (!wasProtected) {
            throw new IllegalArgumentException(image + ": not an SE image (the agent runs only as a protected guest)");
        }
        if (!transcript.startsWith("agent: ready")) {
            throw new IllegalArgumentException(image + ": not an SE image of pvsim's guest agent (see pvsim secret agent)");
        }
        List<AgentAnswer> answers = AgentAnswer.parse(transcript);
        if (answers.size() != commands.size() || !transcript.contains("agent: bye")) {
            throw new IllegalStateException("the guest agent ended early: " + outcome.message());
        }
        return answers;
    }
}
