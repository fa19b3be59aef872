package org.pvsim.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * What every pvsim command shares beyond picocli's standard help options: pvimg's -V (its deprecated
 * -v, so --version has no short name), the real version, -v with -q refused, and a command group named
 * without a subcommand printing its usage with exit code 2, as clap does.
 */
final class CommandTree {
    static final String KEY_HASHES_DEFAULT = "/sys/firmware/uv/keys/all";

    private CommandTree() {
    }

    static void adapt(CommandLine root, Main main) {
        for (CommandLine c : all(root)) {
            CommandSpec spec = c.getCommandSpec();
            OptionSpec version = spec.findOption("--version");
            if (version != null) {
                spec.remove(version);
                spec.addOption(OptionSpec.builder("--version").versionHelp(true)
                        .description("Print version information and exit.").build());
            }
            spec.versionProvider(new Main.Version());
            spec.addOption(OptionSpec.builder("-V").arity("0").type(boolean[].class).hidden(true)
                    .description("Provide more detailed output (deprecated, use -v).")
                    .getter(new CommandLine.Model.IGetter() {
                        @Override
                        @SuppressWarnings("unchecked")
                        public <T> T get() {
                            return (T) main.deprecatedVerbose;
                        }
                    })
                    .setter(new CommandLine.Model.ISetter() {
                        @Override
                        public <T> T set(T value) {
                            main.deprecatedVerbose = value == null ? new boolean[0] : (boolean[]) value;
                            return null;
                        }
                    }).build());
        }
        root.setExecutionStrategy(parseResult -> {
            Integer help = CommandLine.executeHelpRequest(parseResult);
            if (help != null) {
                return help;
            }
            if (main.verbose.length > 0 && main.quiet.length > 0) {
                throw new CommandLine.ParameterException(root, "-v/--verbose and -q/--quiet cannot be used together");
            }
            if (main.deprecatedVerbose.length > 0) {
                root.getErr().println("WARNING: Use of deprecated flag '-V'. Use '-v' or '--verbose' instead.");
                root.getErr().flush();
            }
            CommandLine last = parseResult.asCommandLineList().get(parseResult.asCommandLineList().size() - 1);
            if (isGroup(last)) {
                last.usage(last.getErr());
                last.getErr().flush();
                return CommandLine.ExitCode.USAGE;
            }
            return new CommandLine.RunLast().execute(parseResult);
        });
    }

    /** pvimg's {@code --key-hashes} may stand alone (clap's require_equals); picocli would take the image as its value. */
    static String[] preprocess(String[] args) {
        String[] a = args.clone();
        for (int i = 0; i < a.length; i++) {
            if (a[i].equals("--")) {
                break;
            }
            if (a[i].equals("--key-hashes")) {
                a[i] = "--key-hashes=" + KEY_HASHES_DEFAULT;
            }
        }
        return a;
    }

    private static boolean isGroup(CommandLine c) {
        return c.getSubcommands().keySet().stream().anyMatch(n -> !n.equals("help"));
    }

    private static List<CommandLine> all(CommandLine c) {
        List<CommandLine> list = new ArrayList<>();
        list.add(c);
        for (CommandLine sub : c.getSubcommands().values()) {
            if (!list.contains(sub)) {
                list.addAll(all(sub));
            }
        }
        return list;
    }
}
