package org.pvsim.machine.uv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pvsim.machine.uv.HostCallConformanceTest.expect;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pvsim.machine.uv.cb.GuestAddr;
import org.pvsim.machine.uv.cb.ListSecrets;
import org.pvsim.machine.uv.cb.NoData;
import org.pvsim.machine.uv.cb.RetrieveSecret;
import org.pvsim.machine.uv.cb.UvCaller;
import org.pvsim.machine.uv.cb.UvCommand;
import org.pvsim.se.AddSecretRequest;
import org.pvsim.se.GuestSecret;
import org.pvsim.se.SecretType;

/** ADD_SECRET, LIST_SECRETS, LOCK_SECRETS, RETR_SECRET from a verified guest, with real add-secret requests. */
class SecretCallsConformanceTest {
    static final long BLOCK = 0x800000;
    static final long REQ = 0x801000;
    static final long LIST = 0x80a000;
    static final long BUF = 0x80c000;
    static final SecureRandom RND = new SecureRandom();
    static final List<ECPublicKey> KEYS = UvFixture.IDENTITY.hostKeys().stream().map(HostKey::publicKey).toList();

    VerifiedGuest vg = new VerifiedGuest(new UvFixture(), 0xe0);

    byte[] request(GuestSecret s) {
        return AddSecretRequest.create(s, vg.image.header().bootTags(), 0, null, null, KEYS.subList(0, 1), RND);
    }

    UvCaller.Answer<GuestAddr> add(byte[] req) {
        vg.guestWrite(REQ, req);
        return vg.guestCall(GuestAddr.of(UvCommand.ADD_SECRET, REQ), BLOCK);
    }

    UvCaller.Answer<ListSecrets> list(int start) {
        vg.guestWrite(LIST, new byte[4096]);
        return vg.guestCall(ListSecrets.of(start, LIST), BLOCK);
    }

    UvCaller.Answer<RetrieveSecret> retrieve(int idx, int size) {
        vg.guestWrite(BUF, new byte[8192]);
        return vg.guestCall(RetrieveSecret.of(idx, size, BUF), BLOCK);
    }

    @Test
    void anAssociationSecretIsListedButNotRetrievable() {
        GuestSecret s = GuestSecret.association("my assoc", null, RND);
        expect(add(request(s)), 1);
        expect(list(0), 1);
        ByteBuffer page = ByteBuffer.wrap(vg.guestRead(LIST, 4096));
        assertThat(page.getShort(0)).isEqualTo((short) 1); // stored in this page
        assertThat(page.getShort(2)).isEqualTo((short) 1); // total
        assertThat(page.getShort(4)).isEqualTo((short) 0); // no next index
        assertThat(page.getShort(0x10)).isEqualTo((short) 0); // index
        assertThat(page.getShort(0x12)).isEqualTo((short) SecretType.ASSOCIATION.code());
        assertThat(page.getInt(0x14)).isEqualTo(32);
        assertThat(Arrays.copyOfRange(page.array(), 0x20, 0x40)).isEqualTo(GuestSecret.nameToId("my assoc"));
        expect(retrieve(0, 64), 0x0111);
        expect(add(request(s)), 0x010a); // same id again
    }

    @Test
    void retrievableSecretsComeBackPlainOrAsProtectedKeys() {
        byte[] aes = new byte[32];
        RND.nextBytes(aes);
        expect(add(request(GuestSecret.retrievable(SecretType.AES_256, "aes", aes))), 1);
        expect(add(request(GuestSecret.retrievable(SecretType.PLAIN, "text", "hello".getBytes()))), 1);
        expect(list(0), 1);
        ByteBuffer page = ByteBuffer.wrap(vg.guestRead(LIST, 4096));
        assertThat(page.getInt(0x14)).isEqualTo(64); // protected AES-256: key ‖ 32-byte pattern
        assertThat(page.getInt(0x14 + 0x30)).isEqualTo(16); // u16 length ‖ "hello" ‖ padding
        expect(retrieve(0, 64), 1);
        byte[] prot = vg.guestRead(BUF, 64);
        assertThat(Arrays.copyOf(prot, 32)).isNotEqualTo(aes); // the guest never sees the clear key
        expect(retrieve(1, 16), 1);
        assertThat(vg.guestRead(BUF, 16)).isEqualTo(Arrays.copyOf(new byte[] {0, 5, 'h', 'e', 'l', 'l', 'o'}, 16));
        expect(retrieve(0, 63), 0x0109);
        expect(retrieve(2, 64), 0x0110);
    }

    @Test
    void retrieveFromAnEmptyStore() {
        expect(retrieve(0, 64), 0x010f);
    }

