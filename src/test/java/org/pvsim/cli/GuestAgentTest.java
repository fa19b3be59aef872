package org.pvsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.pvsim.se.AttestationExchange;
import org.pvsim.se.GuestSecret;

/**
 * The guest side of pvsecret and pvattest end to end, as a user runs it: pvsim's guest agent built into an
 * SE image for a host key, add-secret and attestation requests made for that image, performed in the
 * protected guest by secret add/list/lock and attest perform (and by a scripted pvsim run session), the
 * results checked by attest verify; requests for another image or host and altered ones are refused with the
 * UV's rc/rrc, bad input with one line and exit 1.
 */
@Timeout(300)
class GuestAgentTest {
    @TempDir
    static Path dir;
    static Path hostKey;
    static Path hostCrt;
    static Path otherKey;
    static Path otherCrt;
    static Path image;
    static Path otherImage;
    private final InputStream stdin = System.in;

    record Run(int rc, String out, String err) {
    }

    static Run run(Object... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Main.run(Arrays.stream(args).map(String::valueOf).toArray(String[]::new), new PrintWriter(out),
                new PrintWriter(err));
        return new Run(rc, out.toString(), err.toString());
    }

    static Run ok(Object... args) {
        Run r = run(args);
        assertThat(r.rc()).as(r.err()).isZero();
        return r;
    }

    /** One line on stderr (besides the --no-verify warnings), starting "pvsim: ", exit 1, no stack trace. */
    static void assertError(Run r, String expected) {
        assertThat(r.rc()).as(r.out() + r.err()).isEqualTo(1);
        List<String> lines = r.err().lines().filter(l -> !l.startsWith("WARNING: ")).toList();
        assertThat(lines).as(r.err()).hasSize(1);
        assertThat(lines.get(0)).startsWith("pvsim: ").contains(expected);
    }

    @BeforeAll
    static void anAgentImageForAHostKey() {
        hostKey = dir.resolve("host.key");
        hostCrt = dir.resolve("host.crt");
        otherKey = dir.resolve("other.key");
        otherCrt = dir.resolve("other.crt");
        ok("hostkey", "create", "--key-out", hostKey, "--cert-out", hostCrt);
        ok("hostkey", "create", "--key-out", otherKey, "--cert-out", otherCrt);
        Path kernel = dir.resolve("agent.kernel");
        assertThat(ok("secret", "agent", "-o", kernel).out()).startsWith("wrote " + kernel + " (pvsim's guest agent");
        image = dir.resolve("agent.img");
        otherImage = dir.resolve("agent2.img");
        ok("image", "create", "-i", kernel, "-k", hostCrt, "--no-verify", "-o", image);
        ok("image", "create", "-i", kernel, "-k", hostCrt, "--no-verify", "-o", otherImage);
    }

    @AfterEach
    void restoreStdin() {
        System.setIn(stdin);
    }

    static Path secretRequest(String name, Path hdr, Path crt) {
        Path req = dir.resolve(name + ".req");
        ok("secret", "create", "-k", crt, "--no-verify", "--hdr", hdr, "-o", req, "--overwrite", "association", name);
        return req;
    }

    static String id(String name) {
        return "0x" + HexFormat.of().formatHex(GuestSecret.nameToId(name));
    }

    @Test
    void secretsAddedInTheGuestAreListedAndLocked() throws Exception {
        Path a = secretRequest("first-queue", image, hostCrt);
        Path key = dir.resolve("aes.key");
        Files.write(key, new byte[32]);
        Path b = dir.resolve("aes.req");
        ok("secret", "create", "-k", hostCrt, "--no-verify", "--hdr", image, "-o", b, "retrievable", "disk-key",
                "--secret", key, "--type", "aes");
        Run r = ok("secret", "add", "--image", image, "--host-key", hostKey, a, b, "--list", "--lock");
        assertThat(r.out()).isEqualTo("added " + a + ": Association secret " + id("first-queue") + "\n"
                + "added " + b + ": AES-256-KEY secret " + id("disk-key") + "\n"
                + "Total number of secrets: 2\n\n"
                + "0 Association:\n  " + id("first-queue") + "\n"
                + "1 AES-256-KEY:\n  " + id("disk-key") + "\n"
                + "Secret store locked: no further secrets can be added to this guest\n");
    }

