package org.pvsim.machine.sie;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pvsim.machine.SimulatedMachine;
import org.pvsim.machine.cpu.Machine;
import org.pvsim.machine.cpu.ProgramLoader;
import org.pvsim.machine.storage.Storage;
import org.pvsim.machine.uv.HostKey;
import org.pvsim.machine.uv.TestImages;
import org.pvsim.se.Tweak;

/**
 * s390x host programs of guests/tests that act as the host kernel: they build their own DAT tables, state
 * descriptions and snippet guests and execute SIE (B214) on a machine CPU, which takes the same SIE entry as
 * the Java KVM (sie.c: a format-2 guest; pvsie.c: a protected guest with a format-4 state description, created
 * through the host's own UV calls). Their console must match the hand-written expectation (guests/tests/NAME.expected).
 */
class HostProgramsTest {
    /** Where pvsie.c expects the SE image (its struct image, the SE header 4 KiB behind it). */
    static final long IMAGE = 0x1000000;
    static final long IMAGE_MAGIC = 0x7076736965343031L;
    static final long GUEST_BASE = 0x200000;

    static String run(String file, long memory, Consumer<Storage> before) throws Exception {
        byte[] image;
        try (InputStream in = HostProgramsTest.class.getResourceAsStream("/guests/tests/" + file)) {
            assertThat(in).as(file).isNotNull();
            image = in.readAllBytes();
        }
        StringBuilder console = new StringBuilder();
        Machine m = new Machine(new Machine.Options(memory, 1, true, true), console::append);
        SimulatedMachine.withCpus(m, List.of((ECPrivateKey) SieFixture.IDENTITY.hostKeys().get(0).privateKey()));
        m.ipl(ProgramLoader.load(image, file, m.storage()));
        before.accept(m.storage());
        Machine.Result r = m.run(200_000_000L);
        m.sclp().flush();
        assertThat(r.ending()).as("%s: %s", file, r.detail()).isEqualTo(Machine.Ending.DISABLED_WAIT);
        assertThat(r.success()).as("%s exit code (wait PSW %s), console:%n%s", file, r.waitPsws(), console).isTrue();
        return console.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"O0", "O2", "Os"})
    @Timeout(60)
    void format2Guest(String level) throws Exception {
        assertThat(run("sie-" + level + ".bin", 64L << 20, s -> { }))
                .isEqualTo(Files.readString(Path.of("guests/tests/sie.expected")));
    }

    /** The SE image pvsie.c unpacks: SieFixture's snippets, encrypted for the machine's host key, PSW at "secret". */
    static void placeImage(Storage storage) {
        List<ECPublicKey> keys = SieFixture.IDENTITY.hostKeys().stream().map(HostKey::publicKey).toList();
        long prefix = Tweak.prefix(0, new byte[6]);
        int pages = 5;
        TestImages.Image image = TestImages.build(storage, g -> GUEST_BASE + g, keys, 0xe0,
                List.of(new TestImages.Component(0, prefix, pages)), SieFixture::snippetPage, SieFixture.SECRET);
        byte[] header = image.headerBytes();
        storage.write(IMAGE, ByteBuffer.allocate(32).putLong(IMAGE_MAGIC).putLong(header.length).putLong(prefix)
                .putLong(pages).array(), 0, 32, Storage.HOST);
        storage.write(IMAGE + 0x1000, header, 0, header.length, Storage.HOST);
    }

    @ParameterizedTest
    @ValueSource(strings = {"O0", "O2", "Os"})
    @Timeout(60)
    void format4ProtectedGuest(String level) throws Exception {
        assertThat(run("pvsie-" + level + ".bin", Storage.DEFAULT_SIZE, HostProgramsTest::placeImage))
                .isEqualTo(Files.readString(Path.of("guests/tests/pvsie.expected")));
    }
}
