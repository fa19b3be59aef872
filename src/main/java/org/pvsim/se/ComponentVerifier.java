package org.pvsim.se;

import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.pvsim.se.SeVerificationException.Failure;

/**
 * What the Ultravisor does with the components after SET_SEC_PARMS: decrypt every page with its tweak and
 * recompute nep, PLD, ALD and TLD against the header (reference §2.3). Streams in chunks: one thread reads and
 * decrypts while another hashes, so it runs at about the speed of SHA-512 and needs about 2 MiB of heap.
 * The per-page pieces ({@link Xts}, {@link Tweak}, {@link PageDigests}) work alone for page-by-page callers.
 */
public final class ComponentVerifier {
    private static final int CHUNK = 64 * Xts.PAGE_SIZE;
    private static final int BUFFERS = 8;

    /** Page count and digests recomputed over the components. */
    public record Result(long pages, byte[] pld, byte[] ald, byte[] tld) {
    }

    private ComponentVerifier() {
    }

    /**
     * Verifies the components against the header.
     *
     * @param decrypt false when the image is not encrypted (PCF bit 35): pages are hashed, not decrypted
     * @param sink    receives plaintext pages when decrypting; may be null
     * @throws SeVerificationException PAGE_COUNT, ALD, PLD or TLD, in that order of checking
     */
    public static Result verify(SeHeader hdr, SeHeaderSecrets secrets, List<Ipib.Component> components,
            PageSource source, boolean decrypt, PlaintextSink sink) {
        Result r = digest(secrets.xtsKey(), components, source, decrypt, sink);
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
    public static Result digest(byte[] xtsKey, List<Ipib.Component> components, PageSource source,
            boolean decrypt, PlaintextSink sink) {
        for (Ipib.Component c : components) {
            if (c.length() <= 0 || c.length() % Xts.PAGE_SIZE != 0 || c.address() % Xts.PAGE_SIZE != 0) {
                throw new SeFormatException(String.format("component at 0x%x with length 0x%x is not page aligned",
                        c.address(), c.length()));
            }
        }
        PageDigests digests = new PageDigests();
        Xts xts = decrypt ? new Xts(xtsKey) : null;
        byte[][] buffers = new byte[BUFFERS][CHUNK];
        @SuppressWarnings("unchecked")
        Future<?>[] pending = new Future<?>[BUFFERS];
        byte[] plain = new byte[Xts.PAGE_SIZE];
        byte[] tweak = new byte[16];
        ExecutorService hasher = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "se-pld-hasher");
            t.setDaemon(true);
            return t;
        });
        try {
            int slot = 0;
            for (Ipib.Component c : components) {
                for (long done = 0; done < c.length(); done += CHUNK) {
                    int len = (int) Math.min(CHUNK, c.length() - done);
                    await(pending[slot]);
                    byte[] buf = buffers[slot];
                    source.read(c.address() + done, buf, 0, len);
                    pending[slot] = hasher.submit(() -> digests.updatePageBytes(buf, 0, len));
                    for (int p = 0; p < len; p += Xts.PAGE_SIZE) {
                        Tweak.set(tweak, c.tweakPrefix(), done + p);
                        digests.updateAddressAndTweak(c.address() + done + p, tweak);
                        if (xts != null) {
                            xts.decryptPage(buf, p, plain, 0, tweak);
                            if (sink != null) {
                                sink.accept(c.address() + done + p, plain, 0);
                            }
                        } else if (sink != null) {
                            sink.accept(c.address() + done + p, buf, p);
                        }
                    }
                    slot = (slot + 1) % BUFFERS;
                }
            }
            for (Future<?> f : pending) {
                await(f);
            }
        } finally {
            hasher.shutdownNow();
            java.util.Arrays.fill(plain, (byte) 0);
        }
        return new Result(digests.pages(), digests.pld(), digests.ald(), digests.tld());
    }

    static void await(Future<?> f) {
        if (f == null) {
            return;
        }
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while hashing pages", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
