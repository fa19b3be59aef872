package org.pvsim.machine.uv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pvsim.machine.uv.HostCallConformanceTest.expect;
import static org.pvsim.machine.uv.cb.UvCommand.*;

import java.nio.ByteBuffer;
import java.security.interfaces.ECPublicKey;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.pvsim.machine.ProgramInterruption;
import org.pvsim.machine.storage.Storage;
import org.pvsim.machine.uv.cb.SetSecConfParams;
import org.pvsim.machine.uv.cb.UvCaller;
import org.pvsim.machine.uv.cb.Unpack;
import org.pvsim.machine.uv.cb.UvcbHeader;

/** SET_SEC_CONF_PARAMS, UNPACK_IMG, VERIFY_IMG and the load of the header PSW. */
class ImageCallsConformanceTest {
    static final long DEFAULT_PCF = 0xe0;
    UvFixture m;
    UvFixture.Guest g;
    TestImages.Image image;
    long hdrAddr;

    static List<ECPublicKey> hostKeys(MachineIdentity id) {
        return id.hostKeys().stream().map(HostKey::publicKey).toList();
    }

    @BeforeEach
    void ready() {
        m = new UvFixture();
        m.init();
        g = m.createGuest(16L << 20);
        image = build(DEFAULT_PCF, hostKeys(UvFixture.IDENTITY).subList(1, 2)); // the machine's second key
    }

    TestImages.Image build(long pcf, List<ECPublicKey> keys) {
        return TestImages.build(m.storage, g.mem()::host, keys, pcf, TestImages.components(3, 4));
    }

    UvCaller.Answer<SetSecConfParams> ssc(byte[] header) {
        hdrAddr = m.alloc(8192, 4096);
        m.storage.write(hdrAddr, header, 0, header.length, Storage.HOST);
        return m.call(SetSecConfParams.of(g.handle(), hdrAddr, header.length));
    }

    UvCaller.Answer<Unpack> unpack(long gaddr, long prefix, long offset) {
        return m.call(Unpack.of(g.handle(), gaddr, prefix, offset));
    }

    void unpackAll(TestImages.Image img) {
        for (TestImages.Component c : img.components()) {
            for (int p = 0; p < c.pages(); p++) {
                expect(unpack(c.gaddr() + p * 4096L, c.prefix(), p * 4096L), 1);
            }
        }
    }

    static void expectRrc(UvCaller.Answer<?> a, int rc, int rrc) {
        expect(a, rc);
        assertThat(a.rrc()).as("rrc of %s", a).isEqualTo(rrc);
    }

    static byte[] patched(byte[] h, int off, long value, int width) {
        byte[] b = h.clone();
        ByteBuffer bb = ByteBuffer.wrap(b);
        if (width == 8) {
            bb.putLong(off, value);
        } else {
            bb.putInt(off, (int) value);
        }
        return b;
    }

    @Nested
    class SetParams {
        @Test
        void badLength() {
            expect(m.call(SetSecConfParams.of(g.handle(), 0x1000, 640)
                    .withHeader(UvcbHeader.of(SET_SEC_CONF_PARAMS).withLen(SetSecConfParams.SIZE - 8))), 0x0005);
        }

        @Test
        void badHandle() { // uv-host 10
            expect(m.call(SetSecConfParams.of(g.handle() + 1, 0x1000, 640)), 0x0020);
        }

        @Test
        void headerBeyondStorage() { // uv-host 10
            expect(m.call(SetSecConfParams.of(g.handle(), m.storage.size() - 0x20, 640)), 0x0103);
            expect(m.call(SetSecConfParams.of(g.handle(), m.storage.size(), 640)), 0x0103);
        }

        @Test
        void hostileHeaderLengths() {
            expectRrc(m.call(SetSecConfParams.of(g.handle(), 0, 0xffffffff)), 0x010a, 0x0031);
            expectRrc(m.call(SetSecConfParams.of(g.handle(), 0x100000, 0)), 0x010a, 0x0031);
            expectRrc(m.call(SetSecConfParams.of(g.handle(), 0x100000, 8193)), 0x010a, 0x0031);
        }

        @Test
        void headerInSecureStorage() {
            expect(m.call(SetSecConfParams.of(g.handle(), UvFixture.INIT_ORIGIN, 640)), 0x0103);
        }

        @Test
        void notForThisHost() { // stage3a.c SSC_HOSTKEY_HASH_ERR / HOSTKEY_MISMATCH
            TestImages.Image other = build(DEFAULT_PCF, List.of(HostKey.generate().publicKey()));
            expectRrc(ssc(other.headerBytes()), 0x0108, 0x0005);
        }

        @Test
        void wrongVersion() {
            expectRrc(ssc(patched(image.headerBytes(), 8, 0x200, 4)), 0x0104, 0x0001);
        }

