package org.pvsim.cli;

import picocli.CommandLine.Command;

@Command(name = "hostkey", mixinStandardHelpOptions = true, description = "TODO")
final class HostkeyCommand {
}
