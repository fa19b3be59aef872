package org.pvsim.machine.uv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pvsim.machine.uv.HostCallConformanceTest.expect;
import static org.pvsim.machine.uv.cb.UvCommand.*;

import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.pvsim.machine.ProgramInterruption;
import org.pvsim.machine.storage.Storage;
import org.pvsim.machine.uv.cb.ConvertFromSecure;
import org.pvsim.machine.uv.cb.ConvertToSecure;
import org.pvsim.machine.uv.cb.Share;
import org.pvsim.machine.uv.cb.UvCaller;
import org.pvsim.machine.uv.cb.UvcbHeader;

/** Import, export, destroy, pin, unpin, unshare-all, and the guest's share/unshare. */
class StorageCallsConformanceTest {
    UvFixture m;
    UvFixture.Guest g;
    int domain;

    @BeforeEach
    void ready() {
        m = new UvFixture();
        m.init();
        g = m.createGuest(8L << 20);
        domain = m.storage.ownerOf(g.cgc().confBaseStorOrigin() >>> 12);
    }

    UvCaller.Answer<ConvertToSecure> imp(long gaddr) {
        return m.call(ConvertToSecure.of(CONV_TO_SEC_STOR, g.handle(), gaddr));
    }

    UvCaller.Answer<ConvertFromSecure> cfs(org.pvsim.machine.uv.cb.UvCommand cmd, long paddr) {
        return m.call(ConvertFromSecure.of(cmd, paddr));
    }

    long host(long gaddr) {
        return g.mem().host(gaddr);
    }

    static byte[] pattern(int seed) {
        byte[] b = new byte[4096];
        Arrays.fill(b, (byte) seed);
        b[7] = 42;
        return b;
    }

    /** Imports the page and writes {@code content} into it as the guest. */
    void guestPage(long gaddr, byte[] content) {
        expect(imp(gaddr), 1);
        m.storage.write(host(gaddr), content, 0, 4096, domain);
    }

    /** A guest UV call: the block in the guest's (secure) page at gaddr, issued from the guest's domain. */
    <T extends org.pvsim.machine.uv.cb.Uvcb> UvCaller.Answer<T> guestCall(T cb, long blockGaddr) {
        cb.write(m.storage, host(blockGaddr), domain);
        int cc = m.uv.call(blockGaddr, domain);
        @SuppressWarnings("unchecked")
        T back = (T) org.pvsim.machine.uv.cb.Uvcb.read(cb.getClass(), m.storage, host(blockGaddr), domain);
        return new UvCaller.Answer<>(cc, back);
    }

    static int pic(Runnable r) {
        try {
            r.run();
            return 0;
        } catch (ProgramInterruption e) {
            return e.code();
        }
    }

    @Nested
    class Import {
        @Test
        void failures() {
            expect(m.call(ConvertToSecure.of(CONV_TO_SEC_STOR, g.handle(), 0)
                    .withHeader(UvcbHeader.of(CONV_TO_SEC_STOR).withLen(0x20))), 0x0005);
            expect(m.call(ConvertToSecure.of(CONV_TO_SEC_STOR, g.handle() + 1, 0)), 0x0020);
            expect(imp(8L << 20), 0x0101);
            m.storage.writeLong(g.mem().asce() & ~0xfffL, 0x20, Storage.HOST); // segment 0 invalid
            expect(imp(0x3000), 0x010a);
        }

        @Test
        void aFrameOfAnotherOwnerIsRefused() {
            UvFixture.Guest other = m.createGuest(1L << 20);
            expect(m.call(ConvertToSecure.of(CONV_TO_SEC_STOR, other.handle(), 0)), 1);
            // the host maps our guest page 5 onto the other guest's secure frame, then onto UV storage
            long pt = m.storage.readLong(g.mem().asce() & ~0xfffL, Storage.HOST);
            m.storage.writeLong(pt + 5 * 8, other.mem().host(0), Storage.HOST);
            expect(imp(0x5000), 0x0108);
            m.storage.writeLong(pt + 5 * 8, UvFixture.INIT_ORIGIN, Storage.HOST);
            expect(imp(0x5000), 0x0108);
        }

