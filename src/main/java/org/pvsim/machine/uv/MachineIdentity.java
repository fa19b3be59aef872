package org.pvsim.machine.uv;

import java.util.List;

/** What makes a machine this machine for Secure Execution: its host key pairs (at least one). */
public record MachineIdentity(List<HostKey> hostKeys) {
    public MachineIdentity {
        hostKeys = List.copyOf(hostKeys);
        if (hostKeys.isEmpty()) {
            throw new IllegalArgumentException("machine identity needs at least one host key");
        }
    }

    public static MachineIdentity of(HostKey... keys) {
        return new MachineIdentity(List.of(keys));
    }

    /** A machine with {@code n} fresh random host keys. */
    public static MachineIdentity generate(int n) {
        return new MachineIdentity(java.util.stream.Stream.generate(HostKey::generate).limit(n).toList());
    }
}
