package org.pvsim.machine.uv;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import org.pvsim.se.HostKeys;
import org.pvsim.se.P521;

/**
 * One host key pair of the machine (EC secp521r1): the private half unwraps SE-header and
 * attestation-request key slots; the hash of the public half (SHA-256 over X‖Y, each zero-padded to
 * 80 bytes; reference se-image-format §1.3) is what a key slot names.
 */
public record HostKey(ECPrivateKey privateKey, ECPublicKey publicKey) {
    public HostKey {
        if (!P521.isP521(privateKey) || !P521.isP521(publicKey)) {
            throw new IllegalArgumentException("host key: must be an EC secp521r1 key pair");
        }
    }

    /** A fresh random host key (for tests and demo machines). */
    public static HostKey generate() {
        KeyPair kp = P521.generate(new SecureRandom());
        return new HostKey((ECPrivateKey) kp.getPrivate(), (ECPublicKey) kp.getPublic());
    }

    /** The key pair for a private key alone (as loaded from a PEM file): Q = d·G. */
    public static HostKey fromPrivate(ECPrivateKey privateKey) {
        if (!P521.isP521(privateKey)) {
            throw new IllegalArgumentException("host key: must be an EC secp521r1 key");
        }
        return new HostKey(privateKey, HostKeys.publicKeyOf(privateKey));
    }

    /** The 32-byte key-slot digest of this host key. */
    public byte[] hash() {
        return HostKeys.hostKeyHash(publicKey);
    }

    @Override
    public String toString() {
        return "HostKey[" + java.util.HexFormat.of().formatHex(hash(), 0, 8) + "...]";
    }
}
