package org.pvsim.vmm;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.pvsim.image.BootLoaderBlobs;
import org.pvsim.image.ImageRandomness;
import org.pvsim.image.SeImageBuilder;
import org.pvsim.image.SeWrapKernel;
import org.pvsim.image.TestImages;

/**
 * The C test guests of guests/tests as the VMM boots them: the flat binaries, and SE images made of them
 * with pvsim's image builder, each guest the payload of guests/tests/sewrap.S (a Linux-shaped kernel that
 * copies its payload to 0 and IPLs it).
 */
public final class TestGuests {
    /** The C guests that run under KVM (sie.c is a host program: it executes SIE itself). */
    public static final List<String> PROGRAMS = List.of("hello", "arith", "strings", "recursion", "crc32", "pgm", "timer", "smp",
            "sigp", "vector");

    private TestGuests() {
    }

    public static byte[] resource(String name) throws Exception {
        try (InputStream in = TestGuests.class.getResourceAsStream("/guests/tests/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test guest " + name);
            }
            return in.readAllBytes();
        }
    }

    /** guests/tests/NAME.bin, the flat binary linked at 0. */
    public static byte[] flat(String name) throws Exception {
        return resource(name + ".bin");
    }

    public static String expected(String program) throws Exception {
        return Files.readString(Path.of("guests/tests", program + ".expected"));
    }

    /** An SE image (for TestImages.HOST) of guests/tests/NAME.bin. */
    public static byte[] seImage(Path dir, String name) throws Exception {
        Path k = TestImages.file(dir, name + ".kernel", SeWrapKernel.around(flat(name)));
        Path out = dir.resolve(name + ".img");
        new SeImageBuilder(BootLoaderBlobs.standard(), ImageRandomness.secure(), null)
                .create(TestImages.spec(k, null, null, List.of(TestImages.HOST)), out, false);
        return Files.readAllBytes(out);
    }
}
