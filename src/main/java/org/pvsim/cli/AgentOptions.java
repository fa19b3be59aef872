package org.pvsim.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Where the guest side of secret add/list/lock and attest perform runs: the agent's SE image and the machine's keys. */
final class AgentOptions {
    @Option(names = "--image", required = true, paramLabel = "FILE",
            description = "SE image of pvsim's guest agent (pvsim secret agent, then pvsim image create).")
    Path image;

    @Option(names = "--host-key", required = true, paramLabel = "FILE",
            description = "A private host key (PEM) of the simulated machine, as for pvsim run; repeatable.")
    List<Path> hostKeys = new ArrayList<>();

    List<AgentAnswer> run(List<String> commands) throws IOException {
        return GuestAgent.run(image, hostKeys, commands);
    }
}
