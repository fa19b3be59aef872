package org.pvsim.se;

import java.util.function.BooleanSupplier;

/**
 * The one way component pages become the header's digests (reference §2.3): image create, image verify
 * and the Ultravisor's UNPACK_IMG all feed their pages through it in component order. ALD and TLD are
 * cheap and stay on the caller's thread; the PLD is a full SHA-512 pass over the image, the costliest
 * step, so it goes to a second thread through a ring of chunk buffers ({@link PldRing}) while the caller
 * goes on encrypting, decrypting or writing.
 *
 * <p>Two ways in: {@link #component} streams a whole component in chunks that the caller fills in the
 * pipeline's own buffers (no copy), and {@link #add} takes one page at a time and copies it, for a caller
 * that changes the page right afterwards (the UV decrypts it in place). Not thread-safe: one caller.
 */
public final class PagePipeline implements AutoCloseable {
    private static final int PAGE = Xts.PAGE_SIZE;
    /** Chunk size of {@link #streaming()}: big enough that a hand-off per chunk costs nothing. */
    public static final int CHUNK = 64 * PAGE;
    /** Pages a {@link #pageByPage} pipeline hashes on the caller's thread before it considers a second one. */
    static final int INLINE_PAGES = 256;

    /** Page count and digests of the pages so far. */
    public record Digests(long pages, byte[] pld, byte[] ald, byte[] tld) {
    }

    /** What a caller does with each chunk of a component that {@link #component} streams. */
    public interface Chunks<E extends Exception> {
        /** Fills {@code buf[0, len)} with the component's bytes from {@code offset} on. */
        void fill(long offset, byte[] buf, int len) throws E;

        /** One page of the chunk, {@code buf[off, off+4096)}, at its guest address with its tweak: encrypt it in place, or read it. */
        void page(long address, byte[] tweak16, byte[] buf, int off) throws E;

        /** {@code buf[0, len)} now holds the chunk as the image holds it; it goes to the PLD when this returns. */
        default void ready(long offset, byte[] buf, int len) throws E {
        }
    }

    private final PageDigests digests = new PageDigests();
    private final byte[] tweak = new byte[16];
    private final String threadName;
    private final int slotBytes;
    private final int depth;
    private final long inlineBytes;
    private final BooleanSupplier secondThread;
    private long inlined;
    private boolean decided;
    /** Non-null once the PLD goes to a second thread. */
    private PldRing ring;
    private byte[] scratch;
    /** The ring slot {@link #add} is copying pages into, and how full it is. */
    private byte[] current;
    private int fill;

    private PagePipeline(String threadName, int slotBytes, int depth, long inlineBytes, BooleanSupplier secondThread) {
        this.threadName = threadName;
        this.slotBytes = slotBytes;
        this.depth = depth;
        this.inlineBytes = inlineBytes;
        this.secondThread = secondThread;
    }

    /**
     * For streaming a whole image: the PLD always on a second thread, 4 chunks (1 MiB) in flight. Each chunk is
     * over half a millisecond of SHA-512, enough slack for either side; every MiB more is a MiB more peak RSS.
     */
    public static PagePipeline streaming() {
        return new PagePipeline("se-pld", CHUNK, 4, 0, () -> true);
    }

    /**
     * For a caller that gets one page at a time. The first {@link #INLINE_PAGES} pages (1 MiB) are hashed on
     * the caller's thread: a small image would otherwise pay a thread start and a ring for a few microseconds
     * of hashing. Then {@code secondThread} decides, once, whether the rest goes to a second thread (1 MiB
     * in flight).
     */
    public static PagePipeline pageByPage(String threadName, BooleanSupplier secondThread) {
        return new PagePipeline(threadName, 16 * PAGE, 16, (long) INLINE_PAGES * PAGE, secondThread);
    }

    /** Adds one page: its address and tweak now, a copy of its bytes for the PLD. */
    public void add(long address, byte[] tweak16, byte[] page, int off) {
        digests.updateAddressAndTweak(address, tweak16);
        if (!parallel()) {
            hashHere(page, off, PAGE);
            return;
        }
        if (fill == 0) {
            current = ring.slot();
        }
        System.arraycopy(page, off, current, fill, PAGE);
        fill += PAGE;
        if (fill == current.length) {
            publishCurrent();
        }
    }

    /** Streams one component chunk by chunk: fill, each page, ready, then the chunk goes to the PLD. */
    public <E extends Exception> void component(Ipib.Component c, Chunks<E> chunks) throws E {
        if (c.length() % PAGE != 0) {
            throw new IllegalArgumentException("component length must be whole pages, got " + c.length());
        }
        for (long done = 0; done < c.length(); done += slotBytes) {
            int len = (int) Math.min(slotBytes, c.length() - done);
            byte[] buf = buffer();
            chunks.fill(done, buf, len);
            for (int off = 0; off < len; off += PAGE) {
                Tweak.set(tweak, c.tweakPrefix(), done + off);
                chunks.page(c.address() + done + off, tweak, buf, off);
                digests.updateAddressAndTweak(c.address() + done + off, tweak);
            }
            chunks.ready(done, buf, len);
            if (buf == scratch) {
                hashHere(buf, 0, len);
            } else {
                ring.publish(len);
            }
        }
    }

    /** Waits until every page so far is in the PLD and returns the digests; more pages may follow. */
    public Digests digests() {
        if (fill > 0) {
            publishCurrent();
        }
        if (ring != null) {
            ring.drain();
        }
        return new Digests(digests.pages(), digests.pld(), digests.ald(), digests.tld());
    }

    /** Stops the second thread, if any; the pipeline is not used again. */
    @Override
    public void close() {
        if (ring != null) {
            ring.close();
        }
    }

    /** Whether a second thread is hashing for this pipeline now (for tests). */
    boolean workerRunning() {
        return ring != null && ring.workerRunning();
    }

    private byte[] buffer() {
        if (fill != 0) {
            throw new IllegalStateException("add and component cannot be mixed within a chunk");
        }
        if (parallel()) {
            return ring.slot();
        }
        if (scratch == null) {
            scratch = new byte[slotBytes];
        }
        return scratch;
    }

    /** Whether the PLD goes to a second thread; decided once, when the inline part is done. */
    private boolean parallel() {
        if (!decided && inlined >= inlineBytes) {
            decided = true;
            if (secondThread.getAsBoolean()) {
                ring = new PldRing(digests, threadName, slotBytes, depth);
            }
        }
        return ring != null;
    }

    private void hashHere(byte[] b, int off, int len) {
        digests.updatePageBytes(b, off, len);
        inlined += len;
    }

    private void publishCurrent() {
        ring.publish(fill);
        fill = 0;
        current = null;
    }
}
