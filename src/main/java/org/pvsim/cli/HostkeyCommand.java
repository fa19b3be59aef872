package org.pvsim.cli;

import picocli.CommandLine.Command;

/** {@code pvsim hostkey}: make host keys and host-key documents, and verify them as pvimg would. */
@Command(name = "hostkey", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        description = "Create host keys, host-key documents and a test PKI; verify host-key documents.",
        subcommands = {
            HostkeyCreateCommand.class,
            HostkeyCreatePkiCommand.class,
            HostkeyVerifyCommand.class,
        })
final class HostkeyCommand {
}
