package org.pvsim.machine.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.pvsim.machine.sclp.ConsoleInput;
import org.pvsim.machine.sclp.Sclp;
import org.pvsim.machine.storage.Storage;

/**
 * The CPUs of one configuration (an LPAR) with their storage, decode cache, clocks and SCLP.
 *
 * <p>Scheduling: the CPUs are time-sliced on the calling thread, round robin, {@link #SLICE}
 * instructions at a time (a slice ends early when an instruction may have made an interruption
 * deliverable: SIGP, SERVC, PSW and control-register changes). One thread keeps the machine's state
 * free of data races without a lock on the hot path, and makes every run with {@code deterministic}
 * clocks reproducible instruction for instruction. The cost is no real parallelism, which a model that
 * exists to be inspected does not need.
 */
public final class Machine {
    public static final int SLICE = 20_000;
    public static final int MAX_CPUS = 64;

    /** Options of the machine. */
    public record Options(long memory, int cpus, boolean deterministic, boolean ultravisor) {
        public Options {
            if (cpus < 1 || cpus > MAX_CPUS) {
                throw new IllegalArgumentException("number of CPUs must be 1.." + MAX_CPUS + ": " + cpus);
            }
        }
    }

    /** How a run ended. */
    public enum Ending { DISABLED_WAIT, STOPPED, ENABLED_WAIT_FOREVER, INSTRUCTION_LIMIT, TIME_LIMIT, CHECK_STOP }

    public record Result(Ending ending, List<Psw> waitPsws, long instructions, String detail) {
        /** Success: every CPU stopped or in a disabled wait, and every wait PSW's address ends in 0xfff. */
        public boolean success() {
            return (ending == Ending.DISABLED_WAIT || ending == Ending.STOPPED) && !waitPsws.isEmpty()
                    && waitPsws.stream().allMatch(p -> (p.address() & 0xfff) == 0xfff);
        }
    }

    private final Options options;
    private final Storage storage;
    private final Cpu[] cpus;
    private final List<Cpu> cpuList;
    private final CodeCache codeCache;
    private final Decoder decoder;
    private final Clocks clocks;
    private final Sclp sclp;
    private final Facilities facilities;
    private UvcHandler uvcHandler;
    private SieHandler sieHandler;
    private DiagnoseHandler diagnoseHandler;
    private boolean serviceSignal;
    private long serviceSignalParam;
    private Consumer<String> trace;
    private long traceLeft;
    private long programInterruptions;
    /** Told of every program interruption's code (tests assert that only architected codes occur). */
    private java.util.function.IntConsumer programInterruptionObserver;
    private final java.util.Map<Long, Byte> storageKeys = new java.util.HashMap<>();
    private final IplDiagnose iplDiagnose = new IplDiagnose(this);
    private final Watchdog watchdog = new Watchdog();
    /** Loads the IPLed program again (diag 308 subcodes 3 and 4) and returns its IPL PSW; null: none known. */
    private Supplier<Psw> program;
    /** What else a machine reset resets (the Ultravisor); runs before the CPUs restart. */
    private Runnable resetHook = () -> { };
    /** The virtual machine's name when the configuration presents itself as one (STSI level 3), else null. */
    private String guestConfiguration;

    public Machine(Options options, Consumer<String> console) {
        this(options, console, null);
    }

    /** A machine whose SCLP console also reads {@code input} (null: no console input). */
    public Machine(Options options, Consumer<String> console, ConsoleInput input) {
        this.options = options;
        this.storage = new Storage(options.memory());
        this.decoder = Decoder.standard();
        this.cpus = new Cpu[options.cpus()];
        this.codeCache = new CodeCache(this, storage.frameCount());
        // host code, firmware and loaders write storage without the CPUs' stores: forget the code they overlap
        storage.observeWrites((frame, offset, length) -> {
            CodeCache.Page p = codeCache.get(frame);
            if (p != null) {
                p.invalidate(offset, length);
            }
        });
        this.clocks = new Clocks(this, options.deterministic());
        this.facilities = Facilities.standard(options.ultravisor());
        for (int i = 0; i < cpus.length; i++) {
            cpus[i] = new Cpu(this, i, Storage.HOST);
        }
        this.cpuList = List.of(cpus);
        setTranslation(!"false".equals(System.getProperty("pvsim.translate")));
        this.sclp = new Sclp(new SclpPort(), console, input);
    }

    IplDiagnose iplDiagnose() {
        return iplDiagnose;
    }

    Watchdog watchdog() {
        return watchdog;
    }

    /**
     * What diag 308's re-IPL subcodes (3, 4) load: {@code loader} writes the program into storage and
     * returns its IPL PSW. Without one they load the short PSW at absolute 0, as a load normal does.
     */
    public void setProgram(Supplier<Psw> loader) {
        this.program = loader;
    }

