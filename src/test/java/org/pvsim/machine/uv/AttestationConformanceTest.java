package org.pvsim.machine.uv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pvsim.machine.uv.HostCallConformanceTest.expect;

import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pvsim.machine.uv.cb.Attest;
import org.pvsim.machine.uv.cb.UvCaller;
import org.pvsim.machine.uv.cb.UvcbHeader;
import org.pvsim.machine.uv.cb.UvCommand;
import org.pvsim.se.AttestationMeasurement;

/** RETR_ATTEST: every rc of kvm-unit-tests pv-attest in its order, then a real sealed request. */
class AttestationConformanceTest {
    static final long BLOCK = 0x800000;
    static final long ARCB = 0x801000;
    static final long MEAS = 0x803000;
    static final long ADD = 0x804000;
    VerifiedGuest vg;
    List<ECPublicKey> keys;

    @BeforeEach
    void guest() {
        vg = new VerifiedGuest(new UvFixture(), 0xe0);
        keys = UvFixture.IDENTITY.hostKeys().stream().map(HostKey::publicKey).toList();
    }

    Attest block(Arcb arcb, byte[] userData) {
        vg.guestWrite(ARCB, arcb.bytes());
        vg.guestWrite(MEAS, new byte[64]);
        vg.guestWrite(ADD, new byte[64]);
        byte[] ud = Arrays.copyOf(userData, 256);
        return Attest.of(ARCB, 0, userData.length, ud, 64, MEAS, null, 64, ADD);
    }

    UvCaller.Answer<Attest> call(Attest a) {
        return vg.guestCall(a, BLOCK);
    }

    Arcb minimal() { // kvm-unit-tests' request: one key slot, image PHKH, HMAC-SHA512
        return Arcb.seal(keys.subList(0, 1), Arcb.PAF_IMAGE_PHKH);
    }

    @Test
    void blockLengthMustBeExact() { // pv-attest 1
        Attest a = block(minimal(), new byte[0]);
        expect(call(a.withHeader(UvcbHeader.of(UvCommand.RETR_ATTEST).withLen(Attest.SIZE - 1))), 0x0005);
        expect(call(a.withHeader(UvcbHeader.of(UvCommand.RETR_ATTEST).withLen(Attest.SIZE + 1))), 0x0005);
    }

    @Test
    void eachFailureAloneInKvmUnitTestsOrder() { // pv-attest 2
        Arcb good = minimal();
        Attest a = block(good, new byte[0]);
        expect(call(new Attest(a.header(), ARCB, 0xff, 0, null, 64, MEAS, null, 32, ADD)), 0x0101);
        expect(call(new Attest(a.header(), ARCB, 0, 257, null, 64, MEAS, null, 32, ADD)), 0x0102);
        expect(call(new Attest(a.header(), (16L << 20) + 4096, 0, 0, null, 64, MEAS, null, 32, ADD)), 0x0103);
        vg.guestWrite(ARCB, good.with(8, 0, 4).bytes());
        expect(call(a), 0x0106);
        vg.guestWrite(ARCB, good.with(0xc, good.bytes().length + 1, 4).bytes());
        expect(call(a), 0x0107);
        vg.guestWrite(ARCB, good.with(0x27, 2, 1).bytes());
        expect(call(a), 0x0107);
        vg.guestWrite(ARCB, good.with(0x27, 0, 1).bytes());
        expect(call(a), 0x0108);
        vg.guestWrite(ARCB, good.with(0x2c, 80, 4).bytes());
        expect(call(a), 0x0109);
        vg.guestWrite(ARCB, good.with(0x2c, 17, 4).bytes());
        expect(call(a), 0x0109);
        long supported = vg.m.qui.suppAttPflags();
        assertThat(supported).isNotZero();
        vg.guestWrite(ARCB, good.with(0x30, ~supported, 8).bytes());
        expect(call(a), 0x010a);
        vg.guestWrite(ARCB, good.with(0x38, 0, 4).bytes());
        expect(call(a), 0x010b);
        Arcb foreign = Arcb.seal(List.of(HostKey.generate().publicKey()), Arcb.PAF_IMAGE_PHKH);
        vg.guestWrite(ARCB, foreign.bytes());
        expect(call(a), 0x010c); // well formed but not for this machine
        expect(call(new Attest(a.header(), ARCB, 0, 0, null, 0, MEAS, null, 32, ADD)), 0x010d);
        expect(call(new Attest(a.header(), ARCB, 0, 0, null, 64, MEAS, null, 0, ADD)), 0x010e);
    }

