package org.pvsim.machine.uv;

/** A secure CPU: UV-side state that the host only names by its handle. */
final class SecureCpu {
    enum State { STOPPED, OPERATING, CHECK_STOP, OPERATING_LOADED }

    final long handle;
    final SecureConfig config;
    final int num;
    final long storOrigin;
    final long storLen;
    final long stateOrigin;
    State state = State.STOPPED;
    /** The PSW the CPU starts from after an operating-with-load (from the SE header or the reset PSW). */
    long pswMask;
    long pswAddress;
    /** Set by CPU_RESET_INITIAL / CPU_RESET_CLEAR; a load after a prepared reset needs it. */
    boolean resetDone;
    /** Running on a host CPU right now (between a SIE entry and its exit). */
    boolean running;
    /** Has been loaded (operating with load) since its creation or the last guest reboot request. */
    boolean loaded;
    /** The guest asked for a reboot (diag 308) and no operating-with-load followed yet: no restart starts it. */
    boolean rebootRequested;
    /** The CPU timer at the last SIE exit and when that was (System.nanoTime), for the entry check. */
    boolean timerSaved;
    long cpuTimer;
    long exitNanos;
    long resets;
    /**
     * Changes whenever the CPU's register state starts afresh (creation, each operating-with-load), and
     * is unique machine-wide, so that SIE never continues a guest CPU from another CPU's registers.
     */
    long generation = GENERATIONS.incrementAndGet();
    private static final java.util.concurrent.atomic.AtomicLong GENERATIONS = new java.util.concurrent.atomic.AtomicLong();

    void startAfresh() {
        generation = GENERATIONS.incrementAndGet();
        rebootRequested = false;
    }

    SecureCpu(long handle, SecureConfig config, int num, long storOrigin, long storLen, long stateOrigin) {
        this.handle = handle;
        this.config = config;
        this.num = num;
        this.storOrigin = storOrigin;
        this.storLen = storLen;
        this.stateOrigin = stateOrigin;
    }
}