    /** Runs {@code hook} on every machine reset of diag 308 (the Ultravisor forgets its state). */
    public void setResetHook(Runnable hook) {
        this.resetHook = hook;
    }

    /**
     * The machine reset of diag 308 subcode 0, 1, 3 or 4 issued by {@code self}: CPUs reset (0: clear
     * resets, registers zeroed; 1: an initial CPU reset of {@code self}, registers kept), the watchdog
     * disabled, the Ultravisor (if any) reset; then {@code self} loads and runs, the others stay stopped.
     * Storage is cleared only by a load clear (3); the SCLP's event masks survive.
     */
    void diagReset(Cpu self, IplDiagnose.Reset kind) {
        watchdog.reset();
        resetHook.run();
        for (Cpu c : cpus) {
            if (c != self && kind == IplDiagnose.Reset.LOAD_NORMAL) {
                // a CPU reset: stopped, pending interruptions gone, registers and prefix kept
                c.stop();
                c.emergencyFrom = 0;
                c.externalCallFrom = -1;
                c.restartPending = false;
            } else if (c != self) {
                c.reset();
                c.stop();
            }
        }
        if (kind == IplDiagnose.Reset.LOAD_NORMAL) {
            // an initial CPU reset leaves the general, access and floating-point registers as they are
            long[] gr = self.gr.clone();
            long[] fpr = self.fpr.clone();
            int[] ar = self.ar.clone();
            self.reset();
            System.arraycopy(gr, 0, self.gr, 0, gr.length);
            System.arraycopy(fpr, 0, self.fpr, 0, fpr.length);
            System.arraycopy(ar, 0, self.ar, 0, ar.length);
        } else {
            self.reset();
        }
        if (kind == IplDiagnose.Reset.MODIFIED_CLEAR || kind == IplDiagnose.Reset.LOAD_CLEAR) {
            storageKeys.clear();
        }
        if (kind == IplDiagnose.Reset.LOAD_CLEAR) {
            for (long f = 0; f < storage.frameCount(); f++) {
                storage.rawClearFrame(f);
            }
            storageChanged(0, storage.size());
            framesReplaced();
        }
        Psw psw = null;
        if (program != null && (kind == IplDiagnose.Reset.LOAD_CLEAR || kind == IplDiagnose.Reset.LOAD_NORMAL_DUMP)) {
            psw = program.get();
        }
        if (psw == null) {
            psw = Psw.fromShort(storage.readLong(0, Storage.HOST));
        }
        if (psw == null || !Psw.isValid(psw.mask(), psw.address())) {
            self.checkStop = String.format("diag 308: the IPL PSW at absolute 0 is not valid: %016x",
                    storage.readLong(0, Storage.HOST));
            self.stop();
            return;
        }
        self.setPsw(psw.mask(), psw.address());
        self.start();
    }

    public Options options() {
        return options;
    }

    public Storage storage() {
        return storage;
    }

    public List<Cpu> cpus() {
        return cpuList == null ? List.of() : cpuList;
    }

    /** CPUs that run guests under SIE: the code cache tells them of code pages as it tells the machine's own. */
    private final List<Cpu> guestCpus = new java.util.concurrent.CopyOnWriteArrayList<>();

    void addGuestCpu(Cpu cpu) {
        guestCpus.add(cpu);
    }

    void removeGuestCpu(Cpu cpu) {
        guestCpus.remove(cpu);
    }

    List<Cpu> guestCpus() {
        return guestCpus;
    }

    public Cpu cpu(int address) {
        return address >= 0 && address < cpus.length ? cpus[address] : null;
    }

    Decoder decoder() {
        return decoder;
    }

    CodeCache codeCache() {
        return codeCache;
    }

    public Clocks clocks() {
        return clocks;
    }

    public Sclp sclp() {
        return sclp;
    }

    public Facilities facilities() {
        return facilities;
    }

    public void setUvcHandler(UvcHandler h) {
        this.uvcHandler = h;
    }

    UvcHandler uvcHandler() {
        return uvcHandler;
    }

    public void setSieHandler(SieHandler h) {
        this.sieHandler = h;
    }

    SieHandler sieHandler() {
        return sieHandler;
    }

    /**
     * Whether hot blocks run as translated JVM bytecode ({@link Translator}) or every instruction is
     * interpreted. Both give the same results instruction for instruction; the default is the system
     * property {@code pvsim.translate} (true unless "false").
     */
    public void setTranslation(boolean on) {
        for (Cpu c : cpus) {
            c.translate = on;
        }
    }

    public boolean translation() {
        return cpus[0].translate;
    }

    public void setDiagnoseHandler(DiagnoseHandler h) {
        this.diagnoseHandler = h;
    }

