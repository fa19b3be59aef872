package org.pvsim.se;

import java.util.concurrent.locks.LockSupport;

/**
 * The hand-off of page bytes to a second thread that feeds them to the PLD in order: a single-producer
 * single-consumer ring of chunk buffers. The producer fills the slot {@link #slot()} gives and
 * {@link #publish}es it; the worker hashes slots in order and frees them.
 *
 * <p>Both sides spin briefly before they park, and each unparks the other when it hands something over:
 * a futex round trip per page would cost as much as hashing the page, but a worker that oversleeps
 * a publish would idle the costliest step. The worker is started on the first publish and ends itself
 * after a second without work, so a pipeline that is left alone holds no thread.
 */
final class PldRing {
    private static final int SPINS = 2_000;
    /** Each side unparks the other, so a park only times out if a wake-up raced with it: a safety net. */
    private static final long PARK_NANOS = 1_000_000L;
    private static final long IDLE_EXIT_NANOS = 1_000_000_000L;

    private final PageDigests digests;
    private final String threadName;
    private final byte[][] slots;
    private final int[] lengths;
    private volatile long produced;
    private volatile long consumed;
    private volatile Thread worker;
    private volatile Thread waiting;
    private volatile boolean closed;
    private volatile Throwable failure;

    PldRing(PageDigests digests, String threadName, int slotBytes, int depth) {
        this.digests = digests;
        this.threadName = threadName;
        this.slots = new byte[depth][slotBytes];
        this.lengths = new int[depth];
    }

    /** The buffer to fill next, once the worker is done with it. */
    byte[] slot() {
        long p = produced;
        awaitWorker(() -> p - consumed < slots.length);
        return slots[(int) (p % slots.length)];
    }

    /** Hands the first {@code len} bytes of the buffer {@link #slot()} gave to the worker. */
    void publish(int len) {
        long p = produced;
        lengths[(int) (p % slots.length)] = len;
        produced = p + 1; // volatile write: publishes the slot's bytes and length to the worker
        Thread w = ensureWorker();
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    /** Waits until every published slot is in the PLD. */
    void drain() {
        awaitWorker(() -> consumed == produced);
    }

    /** Stops the worker; the ring is not used again. */
    void close() {
        closed = true;
        Thread w = worker;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    /** Whether a worker thread is alive (for tests). */
    synchronized boolean workerRunning() {
        return worker != null;
    }

    private void awaitWorker(java.util.function.BooleanSupplier done) {
        for (int spins = 0; !done.getAsBoolean(); spins++) {
            if (failure != null) {
                throw new IllegalStateException("hashing pages failed", failure);
            }
            if (closed) {
                throw new IllegalStateException("the page pipeline is closed");
            }
            ensureWorker();
            if (spins < SPINS) {
                Thread.onSpinWait();
                continue;
            }
            waiting = Thread.currentThread();
            if (!done.getAsBoolean()) {
                LockSupport.parkNanos(this, PARK_NANOS);
            }
            waiting = null;
        }
    }

    private synchronized Thread ensureWorker() {
        if (worker == null && !closed && failure == null && consumed < produced) {
            Thread t = new Thread(this::work, threadName);
            t.setDaemon(true);
            worker = t;
            t.start();
        }
        return worker;
    }

    private void work() {
        try {
            long idleSince = System.nanoTime();
            int spins = 0;
            while (!closed) {
                long c = consumed;
                if (c < produced) {
                    int slot = (int) (c % slots.length);
                    digests.updatePageBytes(slots[slot], 0, lengths[slot]);
                    consumed = c + 1; // volatile write: frees the slot, publishes the digest state
                    Thread w = waiting;
                    if (w != null) {
                        LockSupport.unpark(w);
                    }
                    idleSince = System.nanoTime();
                    spins = 0;
                } else if (spins++ < SPINS) {
                    Thread.onSpinWait();
                } else if (System.nanoTime() - idleSince > IDLE_EXIT_NANOS && exitIfIdle()) {
                    return;
                } else {
                    LockSupport.parkNanos(this, PARK_NANOS);
                }
            }
        } catch (Throwable t) {
            failure = t;
            Thread w = waiting;
            if (w != null) {
                LockSupport.unpark(w);
            }
        }
        synchronized (this) {
            worker = null;
        }
    }

    private synchronized boolean exitIfIdle() {
        if (consumed == produced) {
            worker = null;
            return true;
        }
        return false;
    }
}
