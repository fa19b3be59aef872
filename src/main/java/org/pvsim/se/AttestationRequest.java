package org.pvsim.se;

import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.List;

/**
 * An attestation request control block, ARCB v1 (pvattest's {@code AttestationRequest}; reference
 * se-image-format §6, offsets of kvm-unit-tests pv-attest.c): 8 zero bytes ‖ u32 version 0x0100 ‖
 * u32 size ‖ IV (12) @0x10 ‖ u8 nks @0x27 ‖ u32 sea @0x2c ‖ u64 plaintext flags @0x30 ‖ u32
 * measurement algorithm @0x38 (1 = HMAC-SHA512) ‖ customer public key @0x40 ‖ key slots @0xe0 ‖
 * encrypted measurement key (64) ‖ nonce (16, when flag 1 asks for it) ‖ GCM tag. The request
 * protection key ("arpk") is the GCM key; the key slots wrap it for each host key.
 */
public record AttestationRequest(long flags, int algorithm, List<KeySlot> keySlots, int sea, byte[] bytes) {
    public static final int VERSION_1 = 0x0100;
    public static final int HMAC_SHA512 = 1;
    public static final long FLAG_NONCE = 1L << 62;
    public static final long FLAG_IMAGE_PHKH = 1L << 61;
    public static final long FLAG_ATTEST_PHKH = 1L << 60;
    public static final int OFF_CPK = 0x40;
    public static final int OFF_SLOTS = 0xe0;
    public static final int MEASUREMENT_KEY = 64;
    public static final int NONCE = 16;
    public static final int MAX_SIZE = 0x2000;

    /** A sealed request and what only its creator keeps: the protection key, measurement key and nonce. */
    public record Sealed(byte[] bytes, byte[] arpk, byte[] measurementKey, byte[] nonce) {
    }

    public AttestationRequest {
        keySlots = List.copyOf(keySlots);
        bytes = bytes.clone();
    }

    /** A request for {@code hostKeys}; a nonce is always asked for (pvattest does so too). */
    public static Sealed create(List<ECPublicKey> hostKeys, long additionalFlags, SecureRandom rnd) {
        if (hostKeys.isEmpty() || hostKeys.size() > 255) {
            throw new IllegalArgumentException("an attestation request needs 1 to 255 host keys, found " + hostKeys.size());
        }
        long flags = FLAG_NONCE | additionalFlags;
        byte[] arpk = new byte[32];
        byte[] measKey = new byte[MEASUREMENT_KEY];
        byte[] nonce = new byte[NONCE];
        byte[] iv = new byte[12];
        rnd.nextBytes(arpk);
        rnd.nextBytes(measKey);
        rnd.nextBytes(nonce);
        rnd.nextBytes(iv);
        int nks = hostKeys.size();
        int aad = OFF_SLOTS + KeySlot.SIZE * nks;
        int sea = MEASUREMENT_KEY + NONCE;
        ByteBuffer b = ByteBuffer.allocate(aad + sea + Gcm.TAG_SIZE);
        b.putInt(8, VERSION_1).putInt(0x0c, b.capacity()).put(0x10, iv).put(0x27, (byte) nks).putInt(0x2c, sea)
                .putLong(0x30, flags).putInt(0x38, HMAC_SHA512);
        KeyPair customer = P521.generate(rnd);
        b.put(OFF_CPK, P521.encodePublicKey((ECPublicKey) customer.getPublic()));
        b.put(OFF_SLOTS, RequestKeySlots.wrap(customer, hostKeys, arpk));
        byte[] plain = ByteBuffer.allocate(sea).put(measKey).put(nonce).array();
        b.put(aad, Gcm.seal(arpk, iv, Arrays.copyOf(b.array(), aad), plain));
        return new Sealed(b.array(), arpk, measKey, nonce);
    }

    /** Reads and checks the structure; throws {@link SeFormatException} naming the field. */
    public static AttestationRequest parse(byte[] b) {
        if (b.length < OFF_SLOTS + MEASUREMENT_KEY + Gcm.TAG_SIZE) {
            throw new SeFormatException("attestation request: " + b.length + " bytes is too short");
        }
        ByteBuffer bb = ByteBuffer.wrap(b);
        if (bb.getLong(0) != 0 || bb.getInt(8) != VERSION_1) {
            throw new SeFormatException(String.format(
                    "attestation request: magic/version 0x%016x/0x%08x, expected 0/0x00000100", bb.getLong(0), bb.getInt(8)));
        }
        long size = Integer.toUnsignedLong(bb.getInt(0x0c));
        if (size != b.length || size > MAX_SIZE) {
            throw new SeFormatException(String.format(
                    "attestation request: says 0x%x bytes, has 0x%x (at most 0x%x)", size, b.length, MAX_SIZE));
        }
        int nks = b[0x27] & 0xff;
        long sea = Integer.toUnsignedLong(bb.getInt(0x2c));
        long flags = bb.getLong(0x30);
        if (nks == 0) {
            throw new SeFormatException("attestation request: no key slots");
        }
        long expectSea = MEASUREMENT_KEY + ((flags & FLAG_NONCE) != 0 ? NONCE : 0);
        if (sea != expectSea) {
            throw new SeFormatException(String.format("attestation request: sea 0x%x, flags need 0x%x", sea, expectSea));
        }
        if (OFF_SLOTS + (long) KeySlot.SIZE * nks + sea + Gcm.TAG_SIZE != size) {
            throw new SeFormatException(String.format(
                    "attestation request: %d key slots and 0x%x encrypted bytes do not make 0x%x bytes", nks, sea, size));
        }
        int alg = bb.getInt(0x38);
        if (alg != HMAC_SHA512) {
            throw new SeFormatException(String.format("attestation request: measurement algorithm %d, expected 1 (HMAC-SHA512)", alg));
        }
        P521.checkPaddedCoordinates(b, OFF_CPK, "attestation request customer public key");
        return new AttestationRequest(flags, alg, RequestKeySlots.read(b, OFF_SLOTS, nks), (int) sea, b);
    }

    /** Size of the additional data the flags ask for (image PHKH 32, attestation PHKH 32). */
    public int additionalDataSize() {
        return ((flags & FLAG_IMAGE_PHKH) != 0 ? 32 : 0) + ((flags & FLAG_ATTEST_PHKH) != 0 ? 32 : 0);
    }

    /** Decrypts with the request protection key: measurement key ‖ nonce, or null when it does not authenticate. */
    public byte[] open(byte[] arpk) {
        int aad = bytes.length - sea - Gcm.TAG_SIZE;
        byte[] iv = Arrays.copyOfRange(bytes, 0x10, 0x1c);
        return Gcm.open(arpk, iv, Arrays.copyOf(bytes, aad), Arrays.copyOfRange(bytes, aad, bytes.length));
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AttestationRequest r && Arrays.equals(bytes, r.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return String.format("AttestationRequest[flags=0x%x, nks=%d]", flags, keySlots.size());
    }
}
