package org.pvsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pvsim.image.TestImages;

/** pvsim image create/info/verify/test through Main.run, including one clear error line for each bad input. */
class ImageCommandTest {
    @TempDir
    static Path shared;
    @TempDir
    Path dir;

    static KeyPair host;
    static KeyPair otherHost;
    static Path hkd;
    static Path otherHkd;
    static Path hostKey;
    static Path otherHostKey;
    static Path kernel;

    /** Small fake boot loaders: the image tests need no s390x code. */
    static final CommandFactory FAKE_BOOT = new CommandFactory(TestImages::fakeBoot);

    record Run(int rc, String out, String err) {
    }

    @BeforeAll
    static void keys() throws Exception {
        host = HostKeyFixtures.ec("secp521r1");
        otherHost = HostKeyFixtures.ec("secp521r1");
        hkd = HostKeyFixtures.certificate(shared, "host", host);
        otherHkd = HostKeyFixtures.certificate(shared, "other", otherHost);
        hostKey = HostKeyFixtures.privateKey(shared, "host", host);
        otherHostKey = HostKeyFixtures.privateKey(shared, "other", otherHost);
        kernel = TestImages.kernel(shared, 0x12345, 1);
    }

    Path image;

    @BeforeEach
    void createImage() throws Exception {
        image = dir.resolve("se.img");
        Run r = run("image", "create", "-i", kernel.toString(), "-o", image.toString(), "-k", hkd.toString(),
                "--no-verify");
        assertThat(r.rc()).as(r.err()).isZero();
        assertThat(r.err()).contains(ImageCommand.NO_VERIFY_WARNING);
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Main.run(args, new PrintWriter(out), new PrintWriter(err), FAKE_BOOT);
        return new Run(rc, out.toString(), err.toString());
    }

    /** Exit 1, exactly one line on stderr, "pvsim: ..." containing the expected text, and no leftovers. */
    private void assertError(Run r, String expected) throws Exception {
        assertError(r, expected, 1);
    }

    /** A usage error: one line like any error, but clap's exit code 2. */
    private void assertUsageError(Run r, String expected) throws Exception {
        assertError(r, expected, 2);
    }