    @Test
    void aRequestForAnotherHostIsRefused() {
        byte[] req = AddSecretRequest.create(GuestSecret.association("x", null, RND), vg.image.header().bootTags(),
                0, null, null, List.of(HostKey.generate().publicKey()), RND);
        expect(add(req), 0x0105);
    }

    @Test
    void aRequestForAnotherImageIsRefused() {
        byte[] tags = vg.image.header().bootTags();
        tags[0xc0] ^= 1; // another SE-header tag
        expect(add(AddSecretRequest.create(GuestSecret.association("x", null, RND), tags, 0, null, null, KEYS, RND)),
                0x0107);
    }

    @Test
    void aTamperedRequestDoesNotAuthenticate() {
        byte[] req = request(GuestSecret.association("x", null, RND));
        req[AddSecretRequest.OFF_USER_DATA] ^= 1; // authenticated data
        expect(add(req), 0x0106);
        req = request(GuestSecret.association("x", null, RND));
        req[req.length - 1] ^= 1; // the tag
        expect(add(req), 0x0106);
    }

    @Test
    void malformedRequestsInTheirOrder() {
        byte[] good = request(GuestSecret.association("x", null, RND));
        byte[] b = good.clone();
        b[0] = 'b';
        expect(add(b), 0x0103);
        b = good.clone();
        b[0x0b] = 0; // version 0x0100 → 0x0000
        b[0x0a] = 0;
        expect(add(b), 0x0103);
        b = good.clone();
        b[AddSecretRequest.OFF_NKS] = 2;
        expect(add(b), 0x0104);
        expect(vg.guestCall(GuestAddr.of(UvCommand.ADD_SECRET, (16L << 20) - 8), BLOCK), 0x0101);
    }

    @Test
    void aRequestForAnotherConfigurationIsRefused() {
        byte[] cuid = new byte[16];
        cuid[15] = 1;
        byte[] req = AddSecretRequest.create(GuestSecret.association("x", null, RND), vg.image.header().bootTags(),
                0, cuid, null, KEYS, RND);
        expect(add(req), 0x0108);
    }

    @Test
    void theLockIsFinal() {
        expect(vg.guestCall(NoData.of(UvCommand.LOCK_SECRETS, 0), BLOCK), 1);
        expect(vg.guestCall(NoData.of(UvCommand.LOCK_SECRETS, 0), BLOCK), 0x0101);
        expect(add(request(GuestSecret.association("late", null, RND))), 0x0102);
    }

    @Test
    void aMetaRequestCanDisableDumping() {
        VerifiedGuest dumpable = new VerifiedGuest(new UvFixture(), 0xe0 | HostCalls.bit(34));
        vg = dumpable;
        byte[] req = AddSecretRequest.create(GuestSecret.meta(), vg.image.header().bootTags(),
                AddSecretRequest.FLAG_DISABLE_DUMP, null, null, KEYS, RND);
        expect(add(req), 1);
        expect(list(0), 1);
        assertThat(ByteBuffer.wrap(vg.guestRead(LIST, 4)).getShort(2)).isZero(); // meta stores nothing
        expect(vg.m.nodata(UvCommand.DUMP_INIT, vg.g.handle()), 0x0102);
    }

    @Test
    void theCckExtensionSecretIsEnforcedWhenTheImageAsksForIt() {
        vg = new VerifiedGuest(new UvFixture(), 0xe0, SecretCalls.SCF_CCK_EXTENSION);
        byte[] tags = vg.image.header().bootTags();
        GuestSecret s = GuestSecret.association("x", null, RND);
        expect(add(AddSecretRequest.create(s, tags, 0, null, null, KEYS, RND)), 0x0109);
        byte[] ext = AddSecretRequest.derivedExtensionSecret(vg.image.secrets().cck(), vg.image.header().tag());
        expect(add(AddSecretRequest.create(s, tags, 0, null, ext, KEYS, RND)), 1);
    }

    @Test
    void aLongListComesInPages() {
        for (int i = 0; i < 86; i++) {
            expect(add(request(GuestSecret.association("s" + i, null, RND))), 1);
        }
        expect(list(0), 0x0100);
        ByteBuffer page = ByteBuffer.wrap(vg.guestRead(LIST, 8));
        assertThat(page.getShort(0)).isEqualTo((short) 85);
        assertThat(page.getShort(2)).isEqualTo((short) 86);
        assertThat(page.getShort(4)).isEqualTo((short) 85);
        expect(list(85), 1);
        page = ByteBuffer.wrap(vg.guestRead(LIST, 0x20));
        assertThat(page.getShort(0)).isEqualTo((short) 1);
        assertThat(page.getShort(0x10)).isEqualTo((short) 85);
    }
}
