package org.pvsim.machine.cpu;

/**
 * The TOD clock of the machine and the per-CPU CPU timer and clock comparator.
 *
 * <p>TOD units: bit 51 is one microsecond, so one nanosecond is 4.096 units. The machine's time base
 * is either the host's monotonic clock or, with {@code deterministic}, virtual time: one nanosecond per
 * executed instruction plus the idle time the machine skips while every CPU waits. Virtual time makes
 * timer interruptions arrive at the same instruction in every run.
 */
public final class Clocks {
    /** TOD value of 2026-01-01 00:00 UTC, the start of virtual time in deterministic runs. */
    static final long DETERMINISTIC_EPOCH = todOfUnixMicros(1767225600_000000L);

    private final Machine machine;
    private final boolean deterministic;
    private final long startNanos = System.nanoTime();
    private final long epoch;
    private long todOffset;
    private long idleNanos;
    private long lastTod;

    Clocks(Machine machine, boolean deterministic) {
        this.machine = machine;
        this.deterministic = deterministic;
        this.epoch = deterministic ? DETERMINISTIC_EPOCH : todOfUnixMicros(System.currentTimeMillis() * 1000);
    }

    static long todOfUnixMicros(long micros) {
        return (micros + 2208988800_000000L) << 12; // the TOD epoch is 1900-01-01
    }

    public boolean deterministic() {
        return deterministic;
    }

    /** Nanoseconds since the machine started (virtual or real). */
    long nanos() {
        if (deterministic) {
            long n = idleNanos;
            for (Cpu c : machine.cpus()) {
                n += c.insnCount;
            }
            return n;
        }
        return System.nanoTime() - startNanos;
    }

    /** Lets virtual time pass while every CPU waits. */
    void skip(long nanos) {
        if (deterministic && nanos > 0) {
            idleNanos += nanos;
        }
    }

    static long nanosToTod(long nanos) {
        return nanos * 512 / 125;
    }

    static long todToNanos(long tod) {
        return tod <= 0 ? 0 : Long.divideUnsigned(tod, 512) * 125 + (Long.remainderUnsigned(tod, 512) * 125 + 511) / 512;
    }

    /** The current TOD clock value (bits 0-63); successive reads differ, as STCK guarantees. */
    public long tod() {
        long t = epoch + todOffset + nanosToTod(nanos());
        if (Long.compareUnsigned(t, lastTod) <= 0) {
            t = lastTod + 1;
        }
        lastTod = t;
        return t;
    }

    /** The TOD value without the uniqueness step (for comparisons, and STCKF). */
    public long peekTod() {
        long t = epoch + todOffset + nanosToTod(nanos());
        return Long.compareUnsigned(t, lastTod) < 0 ? lastTod : t;
    }

    /** SET CLOCK. */
    void set(long tod) {
        todOffset = tod - (epoch + nanosToTod(nanos()));
        lastTod = tod;
    }

    /** CPU timer and clock comparator of one CPU. */
    static final class CpuTimers {
        /** TOD value at which the CPU timer reaches zero. */
        long timerDeadline;
        long clockComparator = -1L;

        void reset() {
            timerDeadline = 0;
            clockComparator = 0;
        }
    }

    long cpuTimer(CpuTimers t) {
        return t.timerDeadline - peekTod();
    }

    void setCpuTimer(CpuTimers t, long value) {
        t.timerDeadline = peekTod() + value;
    }

    boolean cpuTimerPending(CpuTimers t) {
        return cpuTimer(t) < 0;
    }

    boolean clockComparatorPending(CpuTimers t) {
        return Long.compareUnsigned(peekTod(), t.clockComparator) > 0;
    }

    /** Nanoseconds until the earliest of the given CPU's enabled timer conditions, or -1 if none. */
    long nanosUntil(long todDeadline) {
        long d = todDeadline - peekTod();
        return d <= 0 ? 0 : todToNanos(d);
    }
}
