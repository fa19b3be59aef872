package org.pvsim.se;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.pvsim.image.hostkey.TestPki;

/** Corrupt input of any kind gets a PemException (a precise message), never another exception. */
class PemRobustnessTest {
    private static final TestPki PKI = TestPki.create(1, TestPki.CaKeyType.P521, Instant.now(), new SecureRandom());
    private static final List<byte[]> VALID = List.of(
            Pem.writePrivateKey(PKI.hosts().get(0).privateKey()),
            PKI.hosts().get(0).privateKey().getEncoded(),
            Pem.writeCertificates(PKI.chainCertificates()),
            encoded(PKI.root().certificate()),
            Pem.writeCrl(PKI.crl()));
    private static final List<Function<byte[], ?>> READERS =
            List.of(Pem::readPrivateKey, Pem::readCertificates, Pem::readCrls);

    private static byte[] encoded(java.security.cert.X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Provide
    Arbitrary<byte[]> valid() {
        return Arbitraries.of(VALID);
    }

    private static void onlyPemExceptions(byte[] input) {
        for (Function<byte[], ?> reader : READERS) {
            try {
                reader.apply(input);
            } catch (PemException e) {
                assertThat(e.getMessage()).isNotBlank();
            }
        }
    }

    @Property(tries = 300)
    void flippedBytes(@ForAll("valid") byte[] input, @ForAll @IntRange(min = 0, max = 100_000) int position,
            @ForAll @IntRange(min = 1, max = 255) int mask) {
        byte[] corrupt = input.clone();
        corrupt[position % corrupt.length] ^= (byte) mask;
        onlyPemExceptions(corrupt);
    }

    @Property(tries = 300)
    void truncated(@ForAll("valid") byte[] input, @ForAll @IntRange(min = 0, max = 100_000) int length) {
        onlyPemExceptions(Arrays.copyOf(input, length % input.length));
    }

    @Property(tries = 300)
    void randomBytes(@ForAll byte[] input) {
        onlyPemExceptions(input);
    }
}
