package org.pvsim.machine.uv;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.pvsim.se.PageDigests;

/**
 * Hashes unpacked pages into the PLD on a second thread, in order, while the calling CPU goes on
 * decrypting: the PLD is a full SHA-512 pass over the image and the biggest cost of UNPACK_IMG.
 * Pages travel in a fixed set of reused buffers (no allocation per page); {@link #drain()} waits
 * until every submitted page is hashed (VERIFY_IMG calls it before comparing). The worker ends
 * itself after a second without work, so an image that is never verified holds no thread.
 * Address and tweak digests stay on the caller's thread.
 */
final class PldPipeline {
    private static final int DEPTH = 64;
    private final PageDigests digests;
    private final ArrayBlockingQueue<byte[]> free = new ArrayBlockingQueue<>(DEPTH);
    private final ArrayBlockingQueue<byte[]> full = new ArrayBlockingQueue<>(DEPTH);
    private final AtomicLong hashed = new AtomicLong();
    private final boolean parallel = Runtime.getRuntime().availableProcessors() > 1;
    private long submitted;
    private boolean workerRunning;
    private volatile boolean abandoned;

    PldPipeline(PageDigests digests) {
        this.digests = digests;
    }

    /** Queues a copy of the (encrypted) page for the PLD; hashes it at once on a single-CPU host. */
    void submit(byte[] page, int off) {
        if (!parallel) {
            digests.updatePageBytes(page, off, 4096);
            return;
        }
        byte[] buf = submitted < DEPTH ? new byte[4096] : take(free);
        System.arraycopy(page, off, buf, 0, 4096);
        submitted++;
        put(full, buf);
        ensureWorker();
    }

    /** Waits until every submitted page is in the PLD. */
    void drain() {
        while (hashed.get() < submitted) {
            ensureWorker();
            LockSupport.parkNanos(20_000);
        }
    }

    /** The configuration is going away: the worker stops at its next page. */
    void abandon() {
        abandoned = true;
        full.clear();
    }

    private synchronized void ensureWorker() {
        if (!workerRunning && !abandoned) {
            workerRunning = true;
            Thread t = new Thread(this::work, "uv-pld");
            t.setDaemon(true);
            t.start();
        }
    }

    private void work() {
        while (!abandoned) {
            byte[] b;
            try {
                b = full.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                b = null;
            }
            if (b == null) {
                synchronized (this) {
                    if (full.isEmpty()) {
                        workerRunning = false;
                        return;
                    }
                }
                continue;
            }
            digests.updatePageBytes(b, 0, 4096);
            hashed.incrementAndGet();
            free.offer(b);
        }
        synchronized (this) {
            workerRunning = false;
        }
    }

    private static byte[] take(ArrayBlockingQueue<byte[]> q) {
        while (true) {
            try {
                return q.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                // the UV call must finish: keep waiting for the worker
                Thread.interrupted();
            }
        }
    }

    private static void put(ArrayBlockingQueue<byte[]> q, byte[] b) {
        while (true) {
            try {
                q.put(b);
                return;
            } catch (InterruptedException e) {
                Thread.interrupted();
            }
        }
    }
}
