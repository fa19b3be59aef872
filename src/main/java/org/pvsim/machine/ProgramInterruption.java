package org.pvsim.machine;

/**
 * An architected program-interruption condition raised by the machine (storage, CPU, firmware).
 * It is an exception only inside the machine model: the CPU turns it into a program interruption
 * of the guest (old/new PSW), the host-side Java code sees it as a fault to handle, as Linux does.
 */
public final class ProgramInterruption extends RuntimeException {
    public static final int OPERATION = 0x01;
    public static final int PRIVILEGED_OPERATION = 0x02;
    public static final int EXECUTE = 0x03;
    public static final int PROTECTION = 0x04;
    public static final int ADDRESSING = 0x05;
    public static final int SPECIFICATION = 0x06;
    public static final int DATA = 0x07;
    public static final int FIXED_POINT_OVERFLOW = 0x08;
    public static final int FIXED_POINT_DIVIDE = 0x09;
    public static final int DECIMAL_OVERFLOW = 0x0a;
    public static final int DECIMAL_DIVIDE = 0x0b;
    public static final int TRANSLATION_SPECIFICATION = 0x12;
    public static final int SPECIAL_OPERATION = 0x13;
    /** Host (or another configuration) touched a frame owned by a secure configuration or the UV. */
    public static final int SECURE_STORAGE_ACCESS = 0x3d;
    /** A secure guest touched a frame that has not been imported (is not secure) yet. */
    public static final int NON_SECURE_STORAGE_ACCESS = 0x3e;

    private final int code;
    private final long address;
    private final boolean host;
    /** The whole translation-exception identification, when the raiser composed it (else -1). */
    private final long teid;

    public ProgramInterruption(int code, long address) {
        this(code, address, false);
    }

    private ProgramInterruption(int code, long address, boolean host) {
        this(code, address, host, -1);
    }

    private ProgramInterruption(int code, long address, boolean host, long teid) {
        super(null, null, false, false); // raised on hot paths: no stack trace
        this.code = code;
        this.address = address;
        this.host = host;
        this.teid = teid;
    }

    /**
     * An access exception of the CPU's dynamic address translation or protection, with the
     * translation-exception identification it stores (the page address and its indication bits).
     */
    public static ProgramInterruption access(int code, long address, long teid) {
        return new ProgramInterruption(code, address, false, teid);
    }

    /** The translation-exception identification to store, or -1 (then derived from {@link #address}). */
    public long teid() {
        return teid;
    }

    /**
     * A condition that a guest's access raises in its host rather than in the guest (under SIE: the host's
     * own DAT tables for the guest do not translate): the SIE instruction ends with it, nullified, and
     * the host resolves it (maps the page) and executes SIE again. {@code address} is the host address.
     */
    public static ProgramInterruption inHost(int code, long address) {
        return new ProgramInterruption(code, address, true);
    }

    /** Whether this condition belongs to the host of the CPU that raised it (see {@link #inHost}). */
    public boolean inHost() {
        return host;
    }

    public ProgramInterruption(int code) {
        this(code, -1);
    }

    /** The program-interruption code (PIC). */
    public int code() {
        return code;
    }

    /** The storage address that caused it (the translation-exception identification), or -1. */
    public long address() {
        return address;
    }

    @Override
    public String getMessage() {
        return address < 0
                ? String.format("program interruption 0x%02x", code)
                : String.format("program interruption 0x%02x at 0x%x", code, address);
    }
}