        @Test
        void precedence() {
            expect(m.call(ConvertToSecure.of(CONV_TO_SEC_STOR, g.handle() + 1, 8L << 20)), 0x0020);
        }

        @Test
        void firstImportClearsThePageAndHidesIt() {
            m.storage.write(host(0x4000), pattern(0x55), 0, 4096, Storage.HOST);
            expect(imp(0x4000), 1);
            assertThat(m.stateOf(host(0x4000))).isEqualTo(Storage.STATE_SECURE);
            assertThat(m.storage.read(host(0x4000), 4096, domain)).containsOnly(0);
            assertThat(pic(() -> m.storage.readByte(host(0x4000), Storage.HOST))).isEqualTo(0x3d);
            expect(imp(0x4000), 1); // again: already secure, nothing changes
            assertThat(m.stateOf(host(0x4000))).isEqualTo(Storage.STATE_SECURE);
        }

        @Test
        void aGuestTouchingANonImportedPageGetsNonSecureStorageAccess() {
            assertThat(pic(() -> m.storage.readByte(host(0x6000), domain))).isEqualTo(0x3e);
        }
    }

    @Nested
    class Export {
        @Test
        void failures() {
            expect(cfs(CONV_FROM_SEC_STOR, m.storage.size()), 0x0101);
            expect(cfs(CONV_FROM_SEC_STOR, host(0x1000)), 0x0107);
            expect(cfs(CONV_FROM_SEC_STOR, UvFixture.INIT_ORIGIN), 0x0108);
            expect(cfs(CONV_FROM_SEC_STOR, g.cgc().confBaseStorOrigin()), 0x0108);
        }

        @Test
        void exportGivesTheHostCiphertextAndImportBringsThePlaintextBack() {
            byte[] secret = pattern(0x5a);
            guestPage(0x2000, secret);
            expect(cfs(CONV_FROM_SEC_STOR, host(0x2000) + 0x123), 1);
            assertThat(m.stateOf(host(0x2000))).isEqualTo(Storage.STATE_HOST);
            byte[] seen = m.storage.read(host(0x2000), 4096, Storage.HOST);
            assertThat(seen).isNotEqualTo(secret);
            assertThat(pic(() -> m.storage.readByte(host(0x2000), domain))).isEqualTo(0x3e);
            expect(imp(0x2000), 1);
            assertThat(m.storage.read(host(0x2000), 4096, domain)).isEqualTo(secret);
        }

        @Test
        void anExportedPageMayComeBackInAnotherFrame() {
            byte[] secret = pattern(0x11);
            guestPage(0x2000, secret);
            expect(cfs(CONV_FROM_SEC_STOR, host(0x2000)), 1);
            byte[] cipher = m.storage.read(host(0x2000), 4096, Storage.HOST);
            long newFrame = m.alloc(4096, 4096); // "swap in" elsewhere, remap the PTE
            m.storage.write(newFrame, cipher, 0, 4096, Storage.HOST);
            long pt = m.storage.readLong(g.mem().asce() & ~0xfffL, Storage.HOST);
            m.storage.writeLong(pt + 2 * 8, newFrame, Storage.HOST);
            expect(imp(0x2000), 1);
            assertThat(m.storage.read(newFrame, 4096, domain)).isEqualTo(secret);
        }