    @Test
    void retrievableSecretsComeBackAsTheGuestGetsThemAndOthersAreRefused() throws Exception {
        Path plain = dir.resolve("plain.bin");
        Files.write(plain, "open sesame".getBytes(StandardCharsets.US_ASCII));
        Path plainReq = dir.resolve("plain.req");
        ok("secret", "create", "-k", hostCrt, "--no-verify", "--hdr", image, "-o", plainReq, "retrievable", "door",
                "--secret", plain, "--type", "plain");
        Path key = dir.resolve("xts.key");
        byte[] keyBytes = new byte[64];
        Arrays.fill(keyBytes, (byte) 0x5a);
        Files.write(key, keyBytes);
        Path keyReq = dir.resolve("xts.req");
        ok("secret", "create", "-k", hostCrt, "--no-verify", "--hdr", image, "-o", keyReq, "retrievable", "xts",
                "--secret", key, "--type", "aes-xts");
        Path assoc = secretRequest("not-retrievable", image, hostCrt);
        Path plainOut = dir.resolve("door.out");
        Path keyOut = dir.resolve("xts.out");

        Run r = ok("secret", "add", "--image", image, "--host-key", hostKey, plainReq, keyReq, assoc,
                "--retrieve", "door=" + plainOut, "--retrieve", id("xts") + "=" + keyOut, "--lock");
        assertThat(r.out()).contains("retrieved Plaintext secret " + id("door") + " (index 0, 16 bytes) into " + plainOut + "\n"
                + "retrieved AES-XTS-256-KEY secret " + id("xts") + " (index 1, 96 bytes) into " + keyOut + "\n"
                + "Secret store locked");
        byte[] expected = new byte[16];
        ByteBuffer.wrap(expected).putShort((short) 11).put("open sesame".getBytes(StandardCharsets.US_ASCII));
        assertThat(Files.readAllBytes(plainOut)).as("u16 length, data, zero padding").isEqualTo(expected);
        byte[] protectedKey = Files.readAllBytes(keyOut);
        assertThat(protectedKey).as("wrapped key and verification pattern").hasSize(96);
        assertThat(Arrays.copyOf(protectedKey, 64)).as("never the clear key").isNotEqualTo(keyBytes);

        assertError(run("secret", "add", "--image", image, "--host-key", hostKey, assoc, "--retrieve",
                "not-retrievable=" + dir.resolve("a.out")), "rc 0x0111 rrc 0x0000 (not a retrievable secret)");
        assertError(run("secret", "add", "--image", image, "--host-key", hostKey, assoc, "--retrieve",
                "elsewhere=" + dir.resolve("b.out")), "no secret with that id");
        assertThat(dir.resolve("a.out")).doesNotExist();
        assertError(run("secret", "add", "--image", image, "--host-key", hostKey, assoc, "--retrieve",
                "door=" + plainOut), "door.out");
    }

    @Test
    void aFreshGuestHasNoSecretsAndLocksOnce() {
        assertThat(ok("secret", "list", "--image", image, "--host-key", hostKey).out())
                .isEqualTo("Total number of secrets: 0\n");
        assertThat(ok("secret", "lock", "--image", image, "--host-key", hostKey).out()).startsWith("Secret store locked");
    }

    @Test
    void afterLockAFurtherAddIsRefusedWithTheUvsRc() throws Exception {
        HexFormat hex = HexFormat.of();
        String first = hex.formatHex(Files.readAllBytes(secretRequest("before-lock", image, hostCrt)));
        String second = hex.formatHex(Files.readAllBytes(secretRequest("after-lock", image, hostCrt)));
        List<AgentAnswer> answers = GuestAgent.run(image, List.of(hostKey),
                List.of("add " + first, "lock", "add " + second, "list", "lock"));
        assertThat(answers).extracting(AgentAnswer::command).containsExactly("add", "lock", "add", "list", "lock");
        assertThat(answers).extracting(AgentAnswer::codes).containsExactly("rc 0x0001 rrc 0x0000",
                "rc 0x0001 rrc 0x0000", "rc 0x0102 rrc 0x0000", "rc 0x0001 rrc 0x0000", "rc 0x0101 rrc 0x0000");
        assertThat(answers.get(3).data()).containsExactly("secret 0 2 32 " + id("before-lock").substring(2));

        // the same session typed into pvsim run: the agent's console protocol
        System.setIn(new ByteArrayInputStream(("add " + first + "\nlock\nadd " + second + "\nquit\n")
                .getBytes(StandardCharsets.US_ASCII)));
        Run r = ok("run", "--protected", "--host-key", hostKey, "-kernel", image);
        assertThat(r.out()).isEqualTo("agent: ready\nadd: rc 0x0001 rrc 0x0000\nlock: rc 0x0001 rrc 0x0000\n"
                + "add: rc 0x0102 rrc 0x0000\nagent: bye\n");
    }

    @Test
    void requestsForAnotherImageOrHostOrAlteredAreRefusedByTheUv() throws Exception {
        Path good = secretRequest("good", image, hostCrt);
        Path otherImg = secretRequest("other-image", otherImage, hostCrt);
        Path otherHost = secretRequest("other-host", image, otherCrt);
        Path altered = dir.resolve("altered.req");
        byte[] b = Files.readAllBytes(good);
        b[b.length - 20] ^= 1; // in the encrypted secret: the GCM tag no longer matches
        Files.write(altered, b);
        Run r = run("secret", "add", "--image", image, "--host-key", hostKey, good, otherImg);
        assertError(r, otherImg + ": the Ultravisor refused the add-secret request: rc 0x0107 rrc 0x0000 "
                + "(the request is for another SE image)");
        assertThat(r.out()).isEqualTo("added " + good + ": Association secret " + id("good") + "\n");
        assertError(run("secret", "add", "--image", image, "--host-key", hostKey, otherHost),
                "rc 0x0105 rrc 0x0000 (the request is for another host");
        assertError(run("secret", "add", "--image", image, "--host-key", hostKey, altered),
                "rc 0x0106 rrc 0x0000 (the request does not open");
        // the other image's own guest takes it
        assertThat(ok("secret", "add", "--image", otherImage, "--host-key", hostKey, otherImg, "--list").out())
                .contains("0 Association:\n  " + id("other-image"));
    }

