package org.pvsim.machine.uv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pvsim.machine.uv.HostCallConformanceTest.expect;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pvsim.cli.Main;
import org.pvsim.machine.storage.Storage;
import org.pvsim.machine.uv.cb.Attest;
import org.pvsim.machine.uv.cb.GuestAddr;
import org.pvsim.machine.uv.cb.ListSecrets;
import org.pvsim.machine.uv.cb.UvCommand;
import org.pvsim.se.AttestationExchange;
import org.pvsim.se.GuestSecret;

/**
 * The customer's tools end to end: {@code pvsim secret create} and {@code pvsim attest create} for a host
 * key document, the requests performed by a guest of that host through the UV calls, {@code pvsim attest
 * verify} on the answer; wrong, foreign and replayed answers are refused with one line and exit 1.
 */
class SecretAndAttestCliTest {
    static final long BLOCK = 0x800000;
    static final long REQ = 0x801000;
    static final long MEAS = 0x804000;
    static final long ADD = 0x805000;

    @TempDir
    static Path dir;
    static Path hkd;
    static Path hdr;
    static VerifiedGuest vg;

    record Run(int rc, String out, String err) {
    }

    static Run run(Object... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Main.run(Arrays.stream(args).map(String::valueOf).toArray(String[]::new), new PrintWriter(out),
                new PrintWriter(err));
        return new Run(rc, out.toString(), err.toString());
    }

    static void assertError(Run r, String expected) {
        assertThat(r.rc()).as(r.err()).isEqualTo(1);
        List<String> lines = r.err().lines().filter(l -> !l.startsWith("WARNING: host-key document")).toList();
        assertThat(lines).as(r.err()).hasSize(1);
        assertThat(lines.get(0)).startsWith("pvsim: ").contains(expected);
    }

    @BeforeAll
    static void aHostAndAGuest() throws Exception {
        Path key = dir.resolve("host.pem");
        hkd = dir.resolve("host.crt");
        assertThat(run("hostkey", "create", "--key-out", key, "--cert-out", hkd).rc()).isZero();
        MachineIdentity identity = MachineIdentity.fromPem(List.of(Files.readAllBytes(key)));
        vg = new VerifiedGuest(new UvFixture(new Storage(Storage.DEFAULT_SIZE), identity), 0xe0);
        hdr = dir.resolve("se.hdr");
        Files.write(hdr, vg.image.headerBytes());
    }

    @Test
    void anAssociationSecretFromTheCliIsAddedByTheGuest() throws Exception {
        Path req = dir.resolve("assoc.req");
        Path secret = dir.resolve("assoc.bin");
        Run c = run("secret", "create", "-k", hkd, "--no-verify", "--hdr", hdr, "-o", req, "association", "my-ap",
                "--output-secret", secret);
        assertThat(c.rc()).as(c.err()).isZero();
        assertThat(c.out()).contains("Association 'my-ap'").contains("secret id: 0x");
        assertThat(Files.readAllBytes(secret)).hasSize(32);
        Run v = run("secret", "verify", "--hdr", hdr, req);
        assertThat(v.rc()).as(v.err()).isZero();
        assertThat(v.out()).contains("well formed, bound to").contains("Association (32 bytes)");

        vg.guestWrite(REQ, Files.readAllBytes(req));
        expect(vg.guestCall(GuestAddr.of(UvCommand.ADD_SECRET, REQ), BLOCK), 1);
        vg.guestWrite(0x80a000, new byte[4096]);
        expect(vg.guestCall(ListSecrets.of(0, 0x80a000), BLOCK), 1);
        byte[] page = vg.guestRead(0x80a000, 0x40);
        assertThat(Arrays.copyOfRange(page, 0x20, 0x40)).isEqualTo(GuestSecret.nameToId("my-ap"));
    }