    DiagnoseHandler diagnoseHandler() {
        return diagnoseHandler;
    }

    /** Prints each of the next {@code count} executed instructions to {@code sink}. */
    public void trace(long count, Consumer<String> sink) {
        this.traceLeft = count;
        this.trace = sink;
    }

    /**
     * Presents the configuration as a virtual machine named {@code name} (up to 8 characters) in the LPAR,
     * as a guest of a hypervisor sees itself: STSI reports level 3 and stores 3.2.2. Null: the LPAR itself.
     */
    public void setGuestConfiguration(String name) {
        if (name != null && (name.isEmpty() || name.length() > 8)) {
            throw new IllegalArgumentException("virtual-machine name must be 1..8 characters: " + name);
        }
        this.guestConfiguration = name;
    }

    public String guestConfiguration() {
        return guestConfiguration;
    }

    /** Storage keys by absolute frame (see StorageKeys); frames never set have key 0. */
    java.util.Map<Long, Byte> storageKeys() {
        return storageKeys;
    }

    public long programInterruptions() {
        return programInterruptions;
    }

    void observeProgramInterruptions(java.util.function.IntConsumer observer) {
        this.programInterruptionObserver = observer;
    }

    void recordProgramInterruption(Cpu cpu, int code, long address) {
        programInterruptions++;
        if (programInterruptionObserver != null) {
            programInterruptionObserver.accept(code);
        }
        if (traceLeft > 0 && trace != null) {
            trace.accept(String.format("cpu %d: program interruption 0x%02x at 0x%x", cpu.cpuAddress, code, address));
        }
    }

    /** Firmware or a loader changed storage bytes: forget the decoded instructions they overlap. */
    public void storageChanged(long absolute, long length) {
        if (length <= 0) {
            return;
        }
        long end = absolute + length;
        for (long f = absolute >>> Storage.PAGE_SHIFT; f <= (end - 1) >>> Storage.PAGE_SHIFT; f++) {
            CodeCache.Page p = f < storage.frameCount() ? codeCache.get(f) : null;
            if (p != null) {
                long from = Math.max(absolute, f << Storage.PAGE_SHIFT);
                long to = Math.min(end, (f + 1) << Storage.PAGE_SHIFT);
                p.invalidate((int) (from & Storage.PAGE_MASK), (int) (to - from));
            }
        }
    }

    /** Firmware replaced or cleared frames (ownership, import, destroy): CPUs must look them up again. */
    public void framesReplaced() {
        for (Cpu c : cpus) {
            c.flushTlb();
        }
    }

    // ---- service signal (SCLP completion) --------------------------------------------------------

    boolean serviceSignalPending() {
        return serviceSignal;
    }

    /** SERVC's busy condition: a completed SCCB whose service signal has not been taken yet. */
    boolean serviceCallBusy() {
        return serviceSignal && (serviceSignalParam & ~7L) != 0;
    }

    long takeServiceSignal() {
        serviceSignal = false;
        return serviceSignalParam;
    }

    /** The SCLP's view of the machine: storage for SCCBs and the service-signal interruption. */
    private final class SclpPort implements Sclp.Port {
        @Override
        public Storage storage() {
            return storage;
        }

        @Override
        public void written(long absolute, int length) {
            storageChanged(absolute, length);
        }

        @Override
        public void serviceSignal(long parameter) {
            // one pending service signal: an attention (event pending, no SCCB) merges into it
            serviceSignalParam = serviceSignal ? serviceSignalParam | parameter : parameter;
            serviceSignal = true;
        }

        @Override
        public long memorySize() {
            return storage.size();
        }

        @Override
        public int cpuCount() {
            return cpus.length;
        }
    }

    // ---- IPL and run -----------------------------------------------------------------------------

    /** Starts CPU 0 with {@code psw}; the other CPUs stay stopped until a SIGP starts them. */
    public void ipl(Psw psw) {
        for (Cpu c : cpus) {
            c.reset();
        }
        cpus[0].setPsw(psw.mask(), psw.address());
        cpus[0].start();
    }

    /** Runs until every CPU is stopped or in a disabled wait, or {@code maxInstructions} are done. */
    public Result run(long maxInstructions) {
        return run(maxInstructions, Long.MAX_VALUE);
    }