    private void assertError(Run r, String expected, int rc) throws Exception {
        assertThat(r.rc()).as(r.err()).isEqualTo(rc);
        List<String> lines = r.err().lines().filter(l -> !l.equals(ImageCommand.NO_VERIFY_WARNING)).toList();
        assertThat(lines).as(r.err()).hasSize(1);
        assertThat(lines.get(0)).startsWith("pvsim: ").contains(expected);
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
        }
    }

    private Run create(String... extra) {
        List<String> args = new ArrayList<>(List.of("image", "create", "-i", kernel.toString(), "-o",
                dir.resolve("out.img").toString(), "-k", hkd.toString(), "--no-verify"));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    @Test
    void verifyAndTestSucceedForTheRightHost() {
        Run v = run("image", "verify", "--host-key", hostKey.toString(), image.toString());
        assertThat(v.rc()).as(v.err()).isZero();
        assertThat(v.out().trim()).isEqualTo("verified");
        Run t = run("image", "test", "-k", hkd.toString(), image.toString());
        assertThat(t.rc()).isZero();
        assertThat(t.out()).contains("has a key slot for");
    }

    @Test
    void wrongHostIsNamed() throws Exception {
        assertError(run("image", "verify", "--host-key", otherHostKey.toString(), image.toString()),
                "verification failed: the SE header has no key slot for this host key");
        Run t = run("image", "test", "-k", otherHkd.toString(), image.toString());
        assertThat(t.rc()).isEqualTo(1);
        assertThat(t.out()).contains("has no key slot for");
    }

    @Test
    void infoWithoutKeyIsUnverified() {
        Run r = run("image", "info", "--format", "text:full", image.toString());
        assertThat(r.rc()).isZero();
        assertThat(r.out()).contains("UNVERIFIED").contains("nks           1").contains("kernel").doesNotContain("image key");
    }

    @Test
    void infoJsonWithHostKeyAndSecrets() throws Exception {
        Run r = run("image", "info", "--format", "json", "--host-key", hostKey.toString(), "--show-secrets",
                image.toString());
        assertThat(r.rc()).as(r.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertThat(doc.get("verified").asBoolean()).isTrue();
        assertThat(doc.get("layout").asText()).isEqualTo("pvimg");
        assertThat(doc.at("/header/offset").asLong()).isEqualTo(0x14000);
        assertThat(doc.at("/header/pcf").asText()).isEqualTo("0x00000000000000e0");
        assertThat(doc.at("/header/key_slots").size()).isEqualTo(1);
        assertThat(doc.at("/components/0/kind").asText()).isEqualTo("kernel");
        assertThat(doc.at("/components/1/kind").asText()).isEqualTo("stage3b");
        assertThat(doc.at("/secrets/image_key").asText()).hasSize(128);
        assertThat(doc.at("/secrets/psw_address").asText())
                .isEqualTo(String.format("0x%016x", doc.at("/components/1/address").asLong()));

        Run hidden = run("image", "info", "--format", "json", "--host-key", hostKey.toString(), image.toString());
        assertThat(new ObjectMapper().readTree(hidden.out()).at("/secrets/cck").isNull()).isTrue();
        Run none = run("image", "info", "--format", "json", image.toString());
        assertThat(new ObjectMapper().readTree(none.out()).get("verified").asBoolean()).isFalse();
    }

    @Test
    void infoWithHeaderKey() throws Exception {
        Path key = Files.write(dir.resolve("hdr.key"), new byte[32]);
        Path img = dir.resolve("k.img");
        Run c = run("image", "create", "-i", kernel.toString(), "-o", img.toString(), "-k", hkd.toString(),
                "--no-verify", "--hdr-key", key.toString());
        assertThat(c.rc()).as(c.err()).isZero();
        Run r = run("image", "info", "--format", "text:full", "--hdr-key", key.toString(), img.toString());
        assertThat(r.out()).contains("tag verified").contains("(hidden, use --show-secrets)");
        Files.write(key, new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0});
        assertError(run("image", "info", "--hdr-key", key.toString(), img.toString()), "SE header tag mismatch");
    }

    @Test
    void missingKernel() throws Exception {
        assertError(run("image", "create", "-i", dir.resolve("nope").toString(), "-o", dir.resolve("o").toString(),
                "-k", hkd.toString(), "--no-verify"), "no such file");
    }

    @Test
    void emptyKernel() throws Exception {
        Path empty = Files.write(dir.resolve("empty"), new byte[0]);
        assertError(run("image", "create", "-i", empty.toString(), "-o", dir.resolve("o").toString(),
                "-k", hkd.toString(), "--no-verify"), "is empty");
    }

    @Test
    void elfKernelAndMissingSignature() throws Exception {
        Path elf = Files.write(dir.resolve("vmlinux"), new byte[] {0x7f, 'E', 'L', 'F', 2, 2, 1});
        assertError(run("image", "create", "-i", elf.toString(), "-o", dir.resolve("o").toString(),
                "-k", hkd.toString(), "--no-verify"), "is an ELF file");
        Path junk = Files.write(dir.resolve("junk"), new byte[0x20000]);
        assertError(run("image", "create", "-i", junk.toString(), "-o", dir.resolve("o").toString(),
                "-k", hkd.toString(), "--no-verify"), "S390EP");
        Run ok = run("image", "create", "-i", junk.toString(), "-o", dir.resolve("o").toString(),
                "-k", hkd.toString(), "--no-verify", "--no-component-check");
        assertThat(ok.rc()).isZero();
    }

    @Test
    void tooManyHostKeys() throws Exception {
        List<String> args = new ArrayList<>(List.of("image", "create", "-i", kernel.toString(), "-o",
                dir.resolve("o").toString(), "--no-verify"));
        for (int i = 0; i < 96; i++) {
            args.add("-k");
            args.add(hkd.toString());
        }
        assertError(run(args.toArray(String[]::new)), "too many host keys: 96");
    }

    @Test
    void rsaAndP384HostKeyDocuments() throws Exception {
        Path rsa = HostKeyFixtures.certificate(dir, "rsa", HostKeyFixtures.rsa());
        assertError(run("image", "create", "-i", kernel.toString(), "-o", dir.resolve("o").toString(),
                "-k", rsa.toString(), "--no-verify"), "must be an EC secp521r1 key (found RSA 2048)");
        Path p384 = HostKeyFixtures.certificate(dir, "p384", HostKeyFixtures.ec("secp384r1"));
        assertError(run("image", "create", "-i", kernel.toString(), "-o", dir.resolve("o").toString(),
                "-k", p384.toString(), "--no-verify"), "must be an EC secp521r1 key (found EC secp384r1)");
        Path p384key = HostKeyFixtures.privateKey(dir, "p384", HostKeyFixtures.ec("secp384r1"));
        assertError(run("image", "verify", "--host-key", p384key.toString(), image.toString()),
                "must be an EC secp521r1 key");
    }

    @Test
    void keysOfTheWrongSize() throws Exception {
        Path k31 = Files.write(dir.resolve("k31"), new byte[31]);
        assertError(create("--hdr-key", k31.toString()), "--hdr-key");
        assertError(create("--hdr-key", k31.toString()), "must be 32 bytes, the file has 31");
        assertError(create("--image-key", k31.toString()), "must be 64 bytes");
        assertError(create("--cck", k31.toString()), "must be 32 bytes");
        Path same = Files.write(dir.resolve("same"), new byte[64]);
        assertError(create("--image-key", same.toString()), "halves must differ");
    }

    @Test
    void flagRules() throws Exception {
        assertUsageError(create("--enable-dump"), "needs a customer communication key (--cck)");
        assertUsageError(create("--enable-dump", "--disable-dump"), "exclude each other");
        assertError(create("--x-pcf", "zz"), "--x-pcf: 'zz' is not a 64-bit number");
        Path cck = Files.write(dir.resolve("cck"), new byte[32]);
        Run r = create("--enable-dump", "--cck", cck.toString(), "--disable-pckmo");
        assertThat(r.rc()).as(r.err()).isZero();
        Run info = run("image", "info", "--format", "json", dir.resolve("out.img").toString());
        assertThat(info.out()).contains("\"pcf\" : \"0x0000000020000000\"");
    }

    /** Every pair of options that exclude each other says so in pvsim's words (exit 2, one line), in any order. */
    @Test
    void exclusiveOptions() throws Exception {
        String[][] pairs = {{"--enable-dump", "--disable-dump"}, {"--enable-pckmo", "--disable-pckmo"},
            {"--enable-image-encryption", "--disable-image-encryption"},
            {"--enable-cck-extension-secret", "--disable-cck-extension-secret"}};
        for (String[] p : pairs) {
            assertUsageError(create(p[0], p[1]), p[0] + " and " + p[1] + " exclude each other");
            assertUsageError(create(p[1], p[0]), p[0] + " and " + p[1] + " exclude each other");
        }
        assertUsageError(create("-C", hkd.toString()), "--no-verify and --cert exclude each other");
        assertUsageError(run("image", "info", "--hdr-key", hostKey.toString(), "--host-key", hostKey.toString(),
                image.toString()), "--hdr-key and --host-key exclude each other");
    }

    @Test
    void verificationNeedsCertificatesOrNoVerify() throws Exception {
        assertUsageError(run("image", "create", "-i", kernel.toString(), "-o", dir.resolve("o").toString(),
                "-k", hkd.toString()), "--no-verify");
    }

    @Test
    void existingOutputNeedsOverwrite() throws Exception {
        byte[] before = Files.readAllBytes(image);
        assertError(run("image", "create", "-i", kernel.toString(), "-o", image.toString(), "-k", hkd.toString(),
                "--no-verify"), "already exists (use --overwrite");
        assertThat(Files.readAllBytes(image)).isEqualTo(before);
        Run r = run("image", "create", "-i", kernel.toString(), "-o", image.toString(), "-k", hkd.toString(),
                "--no-verify", "--overwrite");
        assertThat(r.rc()).isZero();
        assertThat(Files.readAllBytes(image)).isNotEqualTo(before);
    }

    @Test
    void truncatedImage() throws Exception {
        byte[] b = Files.readAllBytes(image);
        Path t = Files.write(dir.resolve("trunc.img"), java.util.Arrays.copyOf(b, b.length - 100));
        assertError(run("image", "verify", "--host-key", hostKey.toString(), t.toString()), "lies outside the file");
        Path tiny = Files.write(dir.resolve("tiny.img"), new byte[100]);
        assertError(run("image", "info", tiny.toString()), "not an SE image");
    }

    @Test
    void corruptedHeaderAndComponent() throws Exception {
        byte[] b = Files.readAllBytes(image);
        b[0x14000 + 0x30 + 7] ^= 1; // nep
        Path c = Files.write(dir.resolve("c.img"), b);
        assertError(run("image", "verify", "--host-key", hostKey.toString(), c.toString()), "SE header tag mismatch");
        b = Files.readAllBytes(image);
        b[0x15000 + 5] ^= 0x40; // first kernel page
        Files.write(c, b);
        assertError(run("image", "verify", "--host-key", hostKey.toString(), c.toString()), "PLD (page list digest) mismatch");
    }

    @Test
    void wrongMagicVersionAndHostileLengths() throws Exception {
        byte[] b = Files.readAllBytes(image);
        b[0x14000] = 'X';
        Path c = Files.write(dir.resolve("c.img"), b);
        assertError(run("image", "info", c.toString()), "not an SE header: magic is");
        b = Files.readAllBytes(image);
        b[0x14000 + 0x0A] = 2; // version 0x200
        Files.write(c, b);
        assertError(run("image", "info", c.toString()), "unsupported SE header version 0x200");
        b = Files.readAllBytes(image);
        b[0x14000 + 0x0E] = 0x7f; // phs huge
        Files.write(c, b);
        assertError(run("image", "info", c.toString()), "size field");
        b = Files.readAllBytes(image);
        long ipib = org.pvsim.se.Be.getLong(b, 0xC014);
        org.pvsim.se.Be.putLong(b, (int) ipib + 136 + 16, 0x7fff_f000_0000L); // kernel length
        Files.write(c, b);
        assertError(run("image", "info", c.toString()), "lies outside the file");
        b = Files.readAllBytes(image);
        org.pvsim.se.Be.putLong(b, 0xC014, Long.MAX_VALUE); // IPIB offset in the metadata
        Files.write(c, b);
        assertError(run("image", "info", c.toString()), "IPIB at 0x7fffffffffffffff");
    }

    @Test
    void unreadableOrMissingFiles() throws Exception {
        assertError(run("image", "info", dir.resolve("missing.img").toString()), "no such file");
        assertError(run("image", "verify", "--host-key", dir.resolve("nokey").toString(), image.toString()), "no such file");
        Path notPem = Files.writeString(dir.resolve("bad.key"), "hello");
        assertError(run("image", "verify", "--host-key", notPem.toString(), image.toString()), "not a private key");
        assertError(run("image", "test", "-k", notPem.toString(), image.toString()), "host-key document");
        assertError(create("-r", dir.resolve("no-initrd").toString()), "no such file");
    }

    @Test
    void experimentalPswAndExtensionSecret() throws Exception {
        Path cck = Files.write(dir.resolve("cck"), new byte[32]);
        Path hdr = Files.write(dir.resolve("hdr"), new byte[32]);
        Run r = create("--x-psw", "0x1234000", "--enable-cck-extension-secret", "--cck", cck.toString(),
                "--hdr-key", hdr.toString());
        assertThat(r.rc()).as(r.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(run("image", "info", "--format", "json", "--hdr-key", hdr.toString(),
                dir.resolve("out.img").toString()).out());
        assertThat(doc.at("/secrets/psw_address").asText()).isEqualTo("0x0000000001234000");
        assertThat(doc.at("/secrets/scf").asText()).isEqualTo("0x4000000000000000");
        assertUsageError(create("--enable-cck-extension-secret"), "needs a customer communication key (--cck)");
    }

    @Test
    void disabledEncryptionWarnsAndSetsPcfBit35() throws Exception {
        Run r = create("--disable-image-encryption");
        assertThat(r.rc()).isZero();
        assertThat(r.err()).contains("WARNING: component encryption is disabled");
        JsonNode doc = new ObjectMapper().readTree(run("image", "info", "--format", "json",
                dir.resolve("out.img").toString()).out());
        assertThat(doc.at("/header/pcf").asText()).isEqualTo("0x00000000100000e0");
        assertThat(run("image", "verify", "--host-key", hostKey.toString(), dir.resolve("out.img").toString()).rc()).isZero();
    }
}
