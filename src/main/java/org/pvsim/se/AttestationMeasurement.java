package org.pvsim.se;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The attestation measurement of reference se-image-format §6: HMAC-SHA512 under the measurement key
 * of the attestation request, over PLD ‖ ALD ‖ TLD ‖ SE-header tag ‖ CUID ‖ u16 user-data length ‖
 * 2 zero bytes ‖ u32 additional-data length ‖ user data ‖ nonce (if requested) ‖ additional data.
 * The Ultravisor computes it; the verifier recomputes it from the SE header it expects.
 */
public final class AttestationMeasurement {
    public static final int SIZE = 64;
    public static final int MAX_USER_DATA = 256;

    private AttestationMeasurement() {
    }

    /**
     * @param nonce 16 bytes, or null when the request carries none
     */
    public static byte[] compute(byte[] measurementKey, byte[] pld, byte[] ald, byte[] tld, byte[] headerTag,
            byte[] cuid, byte[] userData, byte[] nonce, byte[] additionalData) {
        require(pld, 64, "PLD");
        require(ald, 64, "ALD");
        require(tld, 64, "TLD");
        require(headerTag, 16, "SE-header tag");
        require(cuid, 16, "configuration unique id");
        if (nonce != null) {
            require(nonce, 16, "nonce");
        }
        if (userData.length > MAX_USER_DATA) {
            throw new IllegalArgumentException("attestation user data: at most 256 bytes (found " + userData.length + ")");
        }
        if (measurementKey.length == 0) {
            throw new IllegalArgumentException("attestation measurement key is empty");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA512");
            mac.init(new SecretKeySpec(measurementKey, "HmacSHA512"));
            mac.update(pld);
            mac.update(ald);
            mac.update(tld);
            mac.update(headerTag);
            mac.update(cuid);
            mac.update(ByteBuffer.allocate(8).putShort((short) userData.length).putShort((short) 0)
                    .putInt(additionalData.length).array());
            mac.update(userData);
            if (nonce != null) {
                mac.update(nonce);
            }
            mac.update(additionalData);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA512 unavailable", e);
        }
    }

    /** Whether {@code measurement} is the one the expected image and inputs give (constant time). */
    public static boolean verify(byte[] measurement, byte[] measurementKey, byte[] pld, byte[] ald, byte[] tld,
            byte[] headerTag, byte[] cuid, byte[] userData, byte[] nonce, byte[] additionalData) {
        return MessageDigest.isEqual(measurement,
                compute(measurementKey, pld, ald, tld, headerTag, cuid, userData, nonce, additionalData));
    }

    private static void require(byte[] b, int len, String what) {
        if (b == null || b.length != len) {
            throw new IllegalArgumentException(what + ": must be " + len + " bytes (found "
                    + (b == null ? "none" : b.length) + ")");
        }
    }
}
