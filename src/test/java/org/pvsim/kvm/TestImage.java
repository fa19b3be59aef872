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
    /** The same kernel, built with PCF bit 34 (dumping allowed). */
    static final byte[] DUMP_BYTES;
    static final SeImage DUMP_IMAGE;

    static {
        try {
            Path dir = Files.createTempDirectory("pvsim-kvm-test");
            dir.toFile().deleteOnExit();
            Path kernel = TestImages.kernel(dir, 0x12000, 7);
            FILE = dir.resolve("guest.img");
            TestImages.build(TestImages.spec(kernel, null, null, List.of(HOST)), FILE);
            BYTES = Files.readAllBytes(FILE);
            IMAGE = SeImageReader.read(FILE);
            Path dump = dir.resolve("guest-dump.img");
            org.pvsim.image.ImageSpec base = TestImages.spec(kernel, null, null, List.of(HOST));
            TestImages.build(new org.pvsim.image.ImageSpec(kernel, null, null, base.hostKeys(),
                    base.pcf() | org.pvsim.image.ImageSpec.PCF_ALLOW_DUMP, 0, new byte[32], null, null, null, true), dump);
            DUMP_BYTES = Files.readAllBytes(dump);
            DUMP_IMAGE = SeImageReader.read(dump);
            for (Path p : List.of(kernel, FILE, dump)) {
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