    @Test
    void outputBuffersBeyondTheGuest() { // 0x104/0x105 need a request the UV can unseal
        Attest a = block(minimal(), new byte[0]);
        expect(call(new Attest(a.header(), ARCB, 0, 0, null, 64, 16L << 20, null, 32, ADD)), 0x0104);
        expect(call(new Attest(a.header(), ARCB, 0, 0, null, 64, MEAS, null, 32, (16L << 20) - 16)), 0x0105);
    }

    @Test
    void aTamperedRequestCannotBeUnsealed() {
        Arcb good = minimal();
        byte[] b = good.bytes();
        b[b.length - 20] ^= 1;
        expect(call(block(new Arcb(b, good.measurementKey(), null), new byte[0])), 0x010c);
    }

    @Test
    void precedenceOfTheEarlyChecks() {
        Attest a = block(minimal().with(8, 0, 4).with(0x27, 0, 1), new byte[0]);
        expect(call(new Attest(a.header(), ARCB, 1, 300, null, 0, MEAS, null, 0, ADD)), 0x0101);
        expect(call(new Attest(a.header(), ARCB, 0, 300, null, 0, MEAS, null, 0, ADD)), 0x0102);
        expect(call(new Attest(a.header(), ARCB, 0, 0, null, 0, MEAS, null, 0, ADD)), 0x0106);
    }

    @Test
    void theMeasurementVerifiesAgainstTheExpectedImage() {
        long paf = Arcb.PAF_NONCE | Arcb.PAF_IMAGE_PHKH | Arcb.PAF_ATTEST_PHKH;
        Arcb arcb = Arcb.seal(keys, paf);
        byte[] user = "hello attestation".getBytes();
        var answer = call(block(arcb, user));
        expect(answer, 1);
        byte[] cuid = answer.cb().configUid();
        assertThat(cuid).isNotEqualTo(new byte[16]);
        assertThat(answer.cb().addDataLen()).isEqualTo(64);
        byte[] meas = vg.guestRead(MEAS, 64);
        byte[] add = vg.guestRead(ADD, 64);
        byte[] imagePhkh = Arrays.copyOf(add, 32);
        byte[] attestPhkh = Arrays.copyOfRange(add, 32, 64);
        // the image was sealed for both host keys; the UV used one of them, and says which
        assertThat(List.of(UvFixture.IDENTITY.hostKeys().get(0).hash(), UvFixture.IDENTITY.hostKeys().get(1).hash()))
                .anySatisfy(h -> assertThat(h).isEqualTo(imagePhkh))
                .anySatisfy(h -> assertThat(h).isEqualTo(attestPhkh));
        var hdr = vg.image.header();
        assertThat(AttestationMeasurement.verify(meas, arcb.measurementKey(), hdr.pld(), hdr.ald(), hdr.tld(),
                hdr.tag(), cuid, user, arcb.nonce(), add)).isTrue();
        // a verifier expecting another image (other tag) or other user data rejects it
        byte[] otherTag = hdr.tag();
        otherTag[0] ^= 1;
        assertThat(AttestationMeasurement.verify(meas, arcb.measurementKey(), hdr.pld(), hdr.ald(), hdr.tld(),
                otherTag, cuid, user, arcb.nonce(), add)).isFalse();
        assertThat(AttestationMeasurement.verify(meas, arcb.measurementKey(), hdr.pld(), hdr.ald(), hdr.tld(),
                hdr.tag(), cuid, "other".getBytes(), arcb.nonce(), add)).isFalse();
    }

    @Test
    void attestationIsAGuestCall() {
        expect(vg.m.call(Attest.of(ARCB, 0, 0, null, 64, MEAS, null, 32, ADD)), 0x0002);
    }
}