    @Test
    void badSecretInputsAreOneLine() throws Exception {
        Path junk = dir.resolve("junk.req");
        Files.write(junk, new byte[100]);
        assertError(run("secret", "verify", junk), "add-secret request: 100 bytes is too short");
        assertError(run("secret", "create", "-k", hkd, "--no-verify", "--hdr", junk, "-o", dir.resolve("x"),
                "meta"), "neither an SE header nor an SE image");
        Path key = dir.resolve("k.bin");
        Files.write(key, new byte[20]);
        assertError(run("secret", "create", "-k", hkd, "--no-verify", "--hdr", hdr, "-o", dir.resolve("x"),
                "retrievable", "k", "--secret", key, "--type", "aes"), "a aes secret cannot be 20 bytes");
        Run unverified = run("secret", "create", "-k", hkd, "--hdr", hdr, "-o", dir.resolve("x"), "meta");
        assertThat(unverified.rc()).as(unverified.err()).isEqualTo(2); // clap's usage error, as pvsecret's
        assertThat(unverified.err()).startsWith("pvsim: host-key documents must be verified");
        Path other = dir.resolve("other.hdr");
        byte[] h = vg.image.headerBytes();
        h[h.length - 1] ^= 1;
        Files.write(other, h);
        Path req = dir.resolve("meta.req");
        assertThat(run("secret", "create", "-k", hkd, "--no-verify", "--hdr", hdr, "-o", req, "meta").rc()).isZero();
        assertError(run("secret", "verify", "--hdr", other, req), "the request is for another SE image");
    }

    /** The guest's side of pvattest perform: RETR_ATTEST on the request, the answer in exchange format. */
    static Path perform(Path request, byte[] userData, String name) throws Exception {
        AttestationExchange ex = AttestationExchange.parse(Files.readAllBytes(request));
        vg.guestWrite(REQ, ex.request());
        vg.guestWrite(MEAS, new byte[64]);
        vg.guestWrite(ADD, new byte[64]);
        var a = vg.guestCall(Attest.of(REQ, 0, userData.length, Arrays.copyOf(userData, 256), 64, MEAS, null,
                ex.additionalSize(), ADD), BLOCK);
        expect(a, 1);
        byte[] add = vg.guestRead(ADD, a.cb().addDataLen());
        Path out = dir.resolve(name);
        Files.write(out, AttestationExchange.response(ex.request(), vg.guestRead(MEAS, 64),
                add.length == 0 ? null : add, userData.length == 0 ? null : userData, a.cb().configUid()).encode());
        return out;
    }

    @Test
    void attestationCreatePerformVerify() throws Exception {
        Path req = dir.resolve("att.req");
        Path arpk = dir.resolve("att.arpk");
        Run c = run("attest", "create", "-k", hkd, "--no-verify", "-o", req, "--arpk", arpk, "--add-data", "phkh-img");
        assertThat(c.rc()).as(c.err()).isZero();
        Path result = perform(req, "hello".getBytes(), "att.res");
        Run v = run("attest", "verify", "-i", result, "--hdr", hdr, "--arpk", arpk);
        assertThat(v.rc()).as(v.err()).isZero();
        assertThat(v.out()).startsWith("Attestation measurement verified").contains("image PHKH:")
                .contains("user data:       0x68656c6c6f");

        byte[] bad = Files.readAllBytes(result);
        AttestationExchange ex = AttestationExchange.parse(bad);
        int measAt = ByteBuffer.wrap(bad).getInt(0x24);
        bad[measAt] ^= 1;
        Path wrong = dir.resolve("wrong.res");
        Files.write(wrong, bad);
        assertError(run("attest", "verify", "-i", wrong, "--hdr", hdr, "--arpk", arpk),
                "attestation measurement verification failed");

        byte[] h = vg.image.headerBytes();
        h[h.length - 1] ^= 1; // another image: other SE-header tag
        Path other = dir.resolve("other-image.hdr");
        Files.write(other, h);
        assertError(run("attest", "verify", "-i", result, "--hdr", other, "--arpk", arpk),
                "is not a measurement of the image");

        Path req2 = dir.resolve("att2.req");
        Path arpk2 = dir.resolve("att2.arpk");
        assertThat(run("attest", "create", "-k", hkd, "--no-verify", "-o", req2, "--arpk", arpk2).rc()).isZero();
        Path replay = perform(req, new byte[0], "replay.res"); // answers the old request, not the new one
        assertError(run("attest", "verify", "-i", replay, "--hdr", hdr, "--arpk", arpk2),
                "another or a replayed request");
        assertError(run("attest", "verify", "-i", req, "--hdr", hdr, "--arpk", arpk), "not a result");
        assertThat(ex.isResponse()).isTrue();
    }

    @Test
    void badAttestInputsAreOneLine() throws Exception {
        Path junk = dir.resolve("junk.att");
        Files.write(junk, "not an exchange file at all, not at all, not at all, not at all!".getBytes());
        assertError(run("attest", "verify", "-i", junk, "--hdr", hdr, "--arpk", junk), "'pvattest' magic");
        assertError(run("attest", "create", "-k", hkd, "--no-verify", "-o", dir.resolve("a"), "--arpk",
                dir.resolve("b"), "--add-data", "nonsense"), "--add-data: unknown kind 'nonsense'");
    }
}
