package org.pvsim.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import org.pvsim.image.ImageRandomness;
import org.pvsim.image.StreamingWarmUp;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code pvsim} command line: customer tooling (hostkey, image) and the simulated machine. */
// addMethodSubcommands = false on every command (CommandTreeTest checks): picocli otherwise lists all methods of each
// command class it builds, looking for @Command methods, of which pvsim has none (image create: 9 ms of start-up).
@Command(name = "pvsim",
        mixinStandardHelpOptions = true, addMethodSubcommands = false,
        versionProvider = Main.Version.class,
        description = "An executable model of IBM Z Secure Execution (protected virtualization) for KVM.")
public final class Main implements Runnable {
    /** The subcommands, in usage order; {@link CommandTree#build} adds them (picocli would build all from the annotation). */
    static final List<Class<?>> SUBCOMMANDS = List.of(DemoCommand.class, HostkeyCommand.class, ImageCommand.class,
            SecretCommand.class, AttestCommand.class, MachineCommand.class, RunCommand.class,
            CommandLine.HelpCommand.class);

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Print the stack trace of an error.")
    boolean debug;

    // pvimg's verbosity options (s390-tools rust/utils/src/cli.rs); -V, its deprecated -v, is added by CommandTree
    @Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT, description = "Provide more detailed output.")
    boolean[] verbose = new boolean[0];

    @Option(names = {"-q", "--quiet"}, scope = CommandLine.ScopeType.INHERIT, description = "Provide less output.")
    boolean[] quiet = new boolean[0];

    /** -V, once per time given. */
    boolean[] deprecatedVerbose = new boolean[0];

    /**
     * Whether stdout is a terminal (then image info prints text by default, else JSON). {@link #run} says;
     * a command line built by {@link #commandLine} alone prints for a person (the demo's transcript).
     */
    boolean interactive = true;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        String undecodable = ArgumentEncoding.problem(args);
        if (undecodable != null) {
            System.err.println("pvsim: " + undecodable);
            System.exit(1);
        }
        List<String> words = CommandTree.words(args);
        String imageCommand = words.size() >= 2 && words.get(0).equals("image") ? words.get(1) : "";
        if (imageCommand.equals("create")) {
            ImageRandomness.prepareSecure(); // on the second core while this one parses the command line
        } else if (imageCommand.equals("verify")) {
            StreamingWarmUp.startForVerify();
        }
        // the launcher knows (test -t 1); System.console() also needs stdin to be a terminal
        boolean terminal = Boolean.parseBoolean(System.getProperty("pvsim.stdout.terminal",
                String.valueOf(System.console() != null)));
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true),
                CommandFactory.standard(), terminal));
    }

    /** Runs one command line; returns the exit code (0 success, 1 error, 2 usage, as clap's). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, out, err, CommandFactory.standard());
    }

    /** {@link #run(String[], PrintWriter, PrintWriter)} with the commands built by {@code factory}. */
    static int run(String[] args, PrintWriter out, PrintWriter err, CommandFactory factory) {
        return run(args, out, err, factory, false);
    }

    static int run(String[] args, PrintWriter out, PrintWriter err, CommandFactory factory, boolean interactive) {
        CommandLine cl = commandLine(out, err, Arrays.asList(args).contains("--debug"),
                CommandTree.build(new Main(), factory, args));
        ((Main) cl.getCommand()).interactive = interactive;
        int rc = cl.execute(CommandTree.preprocess(args));
        out.flush();
        err.flush();
        return rc;
    }

    /** The pvsim command tree writing to out/err, with errors reported as one line (exit 1, or 2 for usage). */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, boolean debug, CommandFactory factory) {
        return commandLine(out, err, debug, CommandTree.build(new Main(), factory, List.of()));
    }

    /** The same for a tree from {@link CommandTree#build} (of {@link Main}), which may be built along one path only. */
    private static CommandLine commandLine(PrintWriter out, PrintWriter err, boolean debug, CommandLine cl) {
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler(new ExclusiveOptionsHandler(cl.getParameterExceptionHandler()));
        CommandTree.adapt(cl, (Main) cl.getCommand());
        cl.setExecutionExceptionHandler((e, line, parseResult) -> {
            line.getErr().println("pvsim: " + describe(e));
            if (debug) {
                e.printStackTrace(line.getErr());
            }
            line.getErr().flush();
            return e instanceof UsageException ? CommandLine.ExitCode.USAGE : 1;
        });
        return cl;
    }

    /** One line saying what went wrong, for errors of any kind. */
    static String describe(Throwable e) {
        String msg = e.getMessage();
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file: " + msg;
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied: " + msg;
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException) {
            return "file exists: " + msg;
        }
        if (msg == null || msg.isBlank()) {
            return "internal error: " + e.getClass().getSimpleName() + " (run with --debug for details)";
        }
        return msg;
    }

    /** The version Maven built (filtered into version.properties), so a development build knows it too. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"pvsim " + version()};
        }

        static String version() {
            try (java.io.InputStream in = Main.class.getResourceAsStream("version.properties")) {
                java.util.Properties p = new java.util.Properties();
                if (in != null) {
                    p.load(in);
                }
                String v = p.getProperty("version");
                return v == null || v.startsWith("${") ? "(development build)" : v;
            } catch (java.io.IOException e) {
                return "(development build)";
            }
        }
    }

    /** pvimg's log level: warnings (and success lines) by default, more with -v, none with -q. */
    int verbosity() {
        return 2 + verbose.length + deprecatedVerbose.length - quiet.length;
    }
}
