package org.pvsim.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pvsim.se.Be;
import org.pvsim.se.Ipib;
import org.pvsim.se.PageDigests;
import org.pvsim.se.SeFormatException;
import org.pvsim.se.SeHeader;
import org.pvsim.se.SeHeaderBuilder;
import org.pvsim.se.SeHeaderSecrets;
import org.pvsim.se.Tweak;
import org.pvsim.se.Xts;

/** The reader finds header and IPIB in the C genprotimg layout and in Rust images without metadata. */
class ReaderLayoutsTest {
    @TempDir
    Path dir;

    /**
     * A C genprotimg (v2.35) style image: IPIB at 0x13000 (length padded to a page, PV version 0, header
     * address 0), header at 0x14000, then kernel, cmdline, ramdisk, stage3b with tweak types 0, 1, 2, 3.
     */
    static byte[] genprotimgImage(byte[][] comps, byte[] xtsKey) {
        int[] types = {0, 1, 2, 3};
        long addr = 0x15000;
        List<Ipib.Component> ipibComps = new ArrayList<>();
        byte[] img = new byte[0x15000 + Arrays.stream(comps).mapToInt(c -> (int) ImageLayout.pageAlign(c.length)).sum()];
        Xts xts = new Xts(xtsKey);
        PageDigests d = new PageDigests();
        Random rnd = new Random(3);
        for (int i = 0; i < comps.length; i++) {
            byte[] r6 = new byte[6];
            rnd.nextBytes(r6);
            long prefix = Tweak.prefix(types[i], r6);
            int len = (int) ImageLayout.pageAlign(comps[i].length);
            System.arraycopy(comps[i], 0, img, (int) addr, comps[i].length);
            for (int p = 0; p < len; p += 4096) {
                byte[] t = Tweak.of(prefix, p);
                xts.encryptPage(img, (int) addr + p, img, (int) addr + p, t);
                d.update(addr + p, t, img, (int) addr + p);
            }
            ipibComps.add(new Ipib.Component(prefix, addr, len));
            addr += len;
        }
        SeHeaderSecrets s = new SeHeaderSecrets(new byte[32], xtsKey, ImageLayout.PSW_MASK_64,
                ipibComps.get(3).address(), 0, 0);
        SeHeader h = new SeHeaderBuilder(List.of((ECPublicKey) TestImages.HOST.getPublic()), TestImages.CUSTOMER,
                new byte[32], new byte[12], d.pages(), 0xE0, d.pld(), d.ald(), d.tld(), s).build();
        System.arraycopy(h.bytes(), 0, img, 0x14000, h.size());
        byte[] ipib = new Ipib(0, h.size(), 0, ipibComps).encode();
        Be.putInt(ipib, 0, 4096);
        System.arraycopy(ipib, 0, img, 0x13000, ipib.length);
        Be.putLong(img, 0, ImageLayout.SHORT_PSW);
        return img;
    }

    @Test
    void readsAndVerifiesTheGenprotimgLayout() throws Exception {
        byte[] key = new byte[64];
        new Random(1).nextBytes(key);
        byte[] kernel = new byte[0x12345];
        new Random(2).nextBytes(kernel);
        byte[] img = genprotimgImage(new byte[][] {kernel, "root=/dev/vda\0".getBytes(), new byte[100], new byte[0x1800]}, key);
        Path f = Files.write(dir.resolve("c.img"), img);
        SeImage si = SeImageReader.read(f);
        assertThat(si.layout()).isEqualTo(SeImage.Layout.GENPROTIMG);
        assertThat(si.metadata()).isNull();
        assertThat(si.ipibAddress()).isEqualTo(0x13000);
        assertThat(si.components()).extracting(SeImage.Component::kind).containsExactly(
                ComponentKind.KERNEL, ComponentKind.CMDLINE, ComponentKind.RAMDISK, ComponentKind.STAGE3B);
        var v = SeImageVerifier.verify(f, (ECPrivateKey) TestImages.HOST.getPrivate());
        assertThat(v.components().pages()).isEqualTo(0x13 + 1 + 1 + 2);
    }

    @Test
    void rustImageWithoutMetadataIsFoundByScanning() throws Exception {
        Path out = dir.resolve("r.img");
        TestImages.build(TestImages.spec(TestImages.kernel(dir, 0x11000, 4), null, null, List.of(TestImages.HOST)), out);
        byte[] img = Files.readAllBytes(out);
        long ipib = Be.getLong(img, 0xC014);
        Arrays.fill(img, 0xC000, 0xC000 + 28, (byte) 0);
        Path f = Files.write(dir.resolve("nometa.img"), img);
        SeImage si = SeImageReader.read(f);
        assertThat(si.layout()).isEqualTo(SeImage.Layout.PVIMG);
        assertThat(si.ipibAddress()).isEqualTo(ipib);
        SeImageVerifier.verify(f, (ECPrivateKey) TestImages.HOST.getPrivate());
    }

    @Test
    void headerOutsideTheSearchWindowIsNotFound() throws Exception {
        byte[] img = new byte[0x20000];
        System.arraycopy("IBMSecEx".getBytes(), 0, img, 0x19000, 8);
        assertThatThrownBy(() -> SeImageReader.read(img)).isInstanceOf(SeFormatException.class)
                .hasMessageContaining("no \"IBMSecEx\" header in the 4 pages from 0x14000");
    }

    @Test
    void metadataWithBadVersion() throws Exception {
        Path out = dir.resolve("r.img");
        TestImages.build(TestImages.spec(TestImages.kernel(dir, 0x11000, 4), null, null, List.of(TestImages.HOST)), out);
        byte[] img = Files.readAllBytes(out);
        Be.putInt(img, 0xC010, 7);
        assertThatThrownBy(() -> SeImageReader.read(img)).isInstanceOf(SeFormatException.class)
                .hasMessageContaining("metadata version 7");
    }
}
