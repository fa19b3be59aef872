package org.pvsim.se;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A secret for an add-secret request (pvsecret's {@code GuestSecret}): its type, its 32-byte id
 * (SHA-256 of the name; none for the meta request), and the confidential value as the request
 * carries it. The secret header in the request's authenticated data is u16 0 ‖ u16 type ‖ u32
 * value length ‖ 8 reserved ‖ id (48 bytes), or the first 16 of those for the meta request.
 */
public record GuestSecret(SecretType type, String name, byte[] id, byte[] value) {
    public static final int ID_SIZE = 32;
    public static final int LISTABLE_HEADER = 0x30;
    public static final int NULL_HEADER = 0x10;

    public GuestSecret {
        id = id == null ? null : id.clone();
        value = value.clone();
    }

    /** The meta request: no secret, only flags (e.g. disable dump). */
    public static GuestSecret meta() {
        return new GuestSecret(SecretType.NULL, null, null, new byte[0]);
    }

    /** An association secret: 32 bytes, random unless given. */
    public static GuestSecret association(String name, byte[] value, SecureRandom rnd) {
        byte[] v = value;
        if (v == null) {
            v = new byte[32];
            rnd.nextBytes(v);
        }
        if (v.length != 32) {
            throw new IllegalArgumentException("an association secret is 32 bytes, found " + v.length);
        }
        return new GuestSecret(SecretType.ASSOCIATION, name, nameToId(name), v);
    }

    /** A retrievable secret of {@code type}; a plaintext one is stored as u16 length ‖ data, padded to 16. */
    public static GuestSecret retrievable(SecretType type, String name, byte[] raw) {
        if (!type.retrievable()) {
            throw new IllegalArgumentException(type.display() + " is not a retrievable secret type");
        }
        byte[] v;
        if (type == SecretType.PLAIN) {
            if (raw.length > SecretType.MAX_PLAIN) {
                throw new IllegalArgumentException("a plaintext secret is at most 8190 bytes, found " + raw.length);
            }
            int len = (raw.length + 2 + 15) / 16 * 16;
            v = ByteBuffer.allocate(len).putShort((short) raw.length).put(raw).array();
        } else if (raw.length != type.size()) {
            throw new IllegalArgumentException("a " + type.display() + " is " + type.size() + " bytes, found " + raw.length);
        } else {
            v = raw;
        }
        return new GuestSecret(type, name, nameToId(name), v);
    }

    /** The secret id: SHA-256 of the name, as pvsecret derives it. */
    public static byte[] nameToId(String name) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** The secret header of the request's authenticated data. */
    public byte[] header() {
        ByteBuffer b = ByteBuffer.allocate(type == SecretType.NULL ? NULL_HEADER : LISTABLE_HEADER);
        b.putShort(2, (short) type.code()).putInt(4, value.length);
        if (id != null) {
            b.put(0x10, id);
        }
        return b.array();
    }

    @Override
    public byte[] id() {
        return id == null ? null : id.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GuestSecret g && type == g.type && java.util.Objects.equals(name, g.name)
                && Arrays.equals(id, g.id) && Arrays.equals(value, g.value);
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + Arrays.hashCode(id);
    }

    @Override
    public String toString() {
        return "GuestSecret[" + type.display() + (name != null ? " '" + name + "'" : "") + "]";
    }
}