        @Test
        void anAlteredPageFailsItsImport() {
            guestPage(0x2000, pattern(0x22));
            expect(cfs(CONV_FROM_SEC_STOR, host(0x2000)), 1);
            int b = m.storage.readByte(host(0x2000) + 4000, Storage.HOST);
            m.storage.writeByte(host(0x2000) + 4000, b ^ 1, Storage.HOST);
            expect(imp(0x2000), 0x0104);
            assertThat(m.stateOf(host(0x2000))).isEqualTo(Storage.STATE_HOST);
            expect(imp(0x2000), 0x0104); // stays refused
            m.storage.writeByte(host(0x2000) + 4000, b, Storage.HOST);
            expect(imp(0x2000), 1);
            assertThat(m.storage.read(host(0x2000), 4096, domain)).isEqualTo(pattern(0x22));
        }

        @Test
        void swappedPagesFailBothImports() {
            guestPage(0x2000, pattern(1));
            guestPage(0x3000, pattern(2));
            expect(cfs(CONV_FROM_SEC_STOR, host(0x2000)), 1);
            expect(cfs(CONV_FROM_SEC_STOR, host(0x3000)), 1);
            byte[] a = m.storage.read(host(0x2000), 4096, Storage.HOST);
            byte[] b = m.storage.read(host(0x3000), 4096, Storage.HOST);
            m.storage.write(host(0x2000), b, 0, 4096, Storage.HOST);
            m.storage.write(host(0x3000), a, 0, 4096, Storage.HOST);
            expect(imp(0x2000), 0x0104);
            expect(imp(0x3000), 0x0104);
        }

        @Test
        void anOldVersionOfThePageCannotBeReplayed() {
            guestPage(0x2000, pattern(1));
            expect(cfs(CONV_FROM_SEC_STOR, host(0x2000)), 1);
            byte[] old = m.storage.read(host(0x2000), 4096, Storage.HOST);
            expect(imp(0x2000), 1);
            m.storage.write(host(0x2000), pattern(9), 0, 4096, domain);
            expect(cfs(CONV_FROM_SEC_STOR, host(0x2000)), 1);
            m.storage.write(host(0x2000), old, 0, 4096, Storage.HOST);
            expect(imp(0x2000), 0x0104);
        }
    }

    @Nested
    class DestroyPage {
        @Test
        void failures() {
            var a = cfs(DESTR_SEC_STOR, host(0x1000));
            expect(a, 0x0107);
            assertThat(a.rrc()).isEqualTo(0x000d);
            expect(cfs(DESTR_SEC_STOR, UvFixture.INIT_ORIGIN), 0x0108);
            expect(cfs(DESTR_SEC_STOR, -4096), 0x0101);
        }

        @Test
        void destroyClearsWithoutEncryptionAndTheNextImportStartsFresh() {
            guestPage(0x2000, pattern(0x33));
            expect(cfs(DESTR_SEC_STOR, host(0x2000)), 1);
            assertThat(m.stateOf(host(0x2000))).isEqualTo(Storage.STATE_HOST);
            assertThat(m.storage.read(host(0x2000), 4096, Storage.HOST)).containsOnly(0);
            expect(imp(0x2000), 1);
            assertThat(m.storage.read(host(0x2000), 4096, domain)).containsOnly(0);
        }

        @Test
        void aPageOfAConfigurationWithSecureCpusIsNotDestroyedButCanBeExported() {
            guestPage(0x2000, pattern(0x44));
            long cpu = m.createCpu(g.handle(), 0);
            expect(cfs(DESTR_SEC_STOR, host(0x2000)), 0x0103);
            assertThat(m.stateOf(host(0x2000))).isEqualTo(Storage.STATE_SECURE);
            assertThat(m.storage.read(host(0x2000), 4096, domain)).isEqualTo(pattern(0x44));
            expect(cfs(CONV_FROM_SEC_STOR, host(0x2000)), 1); // the kernel's fallback keeps the content
            expect(imp(0x2000), 1);
            assertThat(m.storage.read(host(0x2000), 4096, domain)).isEqualTo(pattern(0x44));
            expect(m.nodata(DESTROY_SEC_CPU, cpu), 1);
            expect(cfs(DESTR_SEC_STOR, host(0x2000)), 1); // the guest no longer runs: destroy is fine
            assertThat(m.stateOf(host(0x2000))).isEqualTo(Storage.STATE_HOST);
        }
    }

