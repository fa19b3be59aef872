package org.pvsim.vmm;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.security.interfaces.ECPrivateKey;
import org.pvsim.kvm.Kvm;
import org.pvsim.machine.SimulatedMachine;

/**
 * The VMM of one guest: {@link #create} sets the machine up (VM, RAM, vCPUs, SCLP console), {@link #run}
 * IPLs {@code -kernel} and runs it until it shuts down or crashes, {@link #close} tears it down. The same
 * object is what {@code pvsim run}, the demo, the tests and the benchmarks use; nothing else drives KVM's
 * PV commands in sequence.
 */
public final class Vmm implements AutoCloseable {
    private final GuestMachine machine;
    private final SclpConsole console;
    private final VcpuLoop loop;

    private Vmm(GuestMachine machine, SclpConsole console, VcpuLoop loop) {
        this.machine = machine;
        this.console = console;
        this.loop = loop;
    }

    /** A host able to run protected guests: a simulated machine with these host keys, KVM booted on it. */
    public static SimulatedMachine hostMachine(long guestMemory, List<ECPrivateKey> hostKeys) {
        long size = Math.max(4L << 30, 2 * guestMemory + (2L << 30));
        return SimulatedMachine.create(size, hostKeys);
    }

    public static Kvm bootKvm(SimulatedMachine machine) {
        return Kvm.boot(machine, Kvm.Options.defaults());
    }

    /**
     * A guest on {@code kvm}: {@code kernel} is what {@code -kernel} names, {@code out} the console,
     * {@code in} console input (or null).
     */
    public static Vmm create(Kvm kvm, VmConfig config, byte[] kernel, PrintStream out, InputStream in, Trace trace) {
        GuestMachine m = GuestMachine.create(kvm, config, trace);
        SclpConsole console = new SclpConsole(out, config.memory(), config.cpus());
        VcpuLoop loop = new VcpuLoop(m, new Ipl(kernel, config.append()), console);
        console.attachInput(in, loop::inputArrived);
        return new Vmm(m, console, loop);
    }

    /** IPLs the guest and runs it to its end. */
    public Outcome run() {
        return loop.run();
    }

    /** What the guest printed. */
    public String consoleText() {
        return console.transcript();
    }

    /** Reboots the guest asked for (diag 308). */
    public int reboots() {
        return loop.reboots();
    }

    /** Whether the VM is protected now. */
    public boolean isProtected() {
        return machine.isProtected();
    }

    /** Ends protection (if any) and closes the VM, freeing its memory. */
    @Override
    public void close() {
        loop.pv().awaitAsyncCleanup();
        machine.close();
    }
}
