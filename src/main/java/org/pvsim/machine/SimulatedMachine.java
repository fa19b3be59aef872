package org.pvsim.machine;

import java.security.interfaces.ECPrivateKey;
import java.util.List;
import org.pvsim.machine.storage.Storage;
import org.pvsim.machine.uv.HostKey;
import org.pvsim.machine.uv.MachineIdentity;
import org.pvsim.machine.uv.Ultravisor;
import org.pvsim.machine.uv.cb.UvCallListener;
import org.pvsim.machine.uv.cb.UvFaultRules;
import org.pvsim.machine.uv.cb.UvcPort;

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

    /** A machine of {@code storageSize} bytes whose host key pairs are given by their private halves. */
    public static SimulatedMachine create(long storageSize, List<ECPrivateKey> hostKeys) {
        Storage storage = new Storage(storageSize);
        MachineIdentity identity = new MachineIdentity(hostKeys.stream().map(HostKey::fromPrivate).toList());
        return new SimulatedMachine(storage, new Ultravisor(storage, identity));
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
