package org.pvsim.machine.uv;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongUnaryOperator;
import org.pvsim.machine.storage.Storage;
import org.pvsim.se.P521;
import org.pvsim.se.PageDigests;
import org.pvsim.se.SeHeader;
import org.pvsim.se.SeHeaderBuilder;
import org.pvsim.se.SeHeaderSecrets;
import org.pvsim.se.Tweak;
import org.pvsim.se.Xts;

/**
 * Builds SE images the way the customer's tooling does (reference se-image-format §2), with the
 * {@code org.pvsim.se} API, straight into host storage: every component page is XTS-encrypted with
 * tweak = prefix ‖ offset and written where the guest page lives, the digests go into the header.
 * Plaintext pages are a deterministic function of their guest address, so tests can check them.
 */
public final class TestImages {
    public static final long PSW_MASK = 0x0000000180000000L;

    /** A component: its first guest address, its tweak prefix (8 bytes) and its page count. */
    public record Component(long gaddr, long prefix, int pages) {
    }

    public record Image(SeHeader header, SeHeaderSecrets secrets, List<Component> components) {
        public byte[] headerBytes() {
            return header.bytes();
        }

        public long pages() {
            return components.stream().mapToLong(Component::pages).sum();
        }
    }

    private TestImages() {
    }

    /** The plaintext of the image page at gaddr. */
    public static byte[] plainPage(long gaddr) {
        byte[] p = new byte[4096];
        SplittableRandom r = new SplittableRandom(gaddr * 0x9E3779B97F4A7C15L + 17);
        for (int i = 0; i < 4096; i += 8) {
            long v = r.nextLong();
            for (int j = 0; j < 8; j++) {
                p[i + j] = (byte) (v >>> (56 - 8 * j));
            }
        }
        return p;
    }

    /** Components of {@code pagesEach} pages at 0x10000, 0x10000 + 1 MiB, ... with C-tool prefixes 0, 1, 2. */
    public static List<Component> components(int count, int pagesEach) {
        List<Component> out = new ArrayList<>();
        SecureRandom rnd = new SecureRandom();
        long span = ((pagesEach * 4096L + (1 << 20) - 1) >> 20) << 20;
        for (int i = 0; i < count; i++) {
            byte[] r6 = new byte[6];
            rnd.nextBytes(r6);
            out.add(new Component(0x10000 + i * span, Tweak.prefix(i, r6), pagesEach));
        }
        return out;
    }

    public static Image build(Storage storage, LongUnaryOperator hostOf, List<ECPublicKey> hostKeys, long pcf,
            List<Component> components) {
        return build(storage, hostOf, hostKeys, pcf, 0, components);
    }

    /** An image with secret control flags {@code scf} (e.g. the CCK extension-secret bit). */
    public static Image build(Storage storage, LongUnaryOperator hostOf, List<ECPublicKey> hostKeys, long pcf,
            long scf, List<Component> components) {
        return build(storage, hostOf, hostKeys, pcf, scf, components, TestImages::plainPage,
                components.get(components.size() - 1).gaddr());
    }

    /** An image whose page at gaddr holds {@code plain(gaddr)} and whose guest starts at {@code pswAddress}. */
    public static Image build(Storage storage, LongUnaryOperator hostOf, List<ECPublicKey> hostKeys, long pcf,
            List<Component> components, java.util.function.LongFunction<byte[]> plainOf, long pswAddress) {
        return build(storage, hostOf, hostKeys, pcf, 0, components, plainOf, pswAddress);
    }

    private static Image build(Storage storage, LongUnaryOperator hostOf, List<ECPublicKey> hostKeys, long pcf,
            long scf, List<Component> components, java.util.function.LongFunction<byte[]> plainOf, long pswAddress) {
        SecureRandom rnd = new SecureRandom();
        byte[] xtsKey = new byte[64];
        byte[] cck = new byte[32];
        byte[] headerKey = new byte[32];
        byte[] iv = new byte[12];
        rnd.nextBytes(xtsKey);
        rnd.nextBytes(cck);
        rnd.nextBytes(headerKey);
        rnd.nextBytes(iv);
        Xts xts = new Xts(xtsKey);
        PageDigests digests = new PageDigests();
        byte[] enc = new byte[4096];
        boolean encrypt = (pcf & (1L << (63 - 35))) == 0;
        for (Component c : components) {
            for (int p = 0; p < c.pages(); p++) {
                long g = c.gaddr() + p * 4096L;
                byte[] tweak = Tweak.of(c.prefix(), p * 4096L);
                byte[] plain = plainOf.apply(g);
                if (encrypt) {
                    xts.encryptPage(plain, 0, enc, 0, tweak);
                } else {
                    System.arraycopy(plain, 0, enc, 0, 4096);
                }
                digests.update(g, tweak, enc, 0);
                storage.write(hostOf.applyAsLong(g), enc, 0, 4096, Storage.HOST);
            }
        }
        SeHeaderSecrets secrets = new SeHeaderSecrets(cck, xtsKey, PSW_MASK, pswAddress, scf, 0);
        KeyPair customer = P521.generate(rnd);
        SeHeader header = new SeHeaderBuilder(hostKeys, customer, headerKey, iv, digests.pages(), pcf,
                digests.pld(), digests.ald(), digests.tld(), secrets).build();
        return new Image(header, secrets, components);
    }
}
