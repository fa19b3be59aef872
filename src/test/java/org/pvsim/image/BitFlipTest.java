package org.pvsim.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pvsim.se.ComponentVerifier;
import org.pvsim.se.HeaderCrypto;
import org.pvsim.se.SeFormatException;
import org.pvsim.se.SeHeaderSecrets;
import org.pvsim.se.SeVerificationException;

/** Every single-bit flip of the SE header, and flips in sampled component pages, fail verification. */
class BitFlipTest {
    @TempDir
    static Path dir;
    static byte[] image;
    static SeImage parsed;
    static ECPrivateKey hostKey = (ECPrivateKey) TestImages.HOST.getPrivate();
    static ECPublicKey hostPublic = (ECPublicKey) TestImages.HOST.getPublic();

    @BeforeAll
    static void build() throws Exception {
        Path out = dir.resolve("small.img");
        TestImages.build(TestImages.spec(TestImages.kernel(dir, 0x11000, 21), TestImages.file(dir, "rd", new byte[4097]),
                TestImages.file(dir, "parm", "x".getBytes()), List.of(TestImages.HOST)), out);
        image = Files.readAllBytes(out);
        parsed = SeImageReader.read(image);
        verify(image); // the unmodified image passes
    }

    /** ECDH per customer key, memoized: most flips leave the customer key alone, and ECDH on P-521 is slow. */
    static final Map<String, byte[]> KEKS = new java.util.HashMap<>();

    static byte[] kek(ECPublicKey customer) {
        String id = customer.getW().getAffineX() + "/" + customer.getW().getAffineY();
        return KEKS.computeIfAbsent(id, k -> org.pvsim.se.P521.kek(hostKey, customer)).clone();
    }

    /** What the Ultravisor does, over bytes: find, open, check every page. */
    static void verify(byte[] img) {
        SeImage im = SeImageReader.read(img);
        SeHeaderSecrets s = HeaderCrypto.open(im.header(), hostPublic, BitFlipTest::kek);
        ComponentVerifier.verify(im.header(), s, im.ipib().components(),
                (a, d, o, l) -> System.arraycopy(img, (int) a, d, o, l), true, null);
    }

    /** Returns how the flip was caught; fails the test if it was not. */
    static String rejection(byte[] img, int bit) {
        img[bit >>> 3] ^= (byte) (0x80 >>> (bit & 7));
        try {
            verify(img);
            return null;
        } catch (SeVerificationException e) {
            return e.failure().name();
        } catch (SeFormatException e) {
            return "FORMAT";
        } finally {
            img[bit >>> 3] ^= (byte) (0x80 >>> (bit & 7));
        }
    }

    @Test
    void everyHeaderBit() {
        int start = (int) parsed.headerAddress() * 8;
        int bits = parsed.header().size() * 8;
        Map<String, Integer> seen = new java.util.TreeMap<>();
        byte[] img = image.clone();
        for (int b = start; b < start + bits; b++) {
            String how = rejection(img, b);
            if (how == null) {
                fail("flipping header bit %d (byte 0x%x) was not detected", b - start, (b - start) / 8);
            }
            seen.merge(how, 1, Integer::sum);
        }
        assertThat(seen).containsKeys("FORMAT", "HEADER_TAG", "NO_KEY_SLOT", "KEY_SLOT_TAG");
        assertThat(seen.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(bits);
    }

    @Test
    void sampledComponentPageBits() {
        Random rnd = new Random(5);
        SeHeaderSecrets s = HeaderCrypto.open(parsed.header(), hostKey, hostPublic);
        Map<SeVerificationException.Failure, Integer> seen = new EnumMap<>(SeVerificationException.Failure.class);
        byte[] img = image.clone();
        for (var c : parsed.ipib().components()) {
            long[] pages = {c.address(), c.address() + c.length() - 4096, c.address() + (c.length() / 8192) * 4096};
            for (long page : pages) {
                int[] offsets = {0, 4095, rnd.nextInt(4096), rnd.nextInt(4096)};
                for (int off : offsets) {
                    for (int bit = 0; bit < 8; bit++) {
                        int i = (int) page + off;
                        img[i] ^= (byte) (1 << bit);
                        try {
                            ComponentVerifier.verify(parsed.header(), s, parsed.ipib().components(),
                                    (a, d, o, l) -> System.arraycopy(img, (int) a, d, o, l), true, null);
                            fail("flip at 0x%x bit %d not detected", i, bit);
                        } catch (SeVerificationException e) {
                            seen.merge(e.failure(), 1, Integer::sum);
                        } finally {
                            img[i] ^= (byte) (1 << bit);
                        }
                    }
                }
            }
        }
        assertThat(seen).containsOnlyKeys(SeVerificationException.Failure.PLD);
        assertThat(seen.get(SeVerificationException.Failure.PLD)).isEqualTo(4 * 3 * 4 * 8);
    }
}
