package org.pvsim.machine.uv;

import java.security.interfaces.ECPrivateKey;
import java.util.ArrayList;
import java.util.List;
import org.pvsim.se.Pem;

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

    /**
     * The identity from host private keys in PEM or DER (PKCS#8 "PRIVATE KEY" or SEC1 "EC PRIVATE
     * KEY"), one key per element; the caller reads the files. Errors name the key's position.
     */
    public static MachineIdentity fromPem(List<byte[]> privateKeys) {
        List<HostKey> keys = new ArrayList<>();
        for (int i = 0; i < privateKeys.size(); i++) {
            try {
                ECPrivateKey k = Pem.readPrivateKey(privateKeys.get(i));
                keys.add(HostKey.fromPrivate(k));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("host private key #" + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return new MachineIdentity(keys);
    }
}
