package org.pvsim.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.pvsim.image.BoundedInput;
import org.pvsim.machine.Lpar;
import org.pvsim.machine.sclp.ConsoleInput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pvsim machine run}: IPL a program on the bare machine (an LPAR) with the SCLP console on stdout
 * and console input from stdin (read only once the program asks for input).
 */
@Command(name = "machine", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        description = "The simulated z/Architecture machine.",
        subcommands = {MachineCommand.Run.class})
final class MachineCommand {

    @Command(name = "run", mixinStandardHelpOptions = true, addMethodSubcommands = false,
            description = {"IPL FILE (an s390x ELF, or a flat binary whose bytes 0-7 are the IPL PSW) and run "
                    + "it until every CPU is stopped or in a disabled wait.",
                    "Exit code 0 only if every wait PSW's address ends in 0xfff (QEMU's clean-shutdown "
                    + "convention), 1 otherwise.",
                    "Console input: stdin, handed to the program by SCLP READ EVENT DATA (ASCII console "
                    + "data) once it asks for it."})
    static final class Run implements Callable<Integer> {
        private final InputStream stdin;

        Run() {
            this(System.in);
        }

        /** A run whose console input is {@code stdin}. */
        Run(InputStream stdin) {
            this.stdin = stdin;
        }

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--memory", defaultValue = "64M", description = "Memory size (K, M, G, T suffix). Default: ${DEFAULT-VALUE}.")
        String memory;

        @Option(names = "--cpus", defaultValue = "1", description = "Number of CPUs. Default: ${DEFAULT-VALUE}.")
        int cpus;

        @Option(names = "--deterministic", description = "Virtual time (1 ns per instruction): reproducible runs.")
        boolean deterministic;

        @Option(names = "--trace-insn", defaultValue = "0", paramLabel = "N",
                description = "Print the first N executed instructions to stderr.")
        long traceInsns;

        @Option(names = "--max-insns", defaultValue = "10000000000", paramLabel = "N",
                description = "Stop with an error after N instructions. Default: ${DEFAULT-VALUE}.")
        long maxInsns;

        @Option(names = "--max-seconds", defaultValue = "0", paramLabel = "S",
                description = "Stop with an error after S seconds of host time (0: no limit).")
        double maxSeconds;

        @Option(names = "--interpret-only",
                description = "Interpret every instruction (no translation of hot blocks to JVM bytecode; same results, slower).")
        boolean interpretOnly;

        @Option(names = "--ultravisor", description = "Report the Ultravisor-call facilities (158, 161) and "
                + "connect UVC to an Ultravisor (with a fresh host key).")
        boolean ultravisor;

        @Option(names = "--guest", paramLabel = "NAME",
                description = "Present the machine as the virtual machine NAME (1-8 characters), as a KVM guest sees "
                        + "itself: STSI level 3 with 3.2.2. Default: a logical partition (level 2).")
        String guestName;

        @Parameters(paramLabel = "FILE", description = "Program to IPL.")
        Path file;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            long mem = parseSize(memory);
            // bounded by the memory: a program larger than it cannot be loaded, so it is not read
            byte[] image = BoundedInput.readProgram(file, "program", mem);
            Lpar m = Lpar.ipl(new Lpar.Options(mem, cpus, deterministic, ultravisor, !interpretOnly), image,
                    file.toString(), text -> {
                        out.print(text);
                        out.flush();
                    }, ConsoleInput.of(stdin));
            if (guestName != null) {
                m.presentAsGuest(guestName);
            }
            if (traceInsns > 0) {
                m.trace(traceInsns, err::println);
            }
            if (maxInsns <= 0) {
                throw new IllegalArgumentException("--max-insns: must be positive: " + maxInsns);
            }
            if (!(maxSeconds >= 0) || Double.isInfinite(maxSeconds)) {
                throw new IllegalArgumentException("--max-seconds: must be a non-negative number: " + maxSeconds);
            }
            long maxNanos = maxSeconds == 0 ? Long.MAX_VALUE : (long) Math.min(maxSeconds * 1e9, Long.MAX_VALUE - 1.0);
            Lpar.Outcome r = m.run(maxInsns, maxNanos);
            out.flush();
            switch (r.ending()) {
                case TIME_LIMIT -> err.println("pvsim: " + r.detail() + " (the guest did not stop; raise --max-seconds?)");
                case INSTRUCTION_LIMIT -> err.println("pvsim: " + r.detail() + " (the guest did not stop; raise --max-insns?)");
                case CHECK_STOP -> err.println("pvsim: " + r.detail());
                case ENABLED_WAIT_FOREVER -> err.println("pvsim: " + r.detail() + ", wait PSW " + r.waitPsws().get(0));
                case STOPPED -> err.println("pvsim: every CPU is stopped (no wait PSW)");
                case DISABLED_WAIT -> {
                    for (String p : r.waitPsws()) {
                        err.println("pvsim: disabled wait, PSW " + p);
                    }
                }
            }
            err.flush();
            return r.success() ? 0 : 1;
        }

        static long parseSize(String s) {
            long v = SizeOption.parse(s, "--memory", 1);
            if (v < 64 * 1024 || (v & 4095) != 0) {
                throw new IllegalArgumentException("--memory: must be a multiple of 4K and at least 64K: " + s);
            }
            return v;
        }
    }
}