        @Test
        void badMagic() {
            expectRrc(ssc(patched(image.headerBytes(), 0, 0x49424d5365634579L, 8)), 0x010a, 0x0041);
        }

        @Test
        void lengthMismatch() {
            byte[] h = image.headerBytes();
            hdrAddr = m.alloc(8192, 4096);
            m.storage.write(hdrAddr, h, 0, h.length, Storage.HOST);
            expectRrc(m.call(SetSecConfParams.of(g.handle(), hdrAddr, h.length + 16)), 0x010a, 0x0031);
        }

        @Test
        void noKeySlots() {
            expectRrc(ssc(patched(image.headerBytes(), 0x20, 0, 8)), 0x010a, 0x0040);
        }

        @Test
        void encryptedSizeInvalid() {
            expectRrc(ssc(patched(image.headerBytes(), 0x28, 0x90, 8)), 0x010a, 0x0039);
        }

        @Test
        void unsupportedPcf() {
            expectRrc(ssc(patched(image.headerBytes(), 0x38, DEFAULT_PCF | 1L << 40, 8)), 0x0106, 0x0030);
        }

        @Test
        void tamperedAuthenticatedField() {
            expectRrc(ssc(patched(image.headerBytes(), 0x30, image.header().nep() + 1, 8)), 0x010a, 0x0042);
        }

        @Test
        void tamperedEncryptedPart() {
            byte[] h = image.headerBytes();
            h[h.length - 40] ^= 1;
            expectRrc(ssc(h), 0x010a, 0x0042);
        }

        @Test
        void customerKeyNotOnTheCurve() {
            byte[] h = image.headerBytes();
            h[0x40 + 79] ^= 1;
            var a = ssc(h);
            expectRrc(a, 0x0108, 0x000b);
        }

        @Test
        void precedenceVersionOverPcfOverHostKey() {
            TestImages.Image other = build(DEFAULT_PCF, List.of(HostKey.generate().publicKey()));
            byte[] h = patched(patched(other.headerBytes(), 0x38, 1, 8), 8, 0x200, 4);
            expectRrc(ssc(h), 0x0104, 0x0001);
            expectRrc(ssc(patched(other.headerBytes(), 0x38, 1, 8)), 0x0106, 0x0030);
        }

        @Test
        void successAndOnlyOnce() {
            expect(ssc(image.headerBytes()), 1);
            expect(ssc(image.headerBytes()), 0x0003);
        }
    }

    @Nested
    class UnpackAndVerify {
        @BeforeEach
        void params() {
            expect(ssc(image.headerBytes()), 1);
        }

        @Test
        void unpackBeforeParamsIsInvalidState() {
            UvFixture.Guest g2 = m.createGuest(4L << 20);
            expect(m.call(Unpack.of(g2.handle(), 0x10000, 0, 0)), 0x0003);
            expect(m.nodata(VERIFY_IMG, g2.handle()), 0x0003);
        }

        @Test
        void unpackChecks() {
            TestImages.Component c = image.components().get(0);
            expect(m.call(Unpack.of(g.handle() + 1, c.gaddr(), c.prefix(), 0)), 0x0020);
            expect(m.call(Unpack.of(g.handle(), 16L << 20, c.prefix(), 0)), 0x0101);
            expect(m.call(Unpack.of(g.handle(), -4096, c.prefix(), 0)), 0x0101);
        }

        @Test
        void unpackOfAnUnmappedPage() {
            m.storage.writeLong(g.mem().asce() & ~0xfffL, 0x20, Storage.HOST); // invalidate segment 0
            TestImages.Component c = image.components().get(0);
            expect(unpack(c.gaddr(), c.prefix(), 0), 0x010a);
        }

        @Test
        void unpackDecryptsInPlaceAndMakesThePageSecure() {
            TestImages.Component c = image.components().get(1);
            long host = g.mem().host(c.gaddr());
            byte[] cipher = m.storage.read(host, 4096, Storage.HOST);
            assertThat(cipher).isNotEqualTo(TestImages.plainPage(c.gaddr()));
            expect(unpack(c.gaddr(), c.prefix(), 0), 1);
            assertThat(m.stateOf(host)).isEqualTo(Storage.STATE_SECURE);
            assertThatThrownBy(() -> m.storage.readLong(host, Storage.HOST))
                    .isInstanceOfSatisfying(ProgramInterruption.class, e -> assertThat(e.code()).isEqualTo(0x3d));
            int domain = m.storage.ownerOf(host >>> 12);
            assertThat(m.storage.read(host, 4096, domain)).isEqualTo(TestImages.plainPage(c.gaddr()));
            expect(unpack(c.gaddr(), c.prefix(), 0), 0x0107); // already secure
        }

