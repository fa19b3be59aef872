package org.pvsim.machine.uv;

import java.util.concurrent.locks.LockSupport;
import org.pvsim.se.PageDigests;

/**
 * Hashes unpacked pages into the PLD on a second thread, in order, while the calling CPU goes on
 * decrypting: the PLD is a full SHA-512 pass over the image and the biggest cost of UNPACK_IMG.
 *
 * <p>A single-producer single-consumer ring of page buffers: the UV call copies the ciphertext in
 * and goes on; the worker hashes in order. Both sides spin briefly instead of blocking, because a
 * futex wake-up per page costs as much as hashing the page. {@link #drain()} waits until every
 * submitted page is hashed (VERIFY_IMG calls it before comparing). The worker ends itself after a
 * second without work, so an image that is never verified holds no thread. Address and tweak
 * digests stay on the caller's thread. On a busy host everything stays on the caller's thread.
 *
 * <p>The first {@link #INLINE_PAGES} pages are hashed on the caller's thread: a small image (a kernel
 * unpacked page by page in a test, or one page in a lifecycle benchmark) would otherwise pay a thread
 * start and a 1 MiB ring for a few microseconds of hashing. The decision for a second thread (which
 * reads the load average) is taken only when an image grows past that.
 */
final class PldPipeline {
    private static final int DEPTH = 256; // 1 MiB of page buffers
    /** Pages hashed on the caller's thread before a second thread is considered (1 MiB). */
    static final int INLINE_PAGES = 256;
    private static final long IDLE_EXIT_NANOS = 1_000_000_000L;
    private final PageDigests digests;
    private long inlinePages;
    /** Whether this image's PLD goes to a second thread; decided after {@link #INLINE_PAGES} pages. */
    private boolean parallel;
    private byte[][] ring;
    private volatile long produced;
    private volatile long consumed;
    private boolean workerRunning;
    private volatile boolean abandoned;

    PldPipeline(PageDigests digests) {
        this.digests = digests;
    }

    /**
     * A second thread only pays when a CPU is free for it: with {@code -Dpvsim.uv.pldThread=true} or
     * {@code false} the caller decides (the benchmark measures both); otherwise it is used when the
     * host has more than one CPU and the system load leaves one idle.
     */
    static boolean useSecondThread() {
        String forced = System.getProperty("pvsim.uv.pldThread");
        if (forced != null) {
            return Boolean.parseBoolean(forced);
        }
        int cpus = Runtime.getRuntime().availableProcessors();
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return cpus > 1 && load >= 0 && load <= cpus - 1;
    }

    /** Queues a copy of the (encrypted) page for the PLD, or hashes it at once without a second thread. */
    void submit(byte[] page, int off) {
        if (inlinePages < INLINE_PAGES) {
            digests.updatePageBytes(page, off, 4096);
            if (++inlinePages == INLINE_PAGES) {
                parallel = useSecondThread();
            }
            return;
        }
        if (!parallel) {
            digests.updatePageBytes(page, off, 4096);
            return;
        }
        if (ring == null) {
            ring = new byte[DEPTH][4096];
        }
        long p = produced;
        for (int spins = 0; p - consumed >= DEPTH; spins++) {
            ensureWorker();
            pause(spins);
        }
        System.arraycopy(page, off, ring[(int) (p % DEPTH)], 0, 4096);
        produced = p + 1; // volatile write: publishes the copy to the worker
        ensureWorker();
    }

    /** Waits until every submitted page is in the PLD. */
    void drain() {
        for (int spins = 0; consumed < produced; spins++) {
            ensureWorker();
            pause(spins);
        }
    }

    /** The configuration is going away: the worker stops. */
    void abandon() {
        abandoned = true;
    }

    /** Whether a worker thread is alive for this image (for tests). */
    synchronized boolean workerRunning() {
        return workerRunning;
    }

    private synchronized void ensureWorker() {
        if (!workerRunning && !abandoned && consumed < produced) {
            workerRunning = true;
            Thread t = new Thread(this::work, "uv-pld");
            t.setDaemon(true);
            t.start();
        }
    }

    private void work() {
        long idleSince = System.nanoTime();
        int spins = 0;
        while (!abandoned) {
            long c = consumed;
            if (c < produced) {
                digests.updatePageBytes(ring[(int) (c % DEPTH)], 0, 4096);
                consumed = c + 1; // volatile write: frees the slot, publishes the digest state
                idleSince = System.nanoTime();
                spins = 0;
                continue;
            }
            if (System.nanoTime() - idleSince > IDLE_EXIT_NANOS) {
                synchronized (this) {
                    if (consumed == produced) {
                        workerRunning = false;
                        return;
                    }
                }
            }
            pause(spins++);
        }
        synchronized (this) {
            workerRunning = false;
        }
    }

    /** Spin first (the other side is a few microseconds away), then park for longer and longer (≤ 1 ms). */
    private static void pause(int spins) {
        if (spins < 2_000) {
            Thread.onSpinWait();
        } else {
            LockSupport.parkNanos(Math.min(1_000_000L, 10_000L << Math.min(7, (spins - 2_000) / 16)));
        }
    }
}
