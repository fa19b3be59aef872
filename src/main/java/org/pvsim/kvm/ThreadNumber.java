package org.pvsim.kvm;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The calling thread's number in the order threads first asked: 0, 1, 2... The striped structures of the
 * kernel side (per-CPU lists there) pick their stripe by it, so that the first threads of a process get
 * different stripes; by thread id, two threads whose ids were equal modulo the stripe count shared one.
 */
final class ThreadNumber {
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final ThreadLocal<Integer> NUMBER = ThreadLocal.withInitial(NEXT::getAndIncrement);

    private ThreadNumber() {
    }

    /** The calling thread's number modulo {@code n}. */
    static int modulo(int n) {
        return Math.floorMod(NUMBER.get(), n);
    }
}
