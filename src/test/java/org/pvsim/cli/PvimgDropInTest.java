package org.pvsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pvsim.image.TestImages;
import org.pvsim.se.HostKeys;

/** pvimg's command line (s390-tools rust/pvimg/src/cli.rs, rust/utils/src/cli.rs) accepted as pvimg accepts it. */
class PvimgDropInTest {
    @TempDir
    static Path shared;
    @TempDir
    Path dir;

    static Path hkd;
    static Path otherHkd;
    static Path kernel;
    static Path image;
    static Path hdrKey;
    static java.security.KeyPair host;

    @BeforeAll
    static void setUp() throws Exception {
        host = HostKeyFixtures.ec("secp521r1");
        hkd = HostKeyFixtures.certificate(shared, "host", host);
        otherHkd = HostKeyFixtures.certificate(shared, "other", HostKeyFixtures.ec("secp521r1"));
        kernel = TestImages.kernel(shared, 0x12345, 1);
        hdrKey = Files.write(shared.resolve("hdr.key"), new byte[32]);
        image = shared.resolve("se.img");
        ImageCommandTest.Run r = ImageCommandTest.run("image", "create", "-i", kernel.toString(), "-o", image.toString(),
                "-k", hkd.toString(), "--no-verify", "--hdr-key", hdrKey.toString());
        assertThat(r.rc()).as(r.err()).isZero();
    }

    static ImageCommandTest.Run run(String... args) {
        return ImageCommandTest.run(args);
    }

    ImageCommandTest.Run create(String... extra) {
        List<String> a = new ArrayList<>(List.of("image", "create", "-i", kernel.toString(), "-o",
                dir.resolve("o.img").toString()));
        a.addAll(List.of(extra));
        return run(a.toArray(String[]::new));
    }

