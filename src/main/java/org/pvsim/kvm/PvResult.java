package org.pvsim.kvm;

import org.pvsim.machine.uv.cb.UvCaller;

/**
 * What a PV operation reports, as pv.c's functions do with their return value and {@code *rc, *rrc}: the
 * errno ({@code null} for the kernel's 0) and the UV's rc/rrc. A command that makes several UV calls
 * reports the first failing call's rc/rrc, else the last call's ({@link #then}).
 */
record PvResult(Errno errno, int rc, int rrc) {
    /** Success without a UV call: rc/rrc 0, which no executed UVC reports (cc 0 always comes with rc 0x0001). */
    static final PvResult NO_CALL = new PvResult(null, 0, 0);

    static PvResult ok(int rc, int rrc) {
        return new PvResult(null, rc, rrc);
    }

    /** A failure before any UV call (no storage, a bad state): rc/rrc 0. */
    static PvResult failed(Errno errno) {
        return new PvResult(errno, 0, 0);
    }

    /** The answer of one UVC: success if it completed (cc 0), else {@code onFailure} with its rc/rrc. */
    static PvResult of(UvCaller.Answer<?> a, Errno onFailure) {
        return new PvResult(a.cc() == 0 ? null : onFailure, a.rc(), a.rrc());
    }

    boolean ok() {
        return errno == null;
    }

    private boolean madeCall() {
        return rc != 0 || rrc != 0;
    }

    /** The later result; if it made no UV call, with this one's rc/rrc (the kernel leaves *rc, *rrc alone). */
    PvResult followedBy(PvResult later) {
        return later.madeCall() ? later : new PvResult(later.errno, rc, rrc);
    }

    /** The first failure: this result if it failed, else {@link #followedBy} the later one. */
    PvResult then(PvResult later) {
        return ok() ? followedBy(later) : this;
    }
}
