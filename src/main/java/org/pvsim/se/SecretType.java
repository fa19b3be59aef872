package org.pvsim.se;

import java.util.Arrays;
import java.util.Optional;

/**
 * The secret types of the Ultravisor's secret store ({@code enum uv_secret_types} in the kernel's
 * {@code asm/uv.h}), with the value sizes pvsecret accepts for each. {@code NULL} is the meta request
 * (it adds nothing, it only carries flags); {@code UPDATE_CCK} is not modelled.
 */
public enum SecretType {
    NULL(0x01, "Null", 0, false),
    ASSOCIATION(0x02, "Association", 32, false),
    PLAIN(0x03, "Plaintext", -1, true),
    AES_128(0x04, "AES-128-KEY", 16, true),
    AES_192(0x05, "AES-192-KEY", 24, true),
    AES_256(0x06, "AES-256-KEY", 32, true),
    AES_XTS_128(0x07, "AES-XTS-128-KEY", 32, true),
    AES_XTS_256(0x08, "AES-XTS-256-KEY", 64, true),
    HMAC_SHA_256(0x09, "HMAC-SHA-256-KEY", 64, true),
    HMAC_SHA_512(0x0a, "HMAC-SHA-512-KEY", 128, true);

    /** Largest plaintext payload: the 8 KiB retrieve buffer minus the u16 length in front. */
    public static final int MAX_PLAIN = 8190;

    private final int code;
    private final String display;
    private final int size;
    private final boolean retrievable;

    SecretType(int code, String display, int size, boolean retrievable) {
        this.code = code;
        this.display = display;
        this.size = size;
        this.retrievable = retrievable;
    }

    public int code() {
        return code;
    }

    /** The name pvsecret list prints. */
    public String display() {
        return display;
    }

    /** The value size in bytes, -1 for plaintext (u16 length ‖ data, padded to 16). */
    public int size() {
        return size;
    }

    public boolean retrievable() {
        return retrievable;
    }

    public static Optional<SecretType> byCode(int code) {
        return Arrays.stream(values()).filter(t -> t.code == code).findFirst();
    }

    /**
     * The retrievable type for pvsecret's {@code --type} and the key size: plain, aes, aes-xts,
     * hmac-sha (sizes as pvsecret infers them from the key file).
     */
    public static SecretType retrievable(String kind, int keyLen) {
        String k = kind.toLowerCase(java.util.Locale.ROOT);
        SecretType t = switch (k) {
            case "plain" -> PLAIN;
            case "aes" -> keyLen == 16 ? AES_128 : keyLen == 24 ? AES_192 : keyLen == 32 ? AES_256 : null;
            case "aes-xts" -> keyLen == 32 ? AES_XTS_128 : keyLen == 64 ? AES_XTS_256 : null;
            case "hmac-sha" -> keyLen == 64 ? HMAC_SHA_256 : keyLen == 128 ? HMAC_SHA_512 : null;
            default -> throw new IllegalArgumentException(
                    "unknown retrievable secret type '" + kind + "' (expected plain, aes, aes-xts or hmac-sha)");
        };
        if (t == null) {
            throw new IllegalArgumentException("a " + k + " secret cannot be " + keyLen + " bytes ("
                    + switch (k) {
                        case "aes" -> "16, 24 or 32";
                        case "aes-xts" -> "32 or 64";
                        default -> "64 or 128";
                    } + " expected)");
        }
        if (t == PLAIN && keyLen > MAX_PLAIN) {
            throw new IllegalArgumentException("a plaintext secret is at most " + MAX_PLAIN + " bytes, found " + keyLen);
        }
        return t;
    }
}
