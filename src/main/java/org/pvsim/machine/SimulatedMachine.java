package org.pvsim.machine;

import java.security.interfaces.ECPrivateKey;
import java.util.List;
import org.pvsim.machine.cpu.Clocks;
import org.pvsim.machine.cpu.Cpu;
import org.pvsim.machine.cpu.Machine;
import org.pvsim.machine.storage.HostStorage;
import org.pvsim.machine.sie.Sie;
import org.pvsim.machine.storage.Storage;
import org.pvsim.machine.uv.HostKey;
import org.pvsim.machine.uv.MachineIdentity;
import org.pvsim.machine.uv.Ultravisor;
import org.pvsim.machine.uv.cb.UvcPort;
import org.pvsim.machine.uv.trace.UvCallListener;
import org.pvsim.machine.uv.trace.UvFaultRules;

/**
 * A machine as host software sees it: the host's view of storage, the host's UVC instruction, and the
 * operator's knobs (UV call trace listeners, fault injection). Built from host private keys; nothing of the
 * Ultravisor's state is reachable through it, nor the firmware's {@link Storage} with its access domains and
 * frame tags, so host layers (kvm, cli, benchmarks) can create machines without touching either.
 */
public final class SimulatedMachine {
    private final Storage storage;
    private final Ultravisor uv;
    private final Sie sie;
    private final Clocks clocks;

    private SimulatedMachine(Machine cpus, Ultravisor uv) {
        this.storage = cpus.storage();
        this.clocks = cpus.clocks();
        this.uv = uv;
        this.sie = new Sie(cpus, uv);
        cpus.setUvcHandler(uv::call);
        cpus.setSieHandler(sie::execute);
    }

    /**
     * A machine of {@code storageSize} bytes whose host key pairs are given by their private halves. It
     * has no simulated CPUs: host software runs on the calling thread, so the UV's census of running
     * CPUs (INIT_UV's rc 0x0102) counts just the one that issues the call.
     */
    public static SimulatedMachine create(long storageSize, List<ECPrivateKey> hostKeys) {
        Machine cpus = new Machine(new Machine.Options(storageSize, 1, false, true), line -> { });
        Ultravisor uv = new Ultravisor(cpus.storage(), identity(hostKeys));
        uv.setRunningCpuCensus(() -> 1);
        return new SimulatedMachine(cpus, uv);
    }

    /**
     * The UV of a machine with simulated CPUs: it works on {@code cpus}' storage, executes their UVC
     * instructions, and counts their operating CPUs for INIT_UV (which needs every other CPU stopped).
     */
    public static SimulatedMachine withCpus(Machine cpus, List<ECPrivateKey> hostKeys) {
        Ultravisor uv = new Ultravisor(cpus.storage(), identity(hostKeys));
        uv.setRunningCpuCensus(() -> (int) cpus.cpus().stream().filter(c -> c.state() == Cpu.State.OPERATING).count());
        uv.setCpuPrefixCensus(() -> cpus.cpus().stream().mapToLong(Cpu::prefix).toArray());
        return new SimulatedMachine(cpus, uv);
    }

    private static MachineIdentity identity(List<ECPrivateKey> hostKeys) {
        return new MachineIdentity(hostKeys.stream().map(HostKey::fromPrivate).toList());
    }

    /**
     * A clear reset or load-normal of the whole machine (diag 308 subcodes 0/1 in the host): the UV
     * forgets every secure configuration and CPU, secure and donated storage is cleared and returned,
     * and the UV must be initialised again.
     */
    public void machineReset() {
        uv.machineReset();
    }

    /** Storage as the host may access it (host domain only; secure frames raise 0x3d). */
    public HostStorage hostStorage() {
        return storage.hostView();
    }

    /** The TOD clock as host software reads it with STORE CLOCK FAST (not made unique). */
    public long tod() {
        return clocks.peekTod();
    }

    /** The host's SIE instruction (the Java host kernel's KVM_RUN executes it). */
    public SieInstruction sie() {
        return (sd, asce, gr, fpr, ar, budget) -> sie.run(sd, asce, new Sie.HostRegisters(gr, fpr, ar), budget);
    }

    public void addSieListener(SieExitListener l) {
        sie.addListener(l);
    }

    public void removeSieListener(SieExitListener l) {
        sie.removeListener(l);
    }

    /** SIE exits so far. */
    public long sieExits() {
        return sie.exits();
    }

    /** The host's UVC instruction (after the CPU's privileged-operation checks). */
    public UvcPort uvc() {
        return uv;
    }

    public void addUvListener(UvCallListener l) {
        uv.addListener(l);
    }

    public void removeUvListener(UvCallListener l) {
        uv.removeListener(l);
    }

    /** The UV's fault-injection rules (empty by default). */
    public UvFaultRules uvFaults() {
        return uv.faults();
    }
}
