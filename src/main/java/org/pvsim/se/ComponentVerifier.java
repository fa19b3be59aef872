package org.pvsim.se;

import java.security.MessageDigest;
import java.util.List;
import org.pvsim.se.SeVerificationException.Failure;

/**
 * What the Ultravisor does with the components after SET_SEC_PARMS: decrypt every page with its tweak and
 * recompute nep, PLD, ALD and TLD against the header (reference §2.3). Streams the pages through a
 * {@link PagePipeline}: this thread reads and decrypts while another hashes, so it runs at about the speed
 * of SHA-512 and needs about 4 MiB of heap.
 */
public final class ComponentVerifier {
    private ComponentVerifier() {
    }

    /**
     * Verifies the components against the header.
     *
     * @param decrypt false when the image is not encrypted (PCF bit 35): pages are hashed, not decrypted
     * @param sink    receives plaintext pages when decrypting; may be null
     * @throws SeVerificationException PAGE_COUNT, ALD, PLD or TLD, in that order of checking
     */
    public static PagePipeline.Digests verify(SeHeader hdr, SeHeaderSecrets secrets, List<Ipib.Component> components,
            PageSource source, boolean decrypt, PlaintextSink sink) {
        PagePipeline.Digests r = digest(secrets.xtsKey(), components, source, decrypt, sink);
        if (r.pages() != hdr.nep()) {
            throw new SeVerificationException(Failure.PAGE_COUNT, "page count mismatch: the components have "
                    + r.pages() + " pages, the SE header says nep = " + hdr.nep());
        }
        check(Failure.ALD, "ALD (address list digest)", hdr.ald(), r.ald());
        check(Failure.PLD, "PLD (page list digest)", hdr.pld(), r.pld());
        check(Failure.TLD, "TLD (tweak list digest)", hdr.tld(), r.tld());
        return r;
    }

    private static void check(Failure f, String what, byte[] expected, byte[] actual) {
        if (!MessageDigest.isEqual(expected, actual)) {
            throw new SeVerificationException(f, what + " mismatch: the components do not match the SE header");
        }
    }

    /** Decrypts (optionally) and digests all component pages, without comparing. */
    public static PagePipeline.Digests digest(byte[] xtsKey, List<Ipib.Component> components, PageSource source,
            boolean decrypt, PlaintextSink sink) {
        for (Ipib.Component c : components) {
            if (c.length() <= 0 || c.length() % Xts.PAGE_SIZE != 0 || c.address() % Xts.PAGE_SIZE != 0) {
                throw new SeFormatException(String.format("component at 0x%x with length 0x%x is not page aligned",
                        c.address(), c.length()));
            }
        }
        Xts xts = decrypt ? new Xts(xtsKey) : null;
        byte[] plain = new byte[Xts.PAGE_SIZE];
        try (PagePipeline pipeline = PagePipeline.streaming()) {
            for (Ipib.Component c : components) {
                pipeline.component(c, new PagePipeline.Chunks<RuntimeException>() {
                    @Override
                    public void fill(long offset, byte[] buf, int len) {
                        source.read(c.address() + offset, buf, 0, len);
                    }

                    @Override
                    public void page(long address, byte[] tweak16, byte[] buf, int off) {
                        if (xts != null) {
                            xts.decryptPage(buf, off, plain, 0, tweak16);
                            if (sink != null) {
                                sink.accept(address, plain, 0);
                            }
                        } else if (sink != null) {
                            sink.accept(address, buf, off);
                        }
                    }
                });
            }
            return pipeline.digests();
        } finally {
            java.util.Arrays.fill(plain, (byte) 0);
        }
    }
}
