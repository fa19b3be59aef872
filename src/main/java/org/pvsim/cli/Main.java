package org.pvsim.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code pvsim} command line: customer tooling (hostkey, image) and the simulated machine. */
@Command(name = "pvsim",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "An executable model of IBM Z Secure Execution (protected virtualization) for KVM.",
        subcommands = {
            DemoCommand.class,
            HostkeyCommand.class,
            ImageCommand.class,
            SecretCommand.class,
            AttestCommand.class,
            MachineCommand.class,
            RunCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class Main implements Runnable {

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Print the stack trace of an error.")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line; returns the exit code (0 success, 1 error, 2 usage). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, out, err, CommandFactory.standard());
    }

    /** {@link #run(String[], PrintWriter, PrintWriter)} with the commands built by {@code factory}. */
    static int run(String[] args, PrintWriter out, PrintWriter err, CommandFactory factory) {
        int rc = commandLine(out, err, Arrays.asList(args).contains("--debug"), factory).execute(args);
        out.flush();
        err.flush();
        return rc;
    }

    /** The pvsim command tree writing to out/err, with errors reported as one line (and exit 1). */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, boolean debug, CommandFactory factory) {
        CommandLine cl = new CommandLine(new Main(), factory);
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler(new ExclusiveOptionsHandler(cl.getParameterExceptionHandler()));
        cl.setExecutionExceptionHandler((e, line, parseResult) -> {
            line.getErr().println("pvsim: " + describe(e));
            if (debug) {
                e.printStackTrace(line.getErr());
            }
            line.getErr().flush();
            return 1;
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

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"pvsim " + (v == null ? "(development build)" : v)};
        }
    }
}
