package org.pvsim.kvm;

/**
 * A failed ioctl: the errno the kernel returns, plus the Ultravisor's rc/rrc when a UV call was made
 * (0/0 otherwise), and the command that failed. The message is one self-contained line.
 */
public final class KvmException extends RuntimeException {
    private final String command;
    private final Errno errno;
    private final int rc;
    private final int rrc;

    public KvmException(String command, Errno errno, int rc, int rrc, String detail) {
        super(format(command, errno, rc, rrc, detail), null, false, false);
        this.command = command;
        this.errno = errno;
        this.rc = rc;
        this.rrc = rrc;
    }

    public KvmException(String command, Errno errno, String detail) {
        this(command, errno, 0, 0, detail);
    }

    private static String format(String command, Errno errno, int rc, int rrc, String detail) {
        String uv = rc != 0 || rrc != 0 ? String.format(" (UV rc 0x%04x rrc 0x%04x)", rc, rrc) : "";
        return command + ": " + errno + " (" + errno.number() + ")" + uv + ": " + detail;
    }

    public String command() {
        return command;
    }

    public Errno errno() {
        return errno;
    }

    /** The Ultravisor return code of the UV call that decided the outcome, 0 if none was made. */
    public int rc() {
        return rc;
    }

    public int rrc() {
        return rrc;
    }
}