        @Test
        void verifySucceedsAfterAFaithfulUnpack() {
            unpackAll(image);
            expect(m.nodata(VERIFY_IMG, g.handle()), 1);
            expect(m.nodata(VERIFY_IMG, g.handle()), 0x0003);
            expect(unpack(0x400000, 0, 0), 0x0003);
        }

        @Test
        void missingPageIsAPageCountMismatch() {
            TestImages.Component last = image.components().get(2);
            for (TestImages.Component c : image.components()) {
                for (int p = 0; p < c.pages(); p++) {
                    if (c != last || p != c.pages() - 1) {
                        expect(unpack(c.gaddr() + p * 4096L, c.prefix(), p * 4096L), 1);
                    }
                }
            }
            expectRrc(m.nodata(VERIFY_IMG, g.handle()), 0x0102, 0x001d);
        }

        @Test
        void pageAtTheWrongAddressIsAnAldMismatch() {
            // the host loads component 0's last page one page further: same count, other addresses
            TestImages.Component c0 = image.components().get(0);
            long wrong = c0.gaddr() + c0.pages() * 4096L;
            byte[] enc = m.storage.read(g.mem().host(c0.gaddr() + (c0.pages() - 1) * 4096L), 4096, Storage.HOST);
            m.storage.write(g.mem().host(wrong), enc, 0, 4096, Storage.HOST);
            for (TestImages.Component c : image.components()) {
                for (int p = 0; p < c.pages(); p++) {
                    long ga = c == c0 && p == c.pages() - 1 ? wrong : c.gaddr() + p * 4096L;
                    expect(unpack(ga, c.prefix(), p * 4096L), 1);
                }
            }
            expectRrc(m.nodata(VERIFY_IMG, g.handle()), 0x0102, 0x001a);
        }

        @Test
        void alteredCiphertextIsAPldMismatch() {
            TestImages.Component c = image.components().get(0);
            long host = g.mem().host(c.gaddr() + 4096);
            m.storage.writeByte(host + 100, m.storage.readByte(host + 100, Storage.HOST) ^ 0x80, Storage.HOST);
            unpackAll(image);
            expectRrc(m.nodata(VERIFY_IMG, g.handle()), 0x0102, 0x001b);
        }

        @Test
        void wrongTweakIsATldMismatch() {
            for (TestImages.Component c : image.components()) {
                for (int p = 0; p < c.pages(); p++) {
                    expect(unpack(c.gaddr() + p * 4096L, c.prefix() ^ (c == image.components().get(2) ? 1 : 0),
                            p * 4096L), 1);
                }
            }
            expectRrc(m.nodata(VERIFY_IMG, g.handle()), 0x0102, 0x001c);
        }

        @Test
        void verifyPrecedencePageCountFirst() {
            TestImages.Component c = image.components().get(0);
            expect(unpack(c.gaddr(), c.prefix() ^ 1, 0), 1); // wrong tweak and far too few pages
            expectRrc(m.nodata(VERIFY_IMG, g.handle()), 0x0102, 0x001d);
        }

        @Test
        void verifiedImageLoadsTheHeaderPsw() {
            unpackAll(image);
            long cpu = m.createCpu(g.handle(), 0);
            expect(m.setState(cpu, 5), 0x0003); // not verified yet
            expect(m.nodata(VERIFY_IMG, g.handle()), 1);
            expect(m.setState(cpu, 5), 1);
            SecureCpu sc = m.state.cpus.get(cpu);
            assertThat(sc.state).isEqualTo(SecureCpu.State.OPERATING_LOADED);
            assertThat(sc.pswMask).isEqualTo(TestImages.PSW_MASK);
            assertThat(sc.pswAddress).isEqualTo(image.components().get(2).gaddr());
        }

        @Test
        void everyUnpackedPageHoldsItsPlaintext() {
            unpackAll(image);
            int domain = m.storage.ownerOf(g.mem().host(0x10000) >>> 12);
            for (TestImages.Component c : image.components()) {
                for (int p = 0; p < c.pages(); p++) {
                    long ga = c.gaddr() + p * 4096L;
                    assertThat(m.storage.read(g.mem().host(ga), 4096, domain)).isEqualTo(TestImages.plainPage(ga));
                }
            }
        }
    }

    @Test
    void imageWithoutEncryptionIsOnlyDigested() {
        TestImages.Image plain = build(DEFAULT_PCF | 1L << (63 - 35), hostKeys(UvFixture.IDENTITY));
        expect(ssc(plain.headerBytes()), 1);
        unpackAll(plain);
        expect(m.nodata(VERIFY_IMG, g.handle()), 1);
        long ga = plain.components().get(0).gaddr();
        int domain = m.storage.ownerOf(g.mem().host(ga) >>> 12);
        assertThat(m.storage.read(g.mem().host(ga), 4096, domain)).isEqualTo(TestImages.plainPage(ga));
    }
}