    @Nested
    class Sharing {
        long block = 0x1000;

        @BeforeEach
        void guestBlockPage() {
            expect(imp(block), 1);
        }

        UvCaller.Answer<Share> share(org.pvsim.machine.uv.cb.UvCommand cmd, long paddr) {
            return guestCall(Share.of(cmd, paddr), block);
        }

        @Test
        void shareChecks() { // uv-guest 4
            expect(guestCall(Share.of(SET_SHARED_ACCESS, 0x2000)
                    .withHeader(UvcbHeader.of(SET_SHARED_ACCESS).withLen(Share.SIZE - 8)), block), 0x0005);
            expect(guestCall(Share.of(REMOVE_SHARED_ACCESS, 0x2000)
                    .withHeader(UvcbHeader.of(REMOVE_SHARED_ACCESS).withLen(Share.SIZE - 8)), block), 0x0005);
            expect(share(SET_SHARED_ACCESS, (8L << 20) + 4096), 0x0101);
            expect(share(REMOVE_SHARED_ACCESS, (8L << 20) + 4096), 0x0101);
        }

        @Test
        void sharingANotYetImportedPageRaisesNonSecureStorageAccess() {
            assertThat(pic(() -> share(SET_SHARED_ACCESS, 0x7000))).isEqualTo(0x3e);
            expect(imp(0x7000), 1);
            expect(share(SET_SHARED_ACCESS, 0x7000), 1);
        }

        @Test
        void sharedPagesAreHostAccessibleAndUnsharingHidesThemAgain() { // uv-guest 4
            guestPage(0x2000, pattern(7));
            expect(share(SET_SHARED_ACCESS, 0x2000), 1);
            assertThat(m.stateOf(host(0x2000))).isEqualTo(Storage.STATE_SHARED);
            assertThat(m.storage.read(host(0x2000), 4096, Storage.HOST)).isEqualTo(pattern(7));
            m.storage.writeByte(host(0x2000), 0x99, Storage.HOST);
            assertThat(m.storage.readByte(host(0x2000), domain)).isEqualTo(0x99);
            expect(share(REMOVE_SHARED_ACCESS, 0x2000), 1);
            assertThat(pic(() -> m.storage.readByte(host(0x2000), Storage.HOST))).isEqualTo(0x3d);
        }

        @Test
        void guestCallsFromTheGuestAndHostCallsFromTheGuest() { // uv-guest 3
            var q = guestCall(org.pvsim.machine.uv.cb.QueryUvInfo.request(), block);
            expect(q, 1);
            assertThat(q.cb().installed(QUI)).isTrue();
            assertThat(q.cb().installed(SET_SHARED_ACCESS)).isTrue();
            assertThat(q.cb().installed(REMOVE_SHARED_ACCESS)).isTrue();
            assertThat(q.cb().installed(RETR_ATTEST)).isTrue();
            for (org.pvsim.machine.uv.cb.UvCommand c : org.pvsim.machine.uv.cb.UvCommand.values()) {
                if (!c.allowedFrom(false)) {
                    assertThat(q.cb().installed(c)).as(c.name()).isFalse();
                    expect(guestCall(org.pvsim.machine.uv.cb.RawUvcb.of(c.code(), c.size()), block), 0x0002);
                }
            }
            expect(guestCall(org.pvsim.machine.uv.cb.RawUvcb.of(0x4242, 8), block), 0x0002);
            expect(guestCall(org.pvsim.machine.uv.cb.QueryUvInfo.request(0xa0), block), 0x0005); // uv-guest 2
        }

