package org.pvsim.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.util.List;
import java.util.Random;
import org.pvsim.se.P521;

/** Small inputs for image tests: fake boot loaders of the right shape, kernels with the s390x signature. */
public final class TestImages {
    public static final KeyPair HOST = P521.generate(new SecureRandom());
    public static final KeyPair OTHER_HOST = P521.generate(new SecureRandom());
    public static final KeyPair CUSTOMER = P521.generate(new SecureRandom());

    private TestImages() {
    }

    /** A stage3a of 0x2000 bytes and a stage3b of 0x1800 bytes, patterned so patching is visible. */
    public static BootLoaderBlobs fakeBoot() {
        byte[] s3a = new byte[0x2000];
        byte[] s3b = new byte[0x1800];
        for (int i = 0; i < s3a.length; i++) {
            s3a[i] = (byte) (i * 7 + 1);
        }
        for (int i = 0; i < s3b.length; i++) {
            s3b[i] = (byte) (i * 13 + 5);
        }
        return new BootLoaderBlobs(s3a, s3a.length - 24, s3b, s3b.length - 64);
    }

    /** A kernel of {@code size} pseudo-random bytes (at least 0x10010) with "S390EP" at 0x10008. */
    public static Path kernel(Path dir, int size, long seed) throws IOException {
        byte[] k = new byte[Math.max(size, 0x10440)];
        new Random(seed).nextBytes(k);
        k[0] = 0;
        System.arraycopy("S390EP".getBytes(StandardCharsets.US_ASCII), 0, k, 0x10008, 6);
        // COMMAND_LINE_SIZE at 0x10430: 4096
        for (int i = 0; i < 8; i++) {
            k[0x10430 + i] = 0;
        }
        k[0x10430 + 6] = 0x10;
        Path p = dir.resolve("kernel-" + seed);
        Files.write(p, k);
        return p;
    }

    public static Path file(Path dir, String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    public static ImageSpec spec(Path kernel, Path ramdisk, Path parmfile, List<KeyPair> hosts) {
        return new ImageSpec(kernel, ramdisk, parmfile,
                hosts.stream().map(k -> (ECPublicKey) k.getPublic()).toList(),
                ImageSpec.DEFAULT_PCF, 0, null, null, null, null, true);
    }

    /** Builds an image with fixed randomness (seed 1) into dir/name. */
    public static SeImageBuilder.Result build(ImageSpec spec, Path out) throws IOException {
        return new SeImageBuilder(fakeBoot(), ImageRandomness.fixed(CUSTOMER, 1), null).create(spec, out, false);
    }
}