    @Test
    void attestationPerformedInTheGuestVerifies() throws Exception {
        Path req = dir.resolve("attest.req");
        Path arpk = dir.resolve("attest.arpk");
        ok("attest", "create", "-k", hostCrt, "--no-verify", "-o", req, "--arpk", arpk, "--add-data", "phkh-img,phkh-att");
        Path user = dir.resolve("user.bin");
        Files.writeString(user, "hello");
        Path result = dir.resolve("attest.res");
        Run p = ok("attest", "perform", "--image", image, "--host-key", hostKey, req, "-o", result, "--user-data", user);
        assertThat(p.out()).startsWith("wrote " + result + " (attestation result, config UID 0x")
                .endsWith(", 64 bytes of additional data)\n");
        Run v = ok("attest", "verify", "-i", result, "--hdr", image, "--arpk", arpk);
        assertThat(v.out()).startsWith("Attestation measurement verified\n").contains("user data:       0x68656c6c6f")
                .contains("image PHKH:").contains("attestation PHKH:");

        // the result of another image's guest, a tampered result, a replayed one
        assertError(run("attest", "verify", "-i", result, "--hdr", otherImage, "--arpk", arpk),
                "is not a measurement of the image " + otherImage);
        byte[] bad = Files.readAllBytes(result);
        bad[ByteBuffer.wrap(bad).getInt(0x24)] ^= 1; // a byte of the measurement
        Path tampered = dir.resolve("tampered.res");
        Files.write(tampered, bad);
        assertError(run("attest", "verify", "-i", tampered, "--hdr", image, "--arpk", arpk),
                "attestation measurement verification failed");
        Path other = dir.resolve("other-image.res");
        ok("attest", "perform", "--image", otherImage, "--host-key", hostKey, req, "-o", other);
        assertError(run("attest", "verify", "-i", other, "--hdr", image, "--arpk", arpk), "is not a measurement of the image");
        Path req2 = dir.resolve("attest2.req");
        Path arpk2 = dir.resolve("attest2.arpk");
        ok("attest", "create", "-k", hostCrt, "--no-verify", "-o", req2, "--arpk", arpk2);
        assertError(run("attest", "verify", "-i", result, "--hdr", image, "--arpk", arpk2), "another or a replayed request");
    }

    @Test
    void attestationRequestsForAnotherHostOrAlteredAreRefusedByTheUv() throws Exception {
        Path req = dir.resolve("foreign.req");
        ok("attest", "create", "-k", otherCrt, "--no-verify", "-o", req, "--arpk", dir.resolve("foreign.arpk"));
        assertError(run("attest", "perform", "--image", image, "--host-key", hostKey, req, "-o", dir.resolve("f.res")),
                "foreign.req: the Ultravisor refused the attestation request: rc 0x010c rrc 0x0000");
        Path mine = dir.resolve("mine.req");
        ok("attest", "create", "-k", hostCrt, "--no-verify", "-o", mine, "--arpk", dir.resolve("mine.arpk"));
        AttestationExchange ex = AttestationExchange.parse(Files.readAllBytes(mine));
        byte[] arcb = ex.request();
        arcb[arcb.length - 1] ^= 1; // the GCM tag
        Path altered = dir.resolve("altered-attest.req");
        Files.write(altered, AttestationExchange.request(arcb, ex.additionalSize()).encode());
        assertError(run("attest", "perform", "--image", image, "--host-key", hostKey, altered, "-o", dir.resolve("a.res")),
                "rc 0x010c rrc 0x0000 (the request does not open");
        assertThat(dir.resolve("f.res")).doesNotExist();
    }

    @Test
    void badInputIsOneLine() throws Exception {
        Path junk = dir.resolve("junk.bin");
        Files.write(junk, new byte[100]);
        Path req = secretRequest("bad-input", image, hostCrt);
        assertError(run("secret", "add", "--image", image, "--host-key", hostKey, junk),
                "junk.bin: add-secret request: 100 bytes is too short");
        assertError(run("attest", "perform", "--image", image, "--host-key", hostKey, junk, "-o", dir.resolve("x.res")),
                "junk.bin: attestation exchange file");
        assertError(run("secret", "add", "--image", image, "--host-key", otherKey, req), "the protected boot failed");
        assertError(run("secret", "add", "--image", dir.resolve("agent.kernel"), "--host-key", hostKey, req),
                "not an SE image");
        assertError(run("secret", "add", "--image", image, "--host-key", junk, req), "host key");
        assertError(run("secret", "list", "--image", dir.resolve("missing.img"), "--host-key", hostKey), "missing.img");
        Path big = dir.resolve("big.req");
        Files.write(big, new byte[GuestAgent.MAX_REQUEST + 1]);
        assertError(run("secret", "add", "--image", image, "--host-key", hostKey, big), "big.req");
    }
}
