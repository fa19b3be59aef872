package org.pvsim.se;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class SeHeaderTest {
    static final KeyPair HOST = P521.generate(new SecureRandom());
    static final KeyPair CUSTOMER = P521.generate(new SecureRandom());

    static SeHeader header(int slots) {
        List<ECPublicKey> hosts = new ArrayList<>();
        hosts.add((ECPublicKey) HOST.getPublic());
        for (int i = 1; i < slots; i++) {
            hosts.add((ECPublicKey) CUSTOMER.getPublic()); // any P-521 key will do for shape tests
        }
        byte[] d = new byte[64];
        Arrays.fill(d, (byte) 7);
        SeHeaderSecrets s = new SeHeaderSecrets(new byte[32], filled(64, 3), 0x0000000180000000L, 0x20000, 1, 0);
        return new SeHeaderBuilder(hosts, CUSTOMER, filled(32, 9), filled(12, 1), 42, 0xE0, d, d, d, s).build();
    }

    static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) v);
        return b;
    }

    @Test
    void layoutOfTheFields() {
        SeHeader h = header(2);
        byte[] b = h.bytes();
        assertThat(new String(b, 0, 8)).isEqualTo("IBMSecEx");
        assertThat(Be.getInt(b, 8)).isEqualTo(0x100);
        assertThat(Be.getInt(b, 12)).isEqualTo(720).isEqualTo(h.size());
        assertThat(h.iv()).isEqualTo(filled(12, 1));
        assertThat(Be.getInt(b, 0x1C)).isZero();
        assertThat(h.nks()).isEqualTo(2);
        assertThat(h.sea()).isEqualTo(0x80);
        assertThat(h.nep()).isEqualTo(42);
        assertThat(h.pcf()).isEqualTo(0xE0);
        assertThat(h.customerPublicKeyXY()).isEqualTo(P521.encodePublicKey((ECPublicKey) CUSTOMER.getPublic()));
        assertThat(h.keySlots().get(0).hostKeyHash()).isEqualTo(HostKeys.hostKeyHash((ECPublicKey) HOST.getPublic()));
        assertThat(h.aadSize()).isEqualTo(0x1A0 + 160);
        assertThat(h.bootTags()).hasSize(0xD0);
        assertThat(Arrays.copyOfRange(h.bootTags(), 192, 208)).isEqualTo(h.tag());
    }

    @Test
    void opensWithHostKeyAndHeaderKey() {
        SeHeader h = header(1);
        SeHeaderSecrets s = HeaderCrypto.open(h, (ECPrivateKey) HOST.getPrivate());
        assertThat(s.xtsKey()).isEqualTo(filled(64, 3));
        assertThat(s.pswAddress()).isEqualTo(0x20000);
        assertThat(s.scf()).isEqualTo(1);
        assertThat(HeaderCrypto.open(h, filled(32, 9))).isEqualTo(s);
        assertThat(HeaderCrypto.unwrapHeaderKey(h, (ECPrivateKey) HOST.getPrivate())).isEqualTo(filled(32, 9));
        assertThat(s.toString()).doesNotContain("030303");
    }

    @Test
    void shapeErrorsAreNamed() {
        byte[] b = header(1).bytes();
        assertThatThrownBy(() -> SeHeader.parse(Arrays.copyOf(b, 100))).hasMessageContaining("truncated");
        assertThatThrownBy(() -> SeHeader.parse(Arrays.copyOf(b, 639))).hasMessageContaining("says 640 bytes but 639");
        assertFormat(b, 0x08, 0x00000200, "version 0x200");
        assertFormat(b, 0x0C, 9000, "size field is 9000");
        byte[] nks = b.clone();
        Be.putLong(nks, 0x20, 0);
        assertThatThrownBy(() -> SeHeader.parse(nks)).isInstanceOf(SeFormatException.class).hasMessageContaining("nks");
        Be.putLong(nks, 0x20, 96);
        assertThatThrownBy(() -> SeHeader.parse(nks)).hasMessageContaining("must be 1 to 95");
        Be.putLong(nks, 0x20, 2);
        assertThatThrownBy(() -> SeHeader.parse(nks)).hasMessageContaining("does not match its parts");
        byte[] sea = b.clone();
        Be.putLong(sea, 0x28, 0x70);
        assertThatThrownBy(() -> SeHeader.parse(sea)).hasMessageContaining("sea");
        byte[] pad = b.clone();
        pad[0x40 + 3] = 1;
        assertThatThrownBy(() -> SeHeader.parse(pad)).hasMessageContaining("non-zero padding");
    }

    private static void assertFormat(byte[] b, int off, int value, String message) {
        byte[] c = b.clone();
        Be.putInt(c, off, value);
        assertThatThrownBy(() -> SeHeader.parse(c)).isInstanceOf(SeFormatException.class).hasMessageContaining(message);
    }

    @Test
    void ninetyFiveSlotsFitNinetySixDoNot() {
        assertThat(header(95).size()).isEqualTo(8160);
        assertThatThrownBy(() -> header(96)).hasMessageContaining("too many host keys: 96");
    }

    @Test
    void customerKeyOffTheCurveIsAVerificationFailure() {
        byte[] b = header(1).bytes();
        b[0x40 + 79] ^= 1; // last byte of X
        SeHeader h = SeHeader.parse(b);
        assertThatThrownBy(() -> HeaderCrypto.open(h, (ECPrivateKey) HOST.getPrivate()))
                .isInstanceOfSatisfying(SeVerificationException.class,
                        e -> assertThat(e.failure()).isEqualTo(SeVerificationException.Failure.CUSTOMER_KEY));
    }

    @Property(tries = 50)
    void xtsPagesRoundTrip(@ForAll @Size(64) byte[] key, @ForAll @Size(16) byte[] tweak,
            @ForAll @IntRange(min = 0, max = 255) int fill) {
        byte[] page = filled(4096, fill);
        page[17] ^= 0x5a;
        byte[] enc = new byte[4096];
        Xts x = new Xts(key);
        x.encryptPage(page, 0, enc, 0, tweak);
        assertThat(enc).isNotEqualTo(page);
        byte[] dec = new byte[4096];
        x.decryptPage(enc, 0, dec, 0, tweak);
        assertThat(dec).isEqualTo(page);
    }

    @Property(tries = 100)
    void ipibRoundTrips(@ForAll @Size(min = 1, max = 20) List<@IntRange(min = 0, max = 1 << 20) Integer> pages,
            @ForAll long prefix) {
        List<Ipib.Component> comps = new ArrayList<>();
        long addr = 0x15000;
        for (int p : pages) {
            comps.add(new Ipib.Component(prefix + p, addr, (p + 1L) * 4096));
            addr += (p + 1L) * 4096;
        }
        Ipib ipib = new Ipib(0x14000, 640, 1, comps);
        byte[] enc = ipib.encode();
        assertThat(enc).hasSize(136 + 24 * pages.size());
        assertThat(Ipib.parse(enc)).isEqualTo(ipib);
    }

    @Test
    void hostileIpibs() {
        byte[] b = new Ipib(0x14000, 640, 1, List.of(new Ipib.Component(1, 0x15000, 4096))).encode();
        byte[] n = b.clone();
        Be.putInt(n, 116, 100000);
        assertThatThrownBy(() -> Ipib.parse(n)).hasMessageContaining("declares 100000 components");
        byte[] len = b.clone();
        Be.putInt(len, 0, 0x7fffffff);
        assertThatThrownBy(() -> Ipib.parse(len)).hasMessageContaining("length field is 2147483647");
        byte[] pbt = b.clone();
        pbt[12] = 0;
        assertThatThrownBy(() -> Ipib.parse(pbt)).hasMessageContaining("type is 0, expected 5");
        assertThatThrownBy(() -> Ipib.parse(new byte[10])).hasMessageContaining("truncated");
    }
}
