package org.pvsim.kvm;

import static org.pvsim.machine.SieBlock.*;

/**
 * How long a vCPU in an enabled wait may sleep before one of its timers can interrupt it (the kernel's
 * __calculate_sltime): until the clock comparator passes or the CPU timer goes negative, whichever of
 * the two the guest is enabled for comes first. Anything else that ends the wait (a SIGP, a floating
 * interruption, a kick) wakes the vCPU when it is made pending, so it needs no deadline.
 */
final class EnabledWait {
    private EnabledWait() {
    }

    /** Sleep without a deadline: only a wake-up ends it. */
    static final long UNTIL_WOKEN = -1;
    /**
     * A protected vCPU's clock comparator and control registers stay in the Ultravisor, so KVM cannot
     * compute its deadline: it looks again this often (nanoseconds).
     */
    static final long PROTECTED_POLL_NANOS = 1_000_000;

    private static final long PSW_EXT = 1L << 56;
    private static final long CR0_CLOCK_COMPARATOR = 1L << 11;
    private static final long CR0_CPU_TIMER = 1L << 10;

    /** Nanoseconds to sleep (0: a timer is due already), or {@link #UNTIL_WOKEN}. */
    static long sleepNanos(SieControlBlock sd, boolean secure, long tod) {
        if ((sd.u64(GPSW) & PSW_EXT) == 0) {
            return UNTIL_WOKEN; // only I/O or machine checks can end it, and both wake the vCPU
        }
        if (secure) {
            return PROTECTED_POLL_NANOS;
        }
        long cr0 = sd.u64(GCR);
        long todUnits = Long.MAX_VALUE; // a deadline that far away (71 years) is none
        if ((cr0 & CR0_CLOCK_COMPARATOR) != 0) {
            long ckc = sd.u64(CKC);
            if (Long.compareUnsigned(tod, ckc) > 0) {
                return 0;
            }
            long until = ckc - tod; // unsigned; pending once the TOD clock is past the comparator
            if (until >= 0 && until < Long.MAX_VALUE) {
                todUnits = until + 1;
            }
        }
        if ((cr0 & CR0_CPU_TIMER) != 0) {
            long cputm = sd.u64(CPUTM);
            if (cputm < 0) {
                return 0;
            }
            if (cputm < Long.MAX_VALUE) { // pending once it is negative
                todUnits = Math.min(todUnits, cputm + 1);
            }
        }
        return todUnits == Long.MAX_VALUE ? UNTIL_WOKEN : todToNanos(todUnits);
    }

    /** TOD units (bit 51 is one microsecond) to nanoseconds, rounded up so that the deadline has passed on waking. */
    static long todToNanos(long tod) {
        return Long.divideUnsigned(tod, 512) * 125 + (Long.remainderUnsigned(tod, 512) * 125 + 511) / 512;
    }
}
