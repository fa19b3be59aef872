package org.pvsim.machine.uv;

/** A UV call that ends with cc 1 and this rc/rrc: thrown inside the UV, caught by the dispatcher. */
final class UvError extends RuntimeException {
    final int rc;
    final int rrc;

    UvError(int rc, int rrc) {
        super(null, null, false, false);
        this.rc = rc;
        this.rrc = rrc;
    }

    UvError(int rc) {
        this(rc, 0);
    }

    @Override
    public String getMessage() {
        return String.format("rc 0x%04x rrc 0x%04x", rc, rrc);
    }
}
