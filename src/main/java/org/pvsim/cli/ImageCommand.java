package org.pvsim.cli;

import picocli.CommandLine.Command;

@Command(name = "image", mixinStandardHelpOptions = true, description = "TODO")
final class ImageCommand {
}