    @Test
    void commaSeparatedHostKeyDocumentsAndCertificates() throws Exception {
        ImageCommandTest.Run r = create("-k", hkd + "," + otherHkd, "--no-verify");
        assertThat(r.rc()).as(r.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(run("image", "info", dir.resolve("o.img").toString()).out());
        assertThat(doc.at("/header/nks").asInt()).isEqualTo(2);
        Path missing = dir.resolve("missing.crt");
        r = create("-k", hkd.toString(), "-C", missing + "," + hkd);
        assertThat(r.err()).contains("no such file: " + missing + " (certificate)");
        r = create("-k", hkd.toString(), "--crt", missing.toString());
        assertThat(r.err()).contains("no such file: " + missing);
    }

    @Test
    void infoTakesPvimgsKeyAlias() {
        ImageCommandTest.Run r = run("image", "info", "--key", hdrKey.toString(), "--format", "text:full", image.toString());
        assertThat(r.rc()).as(r.err()).isZero();
        assertThat(r.out()).contains("tag verified");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void verbosityAndQuiet() {
        ImageCommandTest.Run v = create("-k", hkd.toString(), "--no-verify", "-v");
        assertThat(v.err()).contains("Use host-key document at '" + hkd + "'");
        ImageCommandTest.Run q = create("-k", hkd.toString(), "--no-verify", "-q", "--overwrite");
        assertThat(q.rc()).isZero();
        assertThat(q.err()).isEmpty();
        ImageCommandTest.Run both = create("-k", hkd.toString(), "--no-verify", "-v", "-q");
        assertThat(both.rc()).isEqualTo(2);
        assertThat(both.err()).contains("-v/--verbose and -q/--quiet cannot be used together");
        ImageCommandTest.Run dep = create("-k", hkd.toString(), "--no-verify", "-V", "--overwrite");
        assertThat(dep.err()).contains("WARNING: Use of deprecated flag '-V'. Use '-v' or '--verbose' instead.")
                .contains("Use host-key document at");
        ImageCommandTest.Run info = run("image", "info", "-q", image.toString());
        assertThat(info.err()).isEmpty();
        assertThat(run("image", "info", image.toString()).err()).isEqualTo(ImageCommand.UNVERIFIED_WARNING + "\n");
    }

    @Test
    void versionIsThePomsOnEveryCommand() {
        String v = run("--version").out().trim();
        assertThat(v).matches("pvsim \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        assertThat(run("image", "--version").out().trim()).isEqualTo(v);
        assertThat(run("image", "create", "--version").out().trim()).isEqualTo(v);
    }

    @Test
    void formats() throws Exception {
        ImageCommandTest.Run min = run("image", "info", "--format", "json:minify", image.toString());
        assertThat(min.out().lines()).hasSize(1);
        ImageCommandTest.Run pretty = run("image", "info", "--format", "json:pretty", image.toString());
        assertThat(new ObjectMapper().readTree(pretty.out())).isEqualTo(new ObjectMapper().readTree(min.out()));
        assertThat(pretty.out().lines().count()).isGreaterThan(10);
        ImageCommandTest.Run byDefault = run("image", "info", image.toString());
        assertThat(new ObjectMapper().readTree(byDefault.out()).get("schema").asText()).isEqualTo("pvsim-image-info/1");
        assertThat(run("image", "info", "--format", "text:full", image.toString()).out()).startsWith("SE image ");
        ImageCommandTest.Run bad = run("image", "info", "--format", "yaml", image.toString());
        assertThat(bad.rc()).isEqualTo(2);
        assertThat(bad.err()).contains("'yaml' is not an output format");
    }

    @Test
    void pvimgsEnvelopeIsSelectable() throws Exception {
        JsonNode env = new ObjectMapper().readTree(run("image", "info", "--json-layout", "pvimg", image.toString()).out());
        assertThat(env.get("meta").get("api_level").asInt()).isEqualTo(1);
        assertThat(env.get("data").get("schema").asText()).isEqualTo("pvsim-image-info/1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pvsim", "pvimg"})
    void printSchemaDescribesEveryFieldPrinted(String layout) throws Exception {
        ImageCommandTest.Run s = run("image", "info", "--print-schema", "--json-layout", layout);
        assertThat(s.rc()).as(s.err()).isZero();
        JsonNode schema = new ObjectMapper().readTree(s.out());
        assertThat(schema.get("$schema").asText()).contains("2020-12");
        for (String[] extra : new String[][] {{}, {"--key", hdrKey.toString()}}) {
            List<String> a = new ArrayList<>(List.of("image", "info", "--json-layout", layout));
            a.addAll(List.of(extra));
            a.add(image.toString());
            JsonNode doc = new ObjectMapper().readTree(run(a.toArray(String[]::new)).out());
            conforms(doc, schema, schema, "$");
        }
    }

    /** The parts of JSON Schema the schema uses: type, const, enum, properties (closed), items, oneOf, $ref. */
    static void conforms(JsonNode v, JsonNode s, JsonNode root, String at) {
        if (s.has("$ref")) {
            String ref = s.get("$ref").asText();
            assertThat(ref).as(at).startsWith("#/");
            conforms(v, root.at(ref.substring(1)), root, at);
            return;
        }
        if (s.has("oneOf")) {
            int ok = 0;
            for (JsonNode alt : s.get("oneOf")) {
                try {
                    conforms(v, alt, root, at);
                    ok++;
                } catch (AssertionError e) {
                    // not this one
                }
            }
            assertThat(ok).as(at + " matches one alternative").isEqualTo(1);
            return;
        }
        if (s.has("const")) {
            assertThat(v).as(at).isEqualTo(s.get("const"));
        }
        if (s.has("enum")) {
            assertThat(s.get("enum")).as(at).contains(v);
        }
        String type = s.has("type") ? s.get("type").asText() : null;
        if ("object".equals(type)) {
            assertThat(v.isObject()).as(at + " is an object").isTrue();
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                assertThat(s.get("properties").has(f.getKey())).as(at + "." + f.getKey() + " is in the schema").isTrue();
                conforms(f.getValue(), s.get("properties").get(f.getKey()), root, at + "." + f.getKey());
            }
            for (JsonNode r : s.withArray("required")) {
                assertThat(v.has(r.asText())).as(at + " has " + r.asText()).isTrue();
            }
        } else if ("array".equals(type)) {
            assertThat(v.isArray()).as(at).isTrue();
            for (JsonNode e : v) {
                conforms(e, s.get("items"), root, at + "[]");
            }
        } else if ("string".equals(type)) {
            assertThat(v.isTextual()).as(at).isTrue();
            if (s.has("pattern")) {
                assertThat(v.asText()).as(at).matches(s.get("pattern").asText());
            }
        } else if ("integer".equals(type)) {
            assertThat(v.isIntegralNumber()).as(at).isTrue();
        } else if ("boolean".equals(type)) {
            assertThat(v.isBoolean()).as(at).isTrue();
        } else if ("null".equals(type)) {
            assertThat(v.isNull()).as(at).isTrue();
        }
    }

    @Test
    void crlOfflineAndRootCaRequireCert() throws Exception {
        for (String[] o : new String[][] {{"--crl", hkd.toString()}, {"--offline"}, {"--root-ca", hkd.toString()}}) {
            List<String> a = new ArrayList<>(List.of("-k", hkd.toString(), "--no-verify"));
            a.addAll(List.of(o));
            ImageCommandTest.Run r = create(a.toArray(String[]::new));
            assertThat(r.rc()).as(r.err()).isEqualTo(2);
            assertThat(r.err()).contains("the following required arguments were not provided: --cert=FILE (" + o[0]);
            ImageCommandTest.Run s = run("secret", "create", "-k", hkd.toString(), "--no-verify", o[0],
                    o.length > 1 ? o[1] : "--no-verify", "--hdr", image.toString(), "-o", dir.resolve("r").toString(),
                    "meta");
            assertThat(s.rc()).as(s.err()).isEqualTo(2);
        }
    }

    @Test
    void imageKeyAndRawFlagsConflictAsInPvimg() throws Exception {
        Path key = Files.write(dir.resolve("image.key"), new byte[64]);
        ImageCommandTest.Run r = create("-k", hkd.toString(), "--no-verify", "--image-key", key.toString(),
                "--disable-image-encryption");
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err()).contains("pvsim: --image-key and --disable-image-encryption exclude each other");
        r = create("-k", hkd.toString(), "--no-verify", "--x-pcf", "0xe0", "--enable-pckmo");
        assertThat(r.err()).contains("pvsim: --x-pcf and --enable-pckmo exclude each other");
        r = create("-k", hkd.toString(), "--no-verify", "--x-scf", "0", "--disable-cck-update");
        assertThat(r.err()).contains("pvsim: --x-scf and --disable-cck-update exclude each other");
    }

    @Test
    void testPassesWhenAnyDocumentMatches() {
        ImageCommandTest.Run r = run("image", "test", "-k", otherHkd + "," + hkd, image.toString());
        assertThat(r.rc()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains(" \u2718 Host key document '" + otherHkd + "' is not included")
                .contains(" \u2713 Host key document '" + hkd + "' is included");
        assertThat(run("image", "test", "-k", otherHkd.toString(), image.toString()).rc()).isEqualTo(1);
    }

    @Test
    void testKeyHashes() throws Exception {
        String mine = HexFormat.of().formatHex(HostKeys.hostKeyHash((java.security.interfaces.ECPublicKey) host.getPublic()));
        String zero = "0".repeat(64);
        StringBuilder sb = new StringBuilder("ab".repeat(32) + "\n" + mine + "\n");
        for (int i = 0; i < 13; i++) {
            sb.append(zero).append('\n');
        }
        Path hashes = Files.writeString(dir.resolve("all"), sb);
        ImageCommandTest.Run r = run("image", "test", "--key-hashes=" + hashes, image.toString());
        assertThat(r.rc()).as(r.err()).isZero();
        assertThat(r.out()).contains(" \u2713 Backup host key hash " + mine + " is included");
        Path none = Files.writeString(dir.resolve("none"), (zero + "\n").repeat(15));
        ImageCommandTest.Run n = run("image", "test", "--key-hashes=" + none, image.toString());
        assertThat(n.rc()).isEqualTo(1);
        assertThat(n.err()).contains("None of the key hashes is included");
        ImageCommandTest.Run d = run("image", "test", "--key-hashes", image.toString());
        assertThat(d.rc()).isEqualTo(1);
        assertThat(d.err()).contains("/sys/firmware/uv/keys/all: no such file: this system does not report");
        ImageCommandTest.Run both = run("image", "test", "-k", hkd.toString(), "--key-hashes=" + none, image.toString());
        assertThat(both.err()).contains("exclude each other");
        assertThat(run("image", "test", image.toString()).rc()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "image", "hostkey", "secret", "secret create", "attest", "machine"})
    void aGroupWithoutASubcommandPrintsUsageAndExitsTwo(String group) {
        String[] args = group.isEmpty() ? new String[0] : group.split(" ");
        if (group.equals("secret create")) {
            args = new String[] {"secret", "create", "-k", hkd.toString(), "--no-verify", "--hdr", image.toString(),
                "-o", dir.resolve("r").toString()};
        }
        ImageCommandTest.Run r = run(args);
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err()).contains("Usage: pvsim");
        assertThat(r.out()).isEmpty();
    }
}
