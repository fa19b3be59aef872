package org.pvsim.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    /**
     * The command groups whose subcommands are listed here rather than in their annotation: picocli builds every
     * annotated subcommand, reflection and all, which took a third of a short command's start-up (and the heap
     * garbage and classes with it), while a command line runs one command of the tree.
     */
    private static final Map<Class<?>, List<Class<?>>> GROUPS = Map.of(Main.class, Main.SUBCOMMANDS,
            ImageCommand.class, ImageCommand.SUBCOMMANDS);

    private CommandTree() {
    }

    /**
     * The command line's words that are not options, in order, up to the first that could stand for more than
     * itself: {@code --} (parameters follow) or an {@code @file} (picocli expands it). A group whose options take no
     * value reads its subcommand's name at its own depth from them.
     */
    static List<String> words(String[] args) {
        List<String> words = new ArrayList<>();
        for (String a : args) {
            if (standsForMore(a)) {
                break;
            }
            if (!a.startsWith("-")) {
                words.add(a);
            }
        }
        return words;
    }

    /**
     * The command tree under {@code command}, built in full only along the path that {@code words} name: where a
     * group reads a word that names one of its subcommands, picocli cannot descend into another, so the others
     * are {@link #listed} only, enough for the group's usage and suggestions. Anywhere else (no word, a word
     * naming nothing, help, which looks its siblings up) all are built, as picocli would.
     */
    static CommandLine build(Object command, CommandLine.IFactory factory, List<String> words) {
        return build(command, factory, words, false, 0);
    }

    /**
     * {@link #build(Object, CommandLine.IFactory, List)} for the words of a whole command line ({@link #reachesEnd}):
     * a group reached with no word left cannot run a subcommand, so all of its subcommands are only listed
     * ({@code pvsim --help}, {@code pvsim image}).
     */
    static CommandLine build(Object command, CommandLine.IFactory factory, String[] args) {
        return build(command, factory, words(args), reachesEnd(args), 0);
    }

    private static CommandLine build(Object command, CommandLine.IFactory factory, List<String> words,
            boolean allWords, int depth) {
        CommandLine cl = new CommandLine(command, factory);
        List<Class<?>> subs = GROUPS.getOrDefault(command instanceof Class<?> c ? c : command.getClass(), List.of());
        boolean none = allWords && depth == words.size();
        Class<?> chosen = depth < words.size() && readsWords(cl.getCommandSpec()) ? named(subs, words.get(depth)) : null;
        if (chosen == CommandLine.HelpCommand.class) {
            chosen = null;
        }
        for (Class<?> sub : subs) {
            cl.addSubcommand(!none && (chosen == null || sub == chosen)
                    ? build(sub, factory, words, allWords, chosen == null ? Integer.MAX_VALUE : depth + 1)
                    : listed(sub));
        }
        return cl;
    }

    /** Whether {@link #words} of {@code args} are all the words picocli will see (no {@code --}, no {@code @file}). */
    private static boolean reachesEnd(String[] args) {
        return java.util.Arrays.stream(args).noneMatch(CommandTree::standsForMore);
    }

    /** {@code --} (parameters follow) or an {@code @file} (picocli expands it): where {@link #words} stop. */
    private static boolean standsForMore(String arg) {
        return arg.equals("--") || arg.startsWith("@");
    }

    /** A subcommand as its group's usage lists it (names, header or description, hidden), never run. */
    private static CommandLine listed(Class<?> sub) {
        CommandLine.Command c = sub.getAnnotation(CommandLine.Command.class);
        CommandSpec spec = CommandSpec.create().name(c.name()).aliases(c.aliases());
        spec.usageMessage().header(c.header()).description(c.description()).hidden(c.hidden());
        return new CommandLine(spec);
    }

    /** Whether every word a group is given names a subcommand: none of its options takes a value, it has no parameters. */
    private static boolean readsWords(CommandSpec spec) {
        return spec.positionalParameters().isEmpty() && spec.options().stream().allMatch(o -> o.arity().max() == 0);
    }

    private static Class<?> named(List<Class<?>> subs, String word) {
        for (Class<?> sub : subs) {
            CommandLine.Command c = sub.getAnnotation(CommandLine.Command.class);
            if (c.name().equals(word) || List.of(c.aliases()).contains(word)) {
                return sub;
            }
        }
        return null;
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

    static List<CommandLine> all(CommandLine c) {
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
