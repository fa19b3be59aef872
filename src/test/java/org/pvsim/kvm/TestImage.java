package org.pvsim.kvm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.util.List;
import org.pvsim.image.SeImage;
import org.pvsim.image.SeImageReader;
import org.pvsim.image.TestImages;
import org.pvsim.se.P521;

/** One real SE image for the KVM tests, built once for a fixed host key with the customer tooling. */
final class TestImage {
    static final KeyPair HOST = P521.generate(new SecureRandom());
    static final KeyPair OTHER_HOST = P521.generate(new SecureRandom());
    static final Path FILE;
    static final byte[] BYTES;
    static final SeImage IMAGE;

    static {
        try {
            Path dir = Files.createTempDirectory("pvsim-kvm-test");
            dir.toFile().deleteOnExit();
            Path kernel = TestImages.kernel(dir, 0x12000, 7);
            FILE = dir.resolve("guest.img");
            TestImages.build(TestImages.spec(kernel, null, null, List.of(HOST)), FILE);
            BYTES = Files.readAllBytes(FILE);
            IMAGE = SeImageReader.read(FILE);
            for (Path p : List.of(kernel, FILE)) {
                p.toFile().deleteOnExit();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TestImage() {
    }

    static ECPrivateKey hostKey() {
        return (ECPrivateKey) HOST.getPrivate();
    }

    static byte[] header() {
        return IMAGE.header().bytes();
    }
}
