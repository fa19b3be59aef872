package org.pvsim.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pvsim.se.Be;
import org.pvsim.se.ComponentVerifier;
import org.pvsim.se.HeaderCrypto;
import org.pvsim.se.SeHeader;
import org.pvsim.se.SeHeaderSecrets;
import org.pvsim.se.SeVerificationException;
import org.pvsim.se.SeVerificationException.Failure;
import org.pvsim.se.Tweak;
import org.pvsim.se.Xts;

class ImageRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void createThenVerifyWithEachHostKey() throws IOException {
        Path kernel = TestImages.kernel(dir, 0x23456, 1);
        Path ramdisk = TestImages.file(dir, "initrd", new byte[] {1, 2, 3});
        Path parm = TestImages.file(dir, "parm", "root=/dev/vda console=ttysclp0".getBytes());
        Path out = dir.resolve("se.img");
        var res = TestImages.build(TestImages.spec(kernel, ramdisk, parm, List.of(TestImages.HOST, TestImages.OTHER_HOST)), out);

        for (var host : List.of(TestImages.HOST, TestImages.OTHER_HOST)) {
            var v = SeImageVerifier.verify(out, (ECPrivateKey) host.getPrivate());
            assertThat(v.components().pages()).isEqualTo(res.header().nep());
            assertThat(v.secrets().pswAddress()).isEqualTo(res.components().get(3).address());
        }
        SeImage img = SeImageReader.read(out);
        assertThat(img.layout()).isEqualTo(SeImage.Layout.PVIMG);
        assertThat(img.headerAddress()).isEqualTo(0x14000);
        assertThat(img.header().nks()).isEqualTo(2);
        assertThat(img.header().size()).isEqualTo(720);
        assertThat(img.components()).extracting(SeImage.Component::kind).containsExactly(
                ComponentKind.KERNEL, ComponentKind.RAMDISK, ComponentKind.CMDLINE, ComponentKind.STAGE3B);
        assertThat(img.header().pcf()).isEqualTo(0xE0);
        // kernel 0x23456 -> 0x24000 at 0x15000; ramdisk 1 page; cmdline 1 page; stage3b 2 pages; IPIB after
        assertThat(img.components()).extracting(SeImage.Component::address)
                .containsExactly(0x15000L, 0x39000L, 0x3A000L, 0x3B000L);
        assertThat(img.ipibAddress()).isEqualTo(0x3D000L);
        assertThat(Files.size(out)).isEqualTo(0x3D000L + 8 + 128 + 24 * 4);
        assertThat(img.header().nep()).isEqualTo(0x24 + 1 + 1 + 2);
    }

    @Test
    void fixedPartsOfTheLayout() throws IOException {
        Path out = dir.resolve("se.img");
        Path parm = TestImages.file(dir, "parm", "quiet\0".getBytes());
        var res = TestImages.build(TestImages.spec(TestImages.kernel(dir, 0x11000, 2), null, parm, List.of(TestImages.HOST)), out);
        byte[] img = Files.readAllBytes(out);
        assertThat(Be.getLong(img, 0)).isEqualTo(0x0008000180011000L);
        assertThat(new String(img, 0xC000, 8)).isEqualTo("SeImgLnx");
        assertThat(Be.getLong(img, 0xC008)).isEqualTo(0x14000L);
        assertThat(Be.getInt(img, 0xC010)).isEqualTo(1);
        assertThat(Be.getLong(img, 0xC014)).isEqualTo(res.ipibAddress());
        assertThat(new String(img, 0x14000, 8)).isEqualTo("IBMSecEx");

        // stage3a args: relative to their own address (0x10000 + 0x2000 - 24)
        long args = 0x10000 + 0x2000 - 24;
        assertThat(Be.getLong(img, (int) args)).isEqualTo(0x14000 - args);
        assertThat(Be.getLong(img, (int) args + 8)).isEqualTo(640);
        assertThat(Be.getLong(img, (int) args + 16)).isEqualTo(res.ipibAddress() - args);
        // stage3a outside its args is the loader as given
        byte[] s3a = TestImages.fakeBoot().stage3a();
        assertThat(java.util.Arrays.equals(img, 0x10000, (int) args, s3a, 0, 0x2000 - 24)).isTrue();

        // IPIB (Rust layout)
        int ip = (int) res.ipibAddress();
        assertThat(Be.getInt(img, ip)).isEqualTo(8 + 128 + 24 * 3);
        assertThat(img[ip + 7]).isEqualTo((byte) 1);
        assertThat(Be.getInt(img, ip + 8)).isEqualTo(128 + 24 * 3);
        assertThat(img[ip + 12]).isEqualTo((byte) 5);
        assertThat(img[ip + 111]).isEqualTo((byte) 1);
        assertThat(Be.getInt(img, ip + 116)).isEqualTo(3);
        assertThat(Be.getLong(img, ip + 120)).isEqualTo(0x14000L);
        assertThat(Be.getLong(img, ip + 128)).isEqualTo(640L);
        assertThat(Tweak.componentType(Be.getLong(img, ip + 136))).isEqualTo(40);
        assertThat(Tweak.componentType(Be.getLong(img, ip + 160))).isEqualTo(60);
        assertThat(Tweak.componentType(Be.getLong(img, ip + 184))).isEqualTo(70);

        // Decrypt stage3b and check its args; cmdline already ended in NUL so it is kept as is (6 bytes)
        SeHeaderSecrets s = HeaderCrypto.open(res.header(), (ECPrivateKey) TestImages.HOST.getPrivate());
        assertThat(s.pswMask()).isEqualTo(0x0000000180000000L);
        var stage3b = res.components().get(2);
        byte[] plain = new byte[0x2000];
        Xts xts = new Xts(s.xtsKey());
        for (int p = 0; p < 0x2000; p += 4096) {
            xts.decryptPage(img, (int) stage3b.address() + p, plain, p, Tweak.of(stage3b.tweakPrefix(), p));
        }
        int a = 0x1800 - 64;
        assertThat(Be.getLong(plain, a)).isEqualTo(0x15000L);
        assertThat(Be.getLong(plain, a + 8)).isEqualTo(0x11000L);
        assertThat(Be.getLong(plain, a + 16)).isEqualTo(res.components().get(1).address());
        assertThat(Be.getLong(plain, a + 24)).isEqualTo(6L);
        assertThat(Be.getLong(plain, a + 32)).isZero();
        assertThat(Be.getLong(plain, a + 40)).isZero();
        assertThat(Be.getLong(plain, a + 48)).isEqualTo(0x0000000180000000L);
        assertThat(Be.getLong(plain, a + 56)).isEqualTo(0x10000L);
        assertThat(java.util.Arrays.copyOfRange(plain, 0x1800, 0x2000)).containsOnly(0);
    }

    @Test
    void fixedRandomnessGivesFixedBytes() throws IOException {
        Path kernel = TestImages.kernel(dir, 0x30000, 3);
        Path parm = TestImages.file(dir, "parm", "a".getBytes());
        var spec = TestImages.spec(kernel, null, parm, List.of(TestImages.HOST));
        TestImages.build(spec, dir.resolve("a.img"));
        TestImages.build(spec, dir.resolve("b.img"));
        byte[] a = Files.readAllBytes(dir.resolve("a.img"));
        assertThat(a).isEqualTo(Files.readAllBytes(dir.resolve("b.img")));
        new SeImageBuilder(TestImages.fakeBoot(), ImageRandomness.fixed(TestImages.CUSTOMER, 2), null)
                .create(spec, dir.resolve("c.img"), false);
        assertThat(a).isNotEqualTo(Files.readAllBytes(dir.resolve("c.img")));
    }

    @Test
    void unencryptedImageKeepsPlainPagesAndStillVerifies() throws IOException {
        Path kernel = TestImages.kernel(dir, 0x12000, 4);
        var base = TestImages.spec(kernel, null, null, List.of(TestImages.HOST));
        var spec = new ImageSpec(base.kernel(), null, null, base.hostKeys(), ImageSpec.DEFAULT_PCF | ImageSpec.PCF_NO_ENCRYPTION,
                0, null, null, null, null, true);
        Path out = dir.resolve("plain.img");
        var res = TestImages.build(spec, out);
        byte[] img = Files.readAllBytes(out);
        byte[] k = Files.readAllBytes(kernel);
        assertThat(java.util.Arrays.equals(img, 0x15000, 0x15000 + k.length, k, 0, k.length)).isTrue();
        assertThat(res.header().pcf()).isEqualTo(0x100000E0L);
        SeImageVerifier.verify(out, (ECPrivateKey) TestImages.HOST.getPrivate());
    }

    @Test
    void givenKeysAreUsed() throws IOException {
        byte[] hdrKey = HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
        byte[] imgKey = new byte[64];
        imgKey[0] = 1;
        byte[] cck = new byte[32];
        cck[5] = 9;
        var base = TestImages.spec(TestImages.kernel(dir, 0x11000, 5), null, null, List.of(TestImages.HOST));
        var spec = new ImageSpec(base.kernel(), null, null, base.hostKeys(), ImageSpec.DEFAULT_PCF | ImageSpec.PCF_ALLOW_DUMP,
                ImageSpec.SCF_CCK_EXTENSION_SECRET, cck, hdrKey, imgKey, 0x12345000L, true);
        Path out = dir.resolve("keys.img");
        TestImages.build(spec, out);
        var v = SeImageVerifier.verifyWithHeaderKey(out, hdrKey);
        assertThat(v.secrets().xtsKey()).isEqualTo(imgKey);
        assertThat(v.secrets().cck()).isEqualTo(cck);
        assertThat(v.secrets().pswAddress()).isEqualTo(0x12345000L);
        assertThat(v.secrets().scf()).isEqualTo(0x4000000000000000L);
        assertThat(v.image().header().pcf()).isEqualTo(0x200000E0L);
        hdrKey[0] ^= 1;
        assertThatThrownBy(() -> SeImageVerifier.verifyWithHeaderKey(out, hdrKey))
                .isInstanceOfSatisfying(SeVerificationException.class, e -> assertThat(e.failure()).isEqualTo(Failure.HEADER_TAG));
    }

    @Test
    void unknownHostKeyHasNoSlot() throws IOException {
        Path out = dir.resolve("se.img");
        TestImages.build(TestImages.spec(TestImages.kernel(dir, 0x11000, 6), null, null, List.of(TestImages.HOST)), out);
        assertThatThrownBy(() -> SeImageVerifier.verify(out, (ECPrivateKey) TestImages.OTHER_HOST.getPrivate()))
                .isInstanceOfSatisfying(SeVerificationException.class, e -> assertThat(e.failure()).isEqualTo(Failure.NO_KEY_SLOT))
                .hasMessageContaining("no key slot");
    }

    @Test
    void headerSizeLimits() {
        assertThat(SeHeader.sizeFor(1)).isEqualTo(640);
        assertThat(SeHeader.sizeFor(95)).isEqualTo(8160);
        assertThatThrownBy(() -> org.pvsim.se.SeHeaderBuilder.checkKeyCount(96))
                .hasMessageContaining("8240 bytes").hasMessageContaining("8192");
    }

    @Test
    void componentVerifierNamesEachDigest() throws IOException {
        Path out = dir.resolve("se.img");
        var res = TestImages.build(TestImages.spec(TestImages.kernel(dir, 0x11000, 7), null, null, List.of(TestImages.HOST)), out);
        SeImage img = SeImageReader.read(out);
        SeHeaderSecrets s = HeaderCrypto.open(img.header(), (ECPrivateKey) TestImages.HOST.getPrivate());
        byte[] bytes = Files.readAllBytes(out);
        var comps = img.ipib().components();
        // drop the last component: page count
        assertThatThrownBy(() -> ComponentVerifier.verify(img.header(), s, comps.subList(0, 1),
                (a, d, o, l) -> System.arraycopy(bytes, (int) a, d, o, l), true, null))
                .isInstanceOfSatisfying(SeVerificationException.class, e -> assertThat(e.failure()).isEqualTo(Failure.PAGE_COUNT));
        // move a component by one page: ALD
        var moved = List.of(comps.get(0), new org.pvsim.se.Ipib.Component(comps.get(1).tweakPrefix(),
                comps.get(1).address() - 4096, comps.get(1).length()));
        assertThatThrownBy(() -> ComponentVerifier.verify(img.header(), s, moved,
                (a, d, o, l) -> System.arraycopy(bytes, (int) a, d, o, l), true, null))
                .isInstanceOfSatisfying(SeVerificationException.class, e -> assertThat(e.failure()).isEqualTo(Failure.ALD));
        // other tweak prefix: TLD
        var retweaked = List.of(comps.get(0), new org.pvsim.se.Ipib.Component(comps.get(1).tweakPrefix() ^ 1,
                comps.get(1).address(), comps.get(1).length()));
        assertThatThrownBy(() -> ComponentVerifier.verify(img.header(), s, retweaked,
                (a, d, o, l) -> System.arraycopy(bytes, (int) a, d, o, l), true, null))
                .isInstanceOfSatisfying(SeVerificationException.class, e -> assertThat(e.failure()).isEqualTo(Failure.TLD));
        assertThat(res.header().nep()).isEqualTo(0x11 + 2);
    }
}
