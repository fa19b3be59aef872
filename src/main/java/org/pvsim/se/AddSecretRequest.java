package org.pvsim.se;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An add-secret request control block (ASRCB, pvsecret's {@code AddSecretRequest}; reference
 * se-image-format §6). The whole request is one AES-256-GCM blob under a random request key that
 * key slots wrap for each host key. Layout:
 * <pre>
 * 0x000 magic "asrcbM" ‖ u16 user-data type   0x008 u32 version 0x0100   0x00c u32 total size
 * 0x010 IV (12)   0x027 u8 nks   0x02c u32 sea (size of the encrypted part)
 * 0x030 u64 flags (MSB-0 bit 0: disable dump)   0x038 boot tags PLD ‖ ALD ‖ TLD ‖ SE-header tag (0xd0)
 * 0x108 configuration unique id (16, zero = any)   0x118 reserved (256)   0x218 user data (512)
 * 0x418 customer public key X ‖ Y (160)   0x4b8 key slots (80 each)   then the secret header (16 or 48)
 * encrypted: secret value ‖ extension secret (32)   then the GCM tag (16)
 * </pre>
 * Everything before the encrypted part is the AAD. {@link #parse} checks the structure only (what a
 * reader can check without a host key); the UV authenticates it.
 */
public record AddSecretRequest(int userDataType, long flags, byte[] bootTags, byte[] cuid, byte[] userData,
        byte[] customerKey, List<KeySlot> keySlots, SecretType secretType, int secretLength, byte[] secretId,
        byte[] bytes) {
    public static final byte[] MAGIC = "asrcbM".getBytes(StandardCharsets.US_ASCII);
    public static final int VERSION_1 = 0x0100;
    public static final long FLAG_DISABLE_DUMP = 1L << 63;
    public static final int OFF_IV = 0x10;
    public static final int OFF_NKS = 0x27;
    public static final int OFF_SEA = 0x2c;
    public static final int OFF_FLAGS = 0x30;
    public static final int OFF_BOOT_TAGS = 0x38;
    public static final int OFF_CUID = 0x108;
    public static final int OFF_USER_DATA = 0x218;
    public static final int OFF_CPK = 0x418;
    public static final int OFF_SLOTS = 0x4b8;
    public static final int BOOT_TAGS = 0xd0;
    public static final int EXT_SECRET = 32;
    public static final int MAX_SIZE = 0x8000;
    static final String EXT_INFO = "IBM Z Ultravisor Add-Secret";

    public AddSecretRequest {
        bootTags = bootTags.clone();
        cuid = cuid.clone();
        userData = userData.clone();
        customerKey = customerKey.clone();
        secretId = secretId == null ? null : secretId.clone();
        bytes = bytes.clone();
        keySlots = List.copyOf(keySlots);
    }

    /**
     * Seals a request for {@code secret} bound to the image whose boot tags are given.
     *
     * @param cuid 16 bytes binding it to one running configuration, or null for any
     * @param extensionSecret 32 bytes, or null for zeros
     */
    public static byte[] create(GuestSecret secret, byte[] bootTags, long flags, byte[] cuid, byte[] extensionSecret,
            List<ECPublicKey> hostKeys, SecureRandom rnd) {
        if (bootTags.length != BOOT_TAGS) {
            throw new IllegalArgumentException("boot tags must be 0xd0 bytes, found " + bootTags.length);
        }
        if (hostKeys.isEmpty() || hostKeys.size() > 255) {
            throw new IllegalArgumentException("an add-secret request needs 1 to 255 host keys, found " + hostKeys.size());
        }
        byte[] ext = extensionSecret == null ? new byte[EXT_SECRET] : extensionSecret;
        if (ext.length != EXT_SECRET || (cuid != null && cuid.length != 16)) {
            throw new IllegalArgumentException("the extension secret is 32 bytes and the CUID 16");
        }
        byte[] header = secret.header();
        byte[] value = secret.value();
        int nks = hostKeys.size();
        int aadLen = OFF_SLOTS + KeySlot.SIZE * nks + header.length;
        int sea = value.length + EXT_SECRET;
        int size = aadLen + sea + Gcm.TAG_SIZE;
        byte[] iv = new byte[12];
        byte[] reqKey = new byte[32];
        rnd.nextBytes(iv);
        rnd.nextBytes(reqKey);
        KeyPair customer = P521.generate(rnd);
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(0, MAGIC).putShort(6, (short) 0).putInt(8, VERSION_1).putInt(0x0c, size).put(OFF_IV, iv)
                .put(OFF_NKS, (byte) nks).putInt(OFF_SEA, sea).putLong(OFF_FLAGS, flags).put(OFF_BOOT_TAGS, bootTags);
        if (cuid != null) {
            b.put(OFF_CUID, cuid);
        }
        b.put(OFF_CPK, P521.encodePublicKey((ECPublicKey) customer.getPublic()));
        b.put(OFF_SLOTS, RequestKeySlots.wrap(customer, hostKeys, reqKey));
        b.put(OFF_SLOTS + KeySlot.SIZE * nks, header);
        byte[] conf = ByteBuffer.allocate(sea).put(value).put(ext).array();
        byte[] sealed = Gcm.seal(reqKey, iv, Arrays.copyOf(b.array(), aadLen), conf);
        Arrays.fill(reqKey, (byte) 0);
        Arrays.fill(conf, (byte) 0);
        b.put(aadLen, sealed);
        return b.array();
    }

    /** The extension secret derived from the CCK: HKDF-SHA512(ikm = CCK, salt = SE-header tag, info), 32 bytes. */
    public static byte[] derivedExtensionSecret(byte[] cck, byte[] headerTag) {
        try {
            Mac mac = Mac.getInstance("HmacSHA512");
            mac.init(new SecretKeySpec(headerTag, "HmacSHA512"));
            byte[] prk = mac.doFinal(cck);
            mac.init(new SecretKeySpec(prk, "HmacSHA512"));
            mac.update(EXT_INFO.getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) 1);
            return Arrays.copyOf(mac.doFinal(), EXT_SECRET);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA512 unavailable", e);
        }
    }

    /** Reads and checks the structure of a request; throws {@link SeFormatException} naming the field. */
    public static AddSecretRequest parse(byte[] b) {
        if (b.length < OFF_SLOTS + GuestSecret.NULL_HEADER + EXT_SECRET + Gcm.TAG_SIZE) {
            throw new SeFormatException("add-secret request: " + b.length + " bytes is too short");
        }
        if (!Arrays.equals(b, 0, 6, MAGIC, 0, 6)) {
            throw new SeFormatException("add-secret request: no 'asrcbM' magic");
        }
        ByteBuffer bb = ByteBuffer.wrap(b);
        int udType = bb.getShort(6) & 0xffff;
        if (udType > 4) {
            throw new SeFormatException(String.format("add-secret request: unknown user-data type 0x%04x", udType));
        }
        int version = bb.getInt(8);
        if (version != VERSION_1) {
            throw new SeFormatException(String.format("add-secret request: version 0x%08x, expected 0x00000100", version));
        }
        long size = Integer.toUnsignedLong(bb.getInt(0x0c));
        if (size != b.length) {
            throw new SeFormatException(String.format("add-secret request: says 0x%x bytes, file has 0x%x", size, b.length));
        }
        int nks = b[OFF_NKS] & 0xff;
        long sea = Integer.toUnsignedLong(bb.getInt(OFF_SEA));
        if (nks == 0) {
            throw new SeFormatException("add-secret request: no key slots");
        }
        long slotsEnd = OFF_SLOTS + (long) KeySlot.SIZE * nks;
        if (sea < EXT_SECRET || slotsEnd + GuestSecret.NULL_HEADER + sea + Gcm.TAG_SIZE > size) {
            throw new SeFormatException(String.format(
                    "add-secret request: %d key slots and 0x%x encrypted bytes do not fit 0x%x bytes", nks, sea, size));
        }
        int hdr = (int) slotsEnd;
        int typeCode = bb.getShort(hdr + 2) & 0xffff;
        SecretType type = SecretType.byCode(typeCode).orElseThrow(() -> new SeFormatException(
                String.format("add-secret request: unknown secret type 0x%04x", typeCode)));
        int hdrLen = type == SecretType.NULL ? GuestSecret.NULL_HEADER : GuestSecret.LISTABLE_HEADER;
        long aadLen = size - sea - Gcm.TAG_SIZE;
        if (aadLen != slotsEnd + hdrLen) {
            throw new SeFormatException(String.format(
                    "add-secret request: a %s secret header is 0x%x bytes, the request leaves 0x%x",
                    type.display(), hdrLen, aadLen - slotsEnd));
        }
        long len = Integer.toUnsignedLong(bb.getInt(hdr + 4));
        if (len != sea - EXT_SECRET) {
            throw new SeFormatException(String.format(
                    "add-secret request: secret length 0x%x, the encrypted part holds 0x%x", len, sea - EXT_SECRET));
        }
        boolean sizeOk = type == SecretType.PLAIN ? len >= 16 && len % 16 == 0 && len <= SecretType.MAX_PLAIN + 2 + 14
                : len == type.size();
        if (!sizeOk) {
            throw new SeFormatException(String.format("add-secret request: a %s cannot be 0x%x bytes", type.display(), len));
        }
        P521.checkPaddedCoordinates(b, OFF_CPK, "add-secret request customer public key");
        byte[] id = type == SecretType.NULL ? null : Arrays.copyOfRange(b, hdr + 0x10, hdr + 0x30);
        return new AddSecretRequest(udType, bb.getLong(OFF_FLAGS), Arrays.copyOfRange(b, OFF_BOOT_TAGS, OFF_CUID),
                Arrays.copyOfRange(b, OFF_CUID, OFF_CUID + 16), Arrays.copyOfRange(b, OFF_USER_DATA, OFF_CPK),
                Arrays.copyOfRange(b, OFF_CPK, OFF_SLOTS), RequestKeySlots.read(b, OFF_SLOTS, nks), type, (int) len, id, b);
    }

    public int nks() {
        return keySlots.size();
    }

    /** Size of the authenticated-only part (the GCM AAD). */
    public int aadSize() {
        return bytes.length - encryptedSize() - Gcm.TAG_SIZE;
    }

    public int encryptedSize() {
        return secretLength + EXT_SECRET;
    }

    public byte[] iv() {
        return Arrays.copyOfRange(bytes, OFF_IV, OFF_IV + 12);
    }

    /** Whether the request is bound to one configuration (a non-zero CUID). */
    public boolean boundToConfiguration() {
        for (byte x : cuid) {
            if (x != 0) {
                return true;
            }
        }
        return false;
    }

    /** Decrypts with the request key: secret value ‖ extension secret, or null when the tag does not authenticate. */
    public byte[] open(byte[] requestKey) {
        int aad = aadSize();
        return Gcm.open(requestKey, iv(), Arrays.copyOf(bytes, aad), Arrays.copyOfRange(bytes, aad, bytes.length));
    }

    @Override
    public byte[] bootTags() {
        return bootTags.clone();
    }

    @Override
    public byte[] cuid() {
        return cuid.clone();
    }

    @Override
    public byte[] userData() {
        return userData.clone();
    }

    @Override
    public byte[] customerKey() {
        return customerKey.clone();
    }

    @Override
    public byte[] secretId() {
        return secretId == null ? null : secretId.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AddSecretRequest r && Arrays.equals(bytes, r.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "AddSecretRequest[" + secretType.display() + ", nks=" + nks() + ", " + bytes.length + " bytes]";
    }
}