        @Test
        void aGuestBlockInANonImportedPageFaults() {
            assertThat(pic(() -> m.uv.call(0x5000, domain))).isEqualTo(0x3e);
            assertThat(pic(() -> m.uv.call(8L << 20, domain))).isEqualTo(0x05);
        }

        @Test
        void pinAndUnpin() {
            guestPage(0x2000, pattern(3));
            expect(cfs(PIN_PAGE_SHARED, host(0x3000)), 0x0107); // not secure
            expect(cfs(PIN_PAGE_SHARED, host(0x2000)), 0x0102); // secure, not shared
            expect(share(SET_SHARED_ACCESS, 0x2000), 1);
            expect(cfs(PIN_PAGE_SHARED, host(0x2000)), 1);
            // a pinned page cannot be unshared without the host: notification interception
            assertThatThrownBy(() -> share(REMOVE_SHARED_ACCESS, 0x2000))
                    .isInstanceOfSatisfying(UvInterception.class, e -> {
                        assertThat(e.code()).isEqualTo(108);
                        assertThat(e.ipa()).isEqualTo(0xb9a4);
                        assertThat(Share.decode(e.sida()).paddr()).isEqualTo(0x2000);
                    });
            assertThat(m.stateOf(host(0x2000))).isEqualTo(Storage.STATE_SHARED);
            var unpin = m.call(ConvertToSecure.of(UNPIN_PAGE_SHARED, g.handle() + 1, 0x2000));
            expect(unpin, 0x0020);
            expect(m.call(ConvertToSecure.of(UNPIN_PAGE_SHARED, g.handle(), 0x3000)), 0x0102);
            expect(m.call(ConvertToSecure.of(UNPIN_PAGE_SHARED, g.handle(), 0x2000)), 1);
            assertThat(m.stateOf(host(0x2000))).isEqualTo(Storage.STATE_SECURE);
            expect(share(REMOVE_SHARED_ACCESS, 0x2000), 1); // the guest's retry
            assertThat(m.storage.read(host(0x2000), 4096, domain)).isEqualTo(pattern(3));
        }

        @Test
        void unshareAll() {
            guestPage(0x2000, pattern(3));
            guestPage(0x3000, pattern(4));
            expect(share(SET_SHARED_ACCESS, 0x2000), 1);
            expect(share(SET_SHARED_ACCESS, 0x3000), 1);
            expect(cfs(PIN_PAGE_SHARED, host(0x3000)), 1);
            expect(m.nodata(SET_UNSHARE_ALL, g.handle() + 1), 0x0020);
            expect(m.nodata(SET_UNSHARE_ALL, g.handle()), 1);
            assertThat(m.stateOf(host(0x2000))).isEqualTo(Storage.STATE_SECURE);
            assertThat(m.stateOf(host(0x3000))).isEqualTo(Storage.STATE_SECURE);
        }

        @Test
        void anExportedSharedPageComesBackShared() {
            guestPage(0x2000, pattern(5));
            expect(share(SET_SHARED_ACCESS, 0x2000), 1);
            expect(cfs(CONV_FROM_SEC_STOR, host(0x2000)), 1);
            expect(imp(0x2000), 1);
            assertThat(m.stateOf(host(0x2000))).isEqualTo(Storage.STATE_SHARED);
            assertThat(m.storage.read(host(0x2000), 4096, Storage.HOST)).isEqualTo(pattern(5));
        }
    }

    @Test
    void destroyingTheConfigurationReturnsEveryPageCleared() {
        guestPage(0x2000, pattern(1));
        guestPage(0x3000, pattern(2));
        expect(cfs(CONV_FROM_SEC_STOR, host(0x3000)), 1);
        expect(m.nodata(DESTROY_SEC_CONF, g.handle()), 1);
        assertThat(m.stateOf(host(0x2000))).isEqualTo(Storage.STATE_HOST);
        assertThat(m.storage.read(host(0x2000), 4096, Storage.HOST)).containsOnly(0);
    }
}
