package org.pvsim.se;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class AttestationMeasurementTest {
    static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) v);
        return b;
    }

    final byte[] key = filled(64, 0x11);
    final byte[] pld = filled(64, 1);
    final byte[] ald = filled(64, 2);
    final byte[] tld = filled(64, 3);
    final byte[] tag = filled(16, 4);
    final byte[] cuid = filled(16, 5);
    final byte[] user = "user data".getBytes();
    final byte[] nonce = filled(16, 6);
    final byte[] add = filled(32, 7);

    @Test
    void isHmacSha512OverTheFieldsInReferenceOrder() throws Exception {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.write(pld);
        data.write(ald);
        data.write(tld);
        data.write(tag);
        data.write(cuid);
        data.write(new byte[] {0, (byte) user.length, 0, 0, 0, 0, 0, (byte) add.length});
        data.write(user);
        data.write(nonce);
        data.write(add);
        Mac mac = Mac.getInstance("HmacSHA512");
        mac.init(new SecretKeySpec(key, "HmacSHA512"));
        byte[] expected = mac.doFinal(data.toByteArray());
        assertThat(AttestationMeasurement.compute(key, pld, ald, tld, tag, cuid, user, nonce, add)).isEqualTo(expected);
    }

    @Test
    void withoutANonceTheNonceIsLeftOut() throws Exception {
        byte[] with = AttestationMeasurement.compute(key, pld, ald, tld, tag, cuid, user, nonce, add);
        byte[] without = AttestationMeasurement.compute(key, pld, ald, tld, tag, cuid, user, null, add);
        assertThat(without).isNotEqualTo(with).hasSize(64);
    }

    @Test
    void verifyRejectsAnyDifference() {
        byte[] m = AttestationMeasurement.compute(key, pld, ald, tld, tag, cuid, user, nonce, add);
        assertThat(AttestationMeasurement.verify(m, key, pld, ald, tld, tag, cuid, user, nonce, add)).isTrue();
        byte[] otherCuid = cuid.clone();
        otherCuid[3] ^= 1;
        assertThat(AttestationMeasurement.verify(m, key, pld, ald, tld, tag, otherCuid, user, nonce, add)).isFalse();
        assertThat(AttestationMeasurement.verify(m, filled(64, 0x12), pld, ald, tld, tag, cuid, user, nonce, add))
                .isFalse();
    }

    @Test
    void badSizesAreNamed() {
        assertThatThrownBy(() -> AttestationMeasurement.compute(key, new byte[63], ald, tld, tag, cuid, user, null, add))
                .hasMessage("PLD: must be 64 bytes (found 63)");
        assertThatThrownBy(() -> AttestationMeasurement.compute(key, pld, ald, tld, tag, cuid, new byte[257], null, add))
                .hasMessageContaining("at most 256 bytes (found 257)");
        assertThatThrownBy(() -> AttestationMeasurement.compute(key, pld, ald, tld, tag, cuid, user, new byte[8], add))
                .hasMessage("nonce: must be 16 bytes (found 8)");
        assertThatThrownBy(() -> AttestationMeasurement.compute(new byte[0], pld, ald, tld, tag, cuid, user, null, add))
                .hasMessageContaining("key is empty");
    }
}
