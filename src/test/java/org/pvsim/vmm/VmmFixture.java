package org.pvsim.vmm;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.util.List;
import org.pvsim.image.BootLoaderBlobs;
import org.pvsim.image.ImageRandomness;
import org.pvsim.image.SeImageBuilder;
import org.pvsim.image.TestImages;
import org.pvsim.kvm.Kvm;
import org.pvsim.machine.SimulatedMachine;

/** SE images of the demo kernel, and a VMM on a fresh host with a console captured in memory. */
final class VmmFixture {
    static final long MEMORY = 32L << 20;

    private VmmFixture() {
    }

    static byte[] demoKernel() throws Exception {
        try (InputStream in = VmmFixture.class.getResourceAsStream("/guests/demo/kernel.bin")) {
            return in.readAllBytes();
        }
    }

    /** The demo kernel in an SE image for {@code host}, with {@code cmdline}. */
    static byte[] demoImage(Path dir, String cmdline, KeyPair host) throws Exception {
        Path k = TestImages.file(dir, "kernel", demoKernel());
        Path p = TestImages.file(dir, "parm", cmdline.getBytes(StandardCharsets.US_ASCII));
        Path out = dir.resolve("demo-" + System.nanoTime() + ".img");
        new SeImageBuilder(BootLoaderBlobs.standard(), ImageRandomness.secure(), null)
                .create(TestImages.spec(k, null, p, List.of(host)), out, false);
        return Files.readAllBytes(out);
    }

    static ECPrivateKey hostKey() {
        return (ECPrivateKey) TestImages.HOST.getPrivate();
    }

    /** One guest's run: its host, the VMM, its console. */
    static final class Guest implements AutoCloseable {
        final SimulatedMachine machine = Vmm.hostMachine(MEMORY, List.of(hostKey()));
        final Kvm kvm = Vmm.bootKvm(machine);
        final ByteArrayOutputStream console = new ByteArrayOutputStream();
        final Vmm vmm;

        Guest(byte[] kernel, boolean confidential, Trace trace) {
            this(kernel, confidential, trace, 1);
        }

        Guest(byte[] kernel, boolean confidential, Trace trace, int cpus) {
            this(kernel, confidential, trace, cpus, null);
        }

        Guest(byte[] kernel, boolean confidential, Trace trace, int cpus, InputStream input) {
            vmm = Vmm.create(kvm, VmConfig.of(MEMORY, cpus, confidential, null), kernel,
                    new PrintStream(console, true, StandardCharsets.ISO_8859_1), input, trace);
        }

        String console() {
            return console.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() {
            vmm.close();
        }
    }
}
