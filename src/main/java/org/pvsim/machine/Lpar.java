package org.pvsim.machine;

import java.util.List;
import java.util.function.Consumer;
import org.pvsim.machine.cpu.Machine;
import org.pvsim.machine.cpu.ProgramLoader;
import org.pvsim.machine.cpu.Psw;
import org.pvsim.machine.sclp.ConsoleInput;
import org.pvsim.machine.uv.HostKey;

/**
 * The operator's console of a bare machine (an LPAR with no hypervisor in it): load a program, IPL it and run
 * it to its end. This is all that {@code pvsim machine run} and the CPU benchmark need, so they get it
 * without holding the CPUs or the firmware's storage.
 */
public final class Lpar {
    /**
     * The machine's size and the run's knobs; {@code translation} false interprets every instruction, true
     * keeps the machine's default (translated hot blocks unless the system property pvsim.translate is false).
     */
    public record Options(long memory, int cpus, boolean deterministic, boolean ultravisor, boolean translation) {
    }

    /** How a run ended; the same cases as the CPUs' own. */
    public enum Ending { DISABLED_WAIT, STOPPED, ENABLED_WAIT_FOREVER, INSTRUCTION_LIMIT, TIME_LIMIT, CHECK_STOP }

    /** The end of a run: wait PSWs as the machine prints them; success as the CPUs define it. */
    public record Outcome(Ending ending, List<String> waitPsws, long instructions, String detail, boolean success) {
    }

    private final Machine machine;

    private Lpar(Machine machine) {
        this.machine = machine;
    }

    /**
     * A machine with {@code image} (an s390x ELF, or a flat binary whose bytes 0-7 are the IPL PSW) loaded and
     * IPLed; the SCLP console writes to {@code console}.
     */
    public static Lpar ipl(Options options, byte[] image, String name, Consumer<String> console) {
        return ipl(options, image, name, console, null);
    }

    /**
     * {@link #ipl(Options, byte[], String, Consumer)} with console input: READ EVENT DATA hands the
     * program what {@code input} provides (null: no console input).
     */
    public static Lpar ipl(Options options, byte[] image, String name, Consumer<String> console, ConsoleInput input) {
        Machine m = new Machine(new Machine.Options(options.memory(), options.cpus(), options.deterministic(),
                options.ultravisor()), console, input);
        if (!options.translation()) {
            m.setTranslation(false);
        }
        if (options.ultravisor()) {
            // The UV behind UVC (and SIE for its guests), counting these CPUs for INIT_UV. The machine's
            // host key is a fresh one: a bare program can query, initialise and create configurations,
            // but no image built for a real host key unpacks here.
            SimulatedMachine sm = SimulatedMachine.withCpus(m, List.of(HostKey.generate().privateKey()));
            m.setResetHook(sm::machineReset);
        }
        // diag 308's re-IPLs load the same program again
        m.setProgram(() -> ProgramLoader.load(image, name, m.storage()));
        Psw psw = ProgramLoader.load(image, name, m.storage());
        Lpar lpar = new Lpar(m);
        m.ipl(psw);
        return lpar;
    }

    /**
     * Presents the LPAR's configuration as a virtual machine named {@code name} (1..8 characters), as a KVM
     * guest sees itself: STSI reports level 3 and stores 3.2.2 (what the public test suite, written for
     * guests, expects).
     */
    public void presentAsGuest(String name) {
        machine.setGuestConfiguration(name);
    }

    /** Prints the next {@code count} executed instructions to {@code sink}. */
    public void trace(long count, Consumer<String> sink) {
        machine.trace(count, sink);
    }

    /**
     * Runs until every CPU is stopped or in a disabled wait, {@code maxInstructions} are done, or
     * {@code maxNanos} of host time have passed; the console is flushed before this returns.
     */
    public Outcome run(long maxInstructions, long maxNanos) {
        Machine.Result r = machine.run(maxInstructions, maxNanos);
        machine.sclp().flush();
        return new Outcome(Ending.valueOf(r.ending().name()), r.waitPsws().stream().map(Psw::toString).toList(),
                r.instructions(), r.detail(), r.success());
    }
}
