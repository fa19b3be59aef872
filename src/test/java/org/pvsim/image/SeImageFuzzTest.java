package org.pvsim.image;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import org.pvsim.se.ComponentVerifier;
import org.pvsim.se.HeaderCrypto;
import org.pvsim.se.Ipib;
import org.pvsim.se.SeFormatException;
import org.pvsim.se.SeHeader;
import org.pvsim.se.SeHeaderSecrets;
import org.pvsim.se.SeVerificationException;

/**
 * Fuzzes the image and header parsers: whatever the bytes, they may only throw {@link SeFormatException} or
 * {@link SeVerificationException}. {@code mvn verify} replays the seeds in SeImageFuzzTestInputs/; {@code mvn
 * verify -Pfuzz -Dtest=SeImageFuzzTest#fuzzImage} really fuzzes (one method per run).
 */
class SeImageFuzzTest {
    /** The seeds were built with this header key (all zero), so mutations reach the component checks. */
    static final byte[] SEED_HEADER_KEY = new byte[32];

    static final int METADATA_BYTES = 28;
    static final int C_IPIB_BYTES = 4096;

    /**
     * Lays the input out as an image: the first 28 bytes at 0xC000 (SeImgLnx metadata), the next 4096 at 0x13000
     * (the C layout's IPIB page), the rest from 0x14000 (header, components, IPIB). This keeps inputs small while
     * every offset the reader follows comes from the input.
     */
    static byte[] image(byte[] data) {
        int meta = Math.min(METADATA_BYTES, data.length);
        int cIpib = Math.min(C_IPIB_BYTES, data.length - meta);
        int rest = data.length - meta - cIpib;
        byte[] img = new byte[0x14000 + rest];
        System.arraycopy(data, 0, img, 0xC000, meta);
        System.arraycopy(data, meta, img, 0x13000, cIpib);
        System.arraycopy(data, meta + cIpib, img, 0x14000, rest);
        return img;
    }

    @FuzzTest
    void fuzzImage(byte[] data) {
        byte[] img = image(data);
        try {
            SeImage image = SeImageReader.read(img);
            SeHeaderSecrets s = HeaderCrypto.open(image.header(), SEED_HEADER_KEY);
            ComponentVerifier.verify(image.header(), s, image.ipib().components(),
                    (a, d, o, l) -> System.arraycopy(img, (int) a, d, o, l),
                    (image.header().pcf() & ImageSpec.PCF_NO_ENCRYPTION) == 0, null);
        } catch (SeFormatException | SeVerificationException expected) {
            // the only acceptable outcomes for hostile bytes
        }
    }

    @FuzzTest
    void fuzzHeaderAndIpib(byte[] data) {
        try {
            SeHeader h = SeHeader.parse(data);
            h.keySlots();
            h.bootTags();
            HeaderCrypto.open(h, SEED_HEADER_KEY);
        } catch (SeFormatException | SeVerificationException expected) {
            // fine
        }
        try {
            Ipib.parse(Arrays.copyOf(data, Math.min(data.length, 4096)));
        } catch (SeFormatException expected) {
            // fine
        }
    }
}
