package org.pvsim.machine;

import java.security.interfaces.ECPrivateKey;
import java.util.List;
import org.pvsim.machine.cpu.Cpu;
import org.pvsim.machine.cpu.Machine;
import org.pvsim.machine.storage.Storage;
import org.pvsim.machine.uv.HostKey;
import org.pvsim.machine.uv.MachineIdentity;
import org.pvsim.machine.uv.Ultravisor;
import org.pvsim.machine.uv.cb.UvcPort;
import org.pvsim.machine.uv.trace.UvCallListener;
import org.pvsim.machine.uv.trace.UvFaultRules;

/**
 * A machine as host software sees it: storage, the UVC instruction, and the operator's knobs (UV call
 * trace listeners, fault injection). Built from host private keys; nothing of the Ultravisor's state is
 * reachable through it, so host layers (kvm, cli, benchmarks) can create machines without touching UV
 * internals.
 */
public final class SimulatedMachine {
    private final Storage storage;
    private final Ultravisor uv;

    private SimulatedMachine(Storage storage, Ultravisor uv) {
        this.storage = storage;
        this.uv = uv;
    }

    /**
     * A machine of {@code storageSize} bytes whose host key pairs are given by their private halves. It
     * has no simulated CPUs: host software runs on the calling thread, so the UV's census of running
     * CPUs (INIT_UV's rc 0x0102) counts just the one that issues the call.
     */
    public static SimulatedMachine create(long storageSize, List<ECPrivateKey> hostKeys) {
        Storage storage = new Storage(storageSize);
        Ultravisor uv = new Ultravisor(storage, identity(hostKeys));
        uv.setRunningCpuCensus(() -> 1);
        return new SimulatedMachine(storage, uv);
    }

    /**
     * The UV of a machine with simulated CPUs: it works on {@code cpus}' storage, executes their UVC
     * instructions, and counts their operating CPUs for INIT_UV (which needs every other CPU stopped).
     */
    public static SimulatedMachine withCpus(Machine cpus, List<ECPrivateKey> hostKeys) {
        Ultravisor uv = new Ultravisor(cpus.storage(), identity(hostKeys));
        uv.setRunningCpuCensus(() -> (int) cpus.cpus().stream().filter(c -> c.state() == Cpu.State.OPERATING).count());
        cpus.setUvcHandler(uv::call);
        return new SimulatedMachine(cpus.storage(), uv);
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

    public Storage storage() {
        return storage;
    }

    /** The UVC instruction (after the CPU's privileged-operation checks). */
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
