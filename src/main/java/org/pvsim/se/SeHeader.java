package org.pvsim.se;

import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A version 1 SE header ("IBMSecEx", reference se-image-format §1.2), parsed and checked for shape.
 * Nothing here is authenticated: {@link HeaderCrypto#open} checks the tag.
 *
 * @param bytes the raw header, exactly {@link #size()} bytes
 */
public record SeHeader(byte[] bytes) {
    public static final long MAGIC = 0x49424d5365634578L; // "IBMSecEx"
    public static final int VERSION_1 = 0x100;
    public static final int HEAD_SIZE = 0x1A0;
    public static final int TAG_SIZE = 16;
    public static final int IV_SIZE = 12;
    public static final int MAX_SIZE = 8192;
    /** 560 + 80·95 = 8160 is the last size under {@link #MAX_SIZE}. */
    public static final int MAX_KEY_SLOTS = 95;

    static final int OFF_MAGIC = 0x00;
    static final int OFF_VERSION = 0x08;
    static final int OFF_SIZE = 0x0C;
    static final int OFF_IV = 0x10;
    static final int OFF_NKS = 0x20;
    static final int OFF_SEA = 0x28;
    static final int OFF_NEP = 0x30;
    static final int OFF_PCF = 0x38;
    static final int OFF_CUST_KEY = 0x40;
    static final int OFF_PLD = 0xE0;
    static final int OFF_ALD = 0x120;
    static final int OFF_TLD = 0x160;

    /** Header size for a number of key slots and no optional items. */
    public static int sizeFor(int keySlots) {
        return HEAD_SIZE + KeySlot.SIZE * keySlots + SeHeaderSecrets.SIZE + TAG_SIZE;
    }

    public SeHeader {
        bytes = bytes.clone();
        check(bytes);
    }

    /** Parses and shape-checks header bytes; throws {@link SeFormatException} naming the bad field. */
    public static SeHeader parse(byte[] bytes) {
        return new SeHeader(bytes);
    }

    /** The header size a buffer starting with a header head declares (for readers that must know how much to read). */
    public static int declaredSize(byte[] head) {
        if (head.length < 16) {
            throw new SeFormatException("SE header truncated: " + head.length + " bytes, need at least 16");
        }
        checkMagicAndVersion(head);
        int size = Be.getInt(head, OFF_SIZE);
        if (size < sizeFor(1) || size > MAX_SIZE) {
            throw new SeFormatException("SE header size field is " + Integer.toUnsignedString(size)
                    + ", must be between " + sizeFor(1) + " and " + MAX_SIZE);
        }
        return size;
    }

    private static void checkMagicAndVersion(byte[] b) {
        if (Be.getLong(b, OFF_MAGIC) != MAGIC) {
            throw new SeFormatException("not an SE header: magic is " + hex(b, 0, 8) + ", expected \"IBMSecEx\"");
        }
        int version = Be.getInt(b, OFF_VERSION);
        if (version != VERSION_1) {
            throw new SeFormatException("unsupported SE header version 0x" + Integer.toHexString(version)
                    + " (only 0x100 is defined)");
        }
    }

    private static void check(byte[] b) {
        if (b.length < HEAD_SIZE) {
            throw new SeFormatException("SE header truncated: " + b.length + " bytes, the fixed part alone is "
                    + HEAD_SIZE);
        }
        int size = declaredSize(b);
        if (size != b.length) {
            throw new SeFormatException("SE header size field says " + size + " bytes but " + b.length
                    + " bytes were given");
        }
        long nks = Be.getLong(b, OFF_NKS);
        if (nks < 1 || nks > MAX_KEY_SLOTS) {
            throw new SeFormatException("SE header nks (number of key slots) is " + Long.toUnsignedString(nks)
                    + ", must be 1 to " + MAX_KEY_SLOTS);
        }
        long sea = Be.getLong(b, OFF_SEA);
        if (sea < SeHeaderSecrets.SIZE || sea > MAX_SIZE || sea % 16 != 0) {
            throw new SeFormatException("SE header sea (encrypted area size) is " + Long.toUnsignedString(sea)
                    + ", must be a multiple of 16 of at least " + SeHeaderSecrets.SIZE);
        }
        long expected = HEAD_SIZE + KeySlot.SIZE * nks + sea + TAG_SIZE;
        if (expected != size) {
            throw new SeFormatException("SE header size " + size + " does not match its parts: 0x1A0 + 80 * "
                    + nks + " key slots + " + sea + " encrypted + 16 tag = " + expected);
        }
        if (Be.getLong(b, OFF_NEP) < 0) {
            throw new SeFormatException("SE header nep (number of encrypted pages) is too large: "
                    + Long.toUnsignedString(Be.getLong(b, OFF_NEP)));
        }
        P521.checkPaddedCoordinates(b, OFF_CUST_KEY, "SE header customer public key");
    }

    private static String hex(byte[] b, int off, int len) {
        return java.util.HexFormat.of().formatHex(b, off, off + len);
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public int version() {
        return Be.getInt(bytes, OFF_VERSION);
    }

    /** Total size in bytes (phs / sehs), tag included. */
    public int size() {
        return bytes.length;
    }

    public byte[] iv() {
        return Arrays.copyOfRange(bytes, OFF_IV, OFF_IV + IV_SIZE);
    }

    public int nks() {
        return (int) Be.getLong(bytes, OFF_NKS);
    }

    public int sea() {
        return (int) Be.getLong(bytes, OFF_SEA);
    }

    public long nep() {
        return Be.getLong(bytes, OFF_NEP);
    }

    public long pcf() {
        return Be.getLong(bytes, OFF_PCF);
    }

    /** The customer public key as stored: X then Y, each padded to 80 bytes. */
    public byte[] customerPublicKeyXY() {
        return Arrays.copyOfRange(bytes, OFF_CUST_KEY, OFF_CUST_KEY + 160);
    }

    /** The customer public key; throws {@link SeVerificationException} (CUSTOMER_KEY) when it is not on P-521. */
    public ECPublicKey customerPublicKey() {
        return P521.decodePublicKey(bytes, OFF_CUST_KEY);
    }

    public byte[] pld() {
        return Arrays.copyOfRange(bytes, OFF_PLD, OFF_PLD + 64);
    }

    public byte[] ald() {
        return Arrays.copyOfRange(bytes, OFF_ALD, OFF_ALD + 64);
    }

    public byte[] tld() {
        return Arrays.copyOfRange(bytes, OFF_TLD, OFF_TLD + 64);
    }

    public List<KeySlot> keySlots() {
        List<KeySlot> slots = new ArrayList<>(nks());
        for (int i = 0; i < nks(); i++) {
            slots.add(KeySlot.read(bytes, HEAD_SIZE + KeySlot.SIZE * i));
        }
        return List.copyOf(slots);
    }

    /** Length of the authenticated-only part (head plus key slots), the GCM AAD. */
    public int aadSize() {
        return HEAD_SIZE + KeySlot.SIZE * nks();
    }

    /** The still encrypted part ({@link #sea()} bytes). */
    public byte[] encryptedPart() {
        return Arrays.copyOfRange(bytes, aadSize(), aadSize() + sea());
    }

    /** The 16-byte AES-GCM tag at the end of the header. */
    public byte[] tag() {
        return Arrays.copyOfRange(bytes, bytes.length - TAG_SIZE, bytes.length);
    }

    /** PLD ‖ ALD ‖ TLD ‖ tag: the 0xD0-byte "boot header tags" attestation and add-secret bind to. */
    public byte[] bootTags() {
        byte[] out = new byte[0xD0];
        System.arraycopy(bytes, OFF_PLD, out, 0, 192);
        System.arraycopy(bytes, bytes.length - TAG_SIZE, out, 192, TAG_SIZE);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SeHeader h && Arrays.equals(bytes, h.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "SeHeader[size=%d, nks=%d, nep=%d, pcf=0x%x]".formatted(size(), nks(), nep(), pcf());
    }
}
