package org.pvsim.testing;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;

/** Stress tests' threads: started together behind a barrier, joined, and the first failure of any rethrown. */
public final class InParallel {
    private InParallel() {
    }

    /** One thread's work, given its number. */
    @FunctionalInterface
    public interface Body {
        void run(int thread) throws Exception;
    }

    /** Runs {@code body} on {@code threads} threads at once; fails with the first exception or error any threw. */
    public static void run(int threads, Body body) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CyclicBarrier start = new CyclicBarrier(threads);
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int me = t;
            ts[t] = new Thread(() -> {
                try {
                    start.await();
                    body.run(me);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        if (failure.get() != null) {
            throw new AssertionError("a thread failed: " + failure.get(), failure.get());
        }
    }
}