    /**
     * Runs until every CPU is stopped or in a disabled wait, or {@code maxInstructions} are done, or
     * {@code maxNanos} of host time have passed (checked between slices and while CPUs wait).
     */
    public Result run(long maxInstructions, long maxNanos) {
        long total = 0;
        long started = System.nanoTime();
        while (true) {
            if (maxNanos != Long.MAX_VALUE && System.nanoTime() - started >= maxNanos) {
                return new Result(Ending.TIME_LIMIT, List.of(), total,
                        String.format("time limit of %.3f s reached", maxNanos / 1e9));
            }
            boolean ran = false;
            boolean delivered = false;
            sclp.poll();
            watchdog.expire(clocks.tod());
            for (Cpu c : cpus) {
                if (c.checkStop != null) {
                    return new Result(Ending.CHECK_STOP, List.of(c.psw()), total,
                            "CPU " + c.cpuAddress + ": " + c.checkStop);
                }
                if (c.state != Cpu.State.OPERATING) {
                    continue;
                }
                delivered |= Interruptions.deliverPending(c);
                if (c.isWaiting() || c.state != Cpu.State.OPERATING) {
                    continue;
                }
                long budget = Math.min(SLICE, maxInstructions - total);
                if (budget <= 0) {
                    return new Result(Ending.INSTRUCTION_LIMIT, List.of(), total,
                            "instruction limit of " + maxInstructions + " reached");
                }
                if (traceLeft > 0) {
                    total += traceSteps(c, budget);
                } else {
                    total += c.run(budget);
                }
                ran = true;
            }
            if (ran || delivered) {
                continue; // a delivered interruption may have loaded another wait PSW: look again
            }
            for (Cpu c : cpus) {
                if (c.checkStop != null) {
                    return new Result(Ending.CHECK_STOP, List.of(c.psw()), total,
                            "CPU " + c.cpuAddress + ": " + c.checkStop);
                }
            }
            // nothing ran: every CPU is stopped or waiting
            List<Cpu> enabledWaiting = new ArrayList<>();
            List<Psw> waits = new ArrayList<>();
            for (Cpu c : cpus) {
                if (c.state == Cpu.State.OPERATING) {
                    if ((c.pswMask & (Psw.EXT | Psw.IO)) != 0) {
                        enabledWaiting.add(c);
                    } else {
                        waits.add(c.psw());
                    }
                }
            }
            if (enabledWaiting.isEmpty()) {
                return new Result(waits.isEmpty() ? Ending.STOPPED : Ending.DISABLED_WAIT, waits, total,
                        waits.isEmpty() ? "every CPU is stopped" : "disabled wait");
            }
            long deadline = watchdog.deadline();
            boolean inputWakes = false;
            for (Cpu c : enabledWaiting) {
                deadline = Math.min(deadline, Interruptions.nextTimerDeadline(c));
                inputWakes |= (c.cr[0] & Interruptions.CR0_SERVICE_SIGNAL) != 0;
            }
            inputWakes &= sclp.inputMayArrive();
            // Every pending condition a waiting CPU is enabled for was delivered above, and no CPU runs
            // that could make a new one: only a timer, the watchdog or console input can still wake a
            // CPU. (A pending service signal with the CR0 subclass off, for one, stays pending for ever.)
            if (deadline == Long.MAX_VALUE && !inputWakes) {
                return new Result(Ending.ENABLED_WAIT_FOREVER, List.of(enabledWaiting.get(0).psw()), total,
                        "every CPU waits enabled and nothing can wake it" + pendingNote(enabledWaiting));
            }
            long nanos = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : clocks.nanosUntil(deadline);
            if (inputWakes && (!clocks.deterministic() || deadline == Long.MAX_VALUE)) {
                // console input comes in host time, also on a deterministic clock
                long left = maxNanos == Long.MAX_VALUE ? Long.MAX_VALUE : maxNanos - (System.nanoTime() - started);
                sclp.awaitInput(Math.max(1, Math.min(Math.min(nanos, left), 10_000_000L)));
            } else if (clocks.deterministic()) {
                clocks.skip(nanos);
            } else if (nanos > 0) {
                sleep(Math.min(nanos, 10_000_000L));
            }
        }
    }

    /** Why a pending condition does not wake a waiting CPU: the usual guest bug, said plainly. */
    private String pendingNote(List<Cpu> waiting) {
        if (serviceSignal) {
            return String.format(" (a service signal is pending, but CR0 bit 54 (service-signal subclass) is off: CR0 %016x)",
                    waiting.get(0).cr[0]);
        }
        if (sclp.inputExhausted()) {
            return " (console input has ended)";
        }
        return "";
    }

    private long traceSteps(Cpu c, long budget) {
        long done = 0;
        while (done < budget && traceLeft > 0 && c.state == Cpu.State.OPERATING && !c.isWaiting()) {
            long a = c.ia;
            Insn in = c.step();
            traceLeft--;
            done++;
            trace.accept(String.format("cpu %d %016x  %s", c.cpuAddress, a, in == null ? "(no instruction)" : in));
        }
        if (done < budget && c.state == Cpu.State.OPERATING && !c.isWaiting()) {
            done += c.run(budget - done);
        }
        return done;
    }

    private static void sleep(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
