package org.pvsim.se;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.junit.jupiter.api.Test;

class HostKeysTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * The key slot digest computed another way: from the DER SubjectPublicKeyInfo's uncompressed point
     * (04 ‖ X(66) ‖ Y(66)), each coordinate prefixed with 14 zero bytes, hashed with Bouncy Castle's SHA-256.
     */
    private static byte[] independentHash(ECPublicKey key) {
        byte[] point = SubjectPublicKeyInfo.getInstance(key.getEncoded()).getPublicKeyData().getOctets();
        assertThat(point).hasSize(1 + 2 * 66);
        assertThat(point[0]).isEqualTo((byte) 0x04);
        byte[] padded = new byte[160];
        System.arraycopy(point, 1, padded, 14, 66);
        System.arraycopy(point, 67, padded, 80 + 14, 66);
        SHA256Digest d = new SHA256Digest();
        d.update(padded, 0, padded.length);
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }

    @Test
    void hostKeyHashMatchesAnIndependentComputationForManyKeys() {
        // P-521 coordinates are 521 bits: the top byte is 0 or 1, and often smaller values occur,
        // so many keys exercise the padding (BigInteger byte arrays of 65, 66 and 67 bytes).
        for (int i = 0; i < 40; i++) {
            ECPublicKey key = (ECPublicKey) HostKeys.generateKeyPair(RANDOM).getPublic();
            assertThat(HostKeys.hostKeyHash(key)).hasSize(32).isEqualTo(independentHash(key));
        }
    }

    @Test
    void coordinatesArePaddedTo80BytesAndRoundTrip() {
        ECPublicKey key = (ECPublicKey) HostKeys.generateKeyPair(RANDOM).getPublic();
        byte[] xy = HostKeys.coordinates80(key);
        assertThat(xy).hasSize(160);
        assertThat(Arrays.copyOfRange(xy, 0, 14)).containsOnly(0);
        assertThat(Arrays.copyOfRange(xy, 80, 94)).containsOnly(0);
        ECPublicKey back = HostKeys.publicKeyFromCoordinates(xy);
        assertThat(back.getW()).isEqualTo(key.getW());
        assertThat(back.getEncoded()).isEqualTo(key.getEncoded());
    }

    @Test
    void publicKeyFromCoordinatesRejectsBadPoints() {
        byte[] xy = HostKeys.coordinates80((ECPublicKey) HostKeys.generateKeyPair(RANDOM).getPublic());
        byte[] offCurve = xy.clone();
        offCurve[159] ^= 1;
        assertThatThrownBy(() -> HostKeys.publicKeyFromCoordinates(offCurve))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not on the secp521r1 curve");
        byte[] tooBig = xy.clone();
        Arrays.fill(tooBig, 0, 80, (byte) 0xff);
        assertThatThrownBy(() -> HostKeys.publicKeyFromCoordinates(tooBig))
                .hasMessageContaining("X is not below the secp521r1 field prime");
        assertThatThrownBy(() -> HostKeys.publicKeyFromCoordinates(new byte[132]))
                .hasMessageContaining("expected 160 bytes").hasMessageContaining("got 132");
        assertThatThrownBy(() -> HostKeys.publicKeyFromCoordinates(new byte[160]))
                .hasMessageContaining("not on the secp521r1 curve");
    }

    @Test
    void publicKeyOfPrivateKeyIsTheKeyPairsPublicHalf() {
        KeyPair kp = HostKeys.generateKeyPair(RANDOM);
        assertThat(HostKeys.publicKeyOf((ECPrivateKey) kp.getPrivate()).getW())
                .isEqualTo(((ECPublicKey) kp.getPublic()).getW());
    }

    @Test
    void requireP521NamesWhatItFound() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        assertThatThrownBy(() -> HostKeys.requireP521(rsa.generateKeyPair().getPublic(), "host.crt"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("host.crt: must be an EC secp521r1 key (found RSA 2048)");
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp384r1"));
        assertThatThrownBy(() -> HostKeys.requireP521(ec.generateKeyPair().getPublic(), "hkd"))
                .hasMessage("hkd: must be an EC secp521r1 key (found EC secp384r1)");
        KeyPairGenerator ed = KeyPairGenerator.getInstance("Ed25519");
        assertThatThrownBy(() -> HostKeys.requireP521(ed.generateKeyPair().getPublic(), "hkd"))
                .hasMessage("hkd: must be an EC secp521r1 key (found Ed25519)");
        ECPublicKey good = (ECPublicKey) HostKeys.generateKeyPair(RANDOM).getPublic();
        assertThat(HostKeys.requireP521(good, "hkd")).isSameAs(good);
    }
}
