package org.pvsim.machine.cpu;

import org.pvsim.machine.ProgramInterruption;

/**
 * DIAGNOSE 288, the watchdog timer, with QEMU's checks (target/s390x/diag.c and hw/watchdog/wdt_diag288.c)
 * that kvm-unit-tests' diag288 test holds hardware to: R1 even, holding the function (0 init, 1
 * change, 2 cancel); R1 + 1 the timeout in seconds, at least 15 except for cancel; R3 the action, of
 * which only 0 exists here (restart, what Linux's diag288 driver asks of an LPAR). Change and cancel
 * without an armed watchdog, and any other value, are specification exceptions.
 *
 * <p>On expiry the CPU that armed the watchdog gets a restart interruption (it is started if stopped),
 * as an LPAR's restart action does and as kvm-unit-tests expects. The watchdog then stays enabled and
 * unarmed until the next change. A machine reset (diag 308) disables it, as QEMU's subsystem reset does.
 * Time is the TOD clock, so a deterministic run skips straight to the expiry of a waiting program.
 */
final class Watchdog {
    static final int INIT = 0;
    static final int CHANGE = 1;
    static final int CANCEL = 2;
    static final int ACTION_RESTART = 0;
    static final long MIN_SECONDS = 15;
    /** TOD clock units per second (bit 51 is one microsecond). */
    private static final long TOD_PER_SECOND = 1_000_000L << 12;

    private boolean enabled;
    private long deadline = Long.MAX_VALUE;
    private Cpu owner;

    void diagnose(Cpu c, int r1, int r3, long now) {
        long function = c.gr[r1];
        long seconds = c.gr[(r1 + 1) & 15];
        long action = c.gr[r3];
        if ((r1 & 1) != 0 || action != ACTION_RESTART) {
            throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
        }
        if (function != CANCEL && Long.compareUnsigned(seconds, MIN_SECONDS) < 0) {
            throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
        }
        if (function == INIT) {
            enabled = true;
        } else if ((function != CHANGE && function != CANCEL) || !enabled) {
            throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
        }
        if (function == CANCEL) {
            enabled = false;
            deadline = Long.MAX_VALUE;
            owner = null;
            return;
        }
        owner = c;
        long span = Long.compareUnsigned(seconds, Long.MAX_VALUE / TOD_PER_SECOND) > 0
                ? Long.MAX_VALUE : seconds * TOD_PER_SECOND;
        deadline = Long.MAX_VALUE - span <= now ? Long.MAX_VALUE - 1 : now + span;
    }

    /** TOD value at which the watchdog bites, or {@code Long.MAX_VALUE} if it is not armed. */
    long deadline() {
        return deadline;
    }

    /** Bites if the deadline has passed at {@code now}: the owner takes a restart interruption. */
    boolean expire(long now) {
        if (deadline == Long.MAX_VALUE || Long.compareUnsigned(now, deadline) < 0) {
            return false;
        }
        deadline = Long.MAX_VALUE;
        owner.restartPending = true;
        owner.start();
        return true;
    }

    void reset() {
        enabled = false;
        deadline = Long.MAX_VALUE;
        owner = null;
    }
}
