package org.pvsim.se;

import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.function.Function;
import org.pvsim.se.SeVerificationException.Failure;

/** What the Ultravisor does with an SE header: find the key slot, unwrap the header key, authenticate, decrypt. */
public final class HeaderCrypto {
    /** Key slots wrap with a fixed all-zero IV: each KEK is used exactly once, for one key. */
    static final byte[] ZERO_IV = new byte[12];

    private HeaderCrypto() {
    }

    /** Opens the header with a host private key: slot lookup, unwrap, tag check, decryption. */
    public static SeHeaderSecrets open(SeHeader hdr, ECPrivateKey hostKey) {
        byte[] headerKey = unwrapHeaderKey(hdr, hostKey);
        try {
            return open(hdr, headerKey);
        } finally {
            Arrays.fill(headerKey, (byte) 0);
        }
    }

    /** The index of the key slot for this host key, or -1. */
    public static int findKeySlot(SeHeader hdr, ECPublicKey hostKey) {
        byte[] hash = P521.hostKeyHash(hostKey);
        var slots = hdr.keySlots();
        for (int i = 0; i < slots.size(); i++) {
            if (slots.get(i).isFor(hash)) {
                return i;
            }
        }
        return -1;
    }

    /** {@link #open(SeHeader, ECPrivateKey)} for callers that already know the host public key (saves d·G). */
    public static SeHeaderSecrets open(SeHeader hdr, ECPrivateKey hostKey, ECPublicKey hostPublic) {
        return open(hdr, hostPublic, customerKey -> P521.kek(hostKey, customerKey));
    }

    /**
     * Opens the header for the host whose public key is given, with the ECDH step supplied by the caller
     * ({@code kek} maps the header's customer public key to the key-encryption key). Firmware that keeps its
     * private key elsewhere, or tests that memoize the ECDH, use this; the other overloads come here.
     */
    public static SeHeaderSecrets open(SeHeader hdr, ECPublicKey hostPublic, Function<ECPublicKey, byte[]> kek) {
        byte[] headerKey = unwrapHeaderKey(hdr, hostPublic, kek);
        try {
            return open(hdr, headerKey);
        } finally {
            Arrays.fill(headerKey, (byte) 0);
        }
    }

    /** Finds the slot for the host key and unwraps the 32-byte header key from it. */
    public static byte[] unwrapHeaderKey(SeHeader hdr, ECPrivateKey hostKey) {
        return unwrapHeaderKey(hdr, P521.publicKeyOf(hostKey), customerKey -> P521.kek(hostKey, customerKey));
    }

    /** Finds the slot for the host key and unwraps the header key with the KEK {@code kek} derives. */
    public static byte[] unwrapHeaderKey(SeHeader hdr, ECPublicKey hostPublic, Function<ECPublicKey, byte[]> kek) {
        int slot = findKeySlot(hdr, hostPublic);
        if (slot < 0) {
            throw new SeVerificationException(Failure.NO_KEY_SLOT, "the SE header has no key slot for this host key"
                    + " (host key hash " + java.util.HexFormat.of().formatHex(P521.hostKeyHash(hostPublic)) + ")");
        }
        return unwrapKeySlot(hdr.keySlots().get(slot), slot, kek.apply(hdr.customerPublicKey()));
    }

    /** Unwraps one key slot with its KEK (AES-256-GCM, zero IV, no AAD); the KEK is wiped afterwards. */
    public static byte[] unwrapKeySlot(KeySlot ks, int index, byte[] kek) {
        try {
            byte[] key = Gcm.open(kek, ZERO_IV, new byte[0], Gcm.concat(ks.wrappedKey(), ks.tag()));
            if (key == null || key.length != 32) {
                throw new SeVerificationException(Failure.KEY_SLOT_TAG, "key slot " + index
                        + " matches the host key but its wrapped header key does not authenticate"
                        + " (tampered slot or customer public key)");
            }
            return key;
        } finally {
            Arrays.fill(kek, (byte) 0);
        }
    }

    /** Authenticates and decrypts the header with the 32-byte header key. */
    public static SeHeaderSecrets open(SeHeader hdr, byte[] headerKey) {
        if (headerKey.length != 32) {
            throw new IllegalArgumentException("header key must be 32 bytes, got " + headerKey.length);
        }
        byte[] all = hdr.bytes();
        int aad = hdr.aadSize();
        byte[] plain = Gcm.open(headerKey, hdr.iv(), Arrays.copyOf(all, aad), Arrays.copyOfRange(all, aad, all.length));
        if (plain == null) {
            throw new SeVerificationException(Failure.HEADER_TAG,
                    "SE header tag mismatch: wrong header key or the header was modified");
        }
        try {
            SeHeaderSecrets s = SeHeaderSecrets.decode(plain);
            if (s.noi() != 0) {
                throw new SeVerificationException(Failure.OPTIONAL_ITEMS, "SE header declares " + s.noi()
                        + " optional items; version 1 supports none");
            }
            return s;
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }
}
