package org.pvsim.machine.uv;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Semaphore;
import org.pvsim.se.PageDigests;

/**
 * Hashes unpacked pages into the PLD on a second thread, in order, while the calling CPU goes on
 * decrypting: the PLD is a full SHA-512 pass over the image and the biggest cost of UNPACK_IMG. A
 * bounded number of page copies are in flight; {@link #drain()} waits until every page is hashed
 * (VERIFY_IMG calls it before comparing). Address and tweak digests stay on the caller's thread.
 */
final class PldPipeline {
    private static final int IN_FLIGHT = 256;
    private final PageDigests digests;
    private final Semaphore slots = new Semaphore(IN_FLIGHT);
    private ExecutorService worker;

    PldPipeline(PageDigests digests) {
        this.digests = digests;
    }

    /** Queues a copy of the (encrypted) page for the PLD; hashes it at once on a single-CPU host. */
    void submit(byte[] page, int off) {
        if (Runtime.getRuntime().availableProcessors() < 2) {
            digests.updatePageBytes(page, off, 4096);
            return;
        }
        if (worker == null) {
            ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    r -> {
                        Thread t = new Thread(r, "uv-pld");
                        t.setDaemon(true);
                        return t;
                    });
            pool.allowCoreThreadTimeOut(true); // an image never verified must not pin a thread
            worker = pool;
        }
        byte[] copy = java.util.Arrays.copyOfRange(page, off, off + 4096);
        slots.acquireUninterruptibly();
        worker.execute(() -> {
            try {
                digests.updatePageBytes(copy, 0, 4096);
            } finally {
                slots.release();
            }
        });
    }

    /** Waits until every submitted page is in the PLD, then stops the worker. */
    void drain() {
        if (worker == null) {
            return;
        }
        slots.acquireUninterruptibly(IN_FLIGHT); // all tasks done: their releases happen-before this
        slots.release(IN_FLIGHT);
        worker.shutdown();
        worker = null;
    }

    /** Stops the worker without waiting (the configuration is going away). */
    void abandon() {
        if (worker != null) {
            worker.shutdownNow();
            worker = null;
        }
    }
}
