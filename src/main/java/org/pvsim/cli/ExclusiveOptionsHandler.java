package org.pvsim.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Options that exclude each other are declared as exclusive {@code @ArgGroup}s, so picocli rejects them
 * while parsing; this reports that in pvsim's words, one line and clap's exit code 2 for a usage error
 * ("pvsim: --enable-dump and --disable-dump exclude each other"), instead of picocli's message and usage.
 * Other parse errors keep picocli's handling.
 */
final class ExclusiveOptionsHandler implements CommandLine.IParameterExceptionHandler {
    /** picocli 4's wording: "Error: --a, --b=FILE are mutually exclusive (specify only one)". */
    private static final Pattern PICOCLI_MESSAGE =
            Pattern.compile("Error: (.+) are mutually exclusive \\(specify only one\\)");

    private final CommandLine.IParameterExceptionHandler others;

    ExclusiveOptionsHandler(CommandLine.IParameterExceptionHandler others) {
        this.others = others;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args) throws Exception {
        if (!(e instanceof CommandLine.MutuallyExclusiveArgsException)) {
            return others.handleParseException(e, args);
        }
        PrintWriter err = e.getCommandLine().getErr();
        err.println("pvsim: " + describe(e.getMessage()));
        err.flush();
        return CommandLine.ExitCode.USAGE;
    }

    /** "--a and --b exclude each other", or picocli's own message should its wording ever change. */
    static String describe(String picocliMessage) {
        Matcher m = PICOCLI_MESSAGE.matcher(picocliMessage);
        if (!m.matches()) {
            return picocliMessage;
        }
        String[] names = Arrays.stream(m.group(1).split(", ")).map(n -> n.replaceFirst("=.*", ""))
                .toArray(String[]::new);
        return String.join(" and ", names) + " exclude each other";
    }
}
