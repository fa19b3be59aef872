package org.pvsim.machine;

/**
 * SIGNAL PROCESSOR's order codes and the status bits it stores in R1 with condition code 1, as the
 * z/Architecture assigns them: one definition for the machine's CPUs, for KVM (which answers the fast
 * orders itself) and for the VMM (which carries out the ones that change CPU state).
 */
public final class SigpOrder {
    private SigpOrder() {
    }

    public static final int SENSE = 0x01;
    public static final int EXTERNAL_CALL = 0x02;
    public static final int EMERGENCY_SIGNAL = 0x03;
    public static final int START = 0x04;
    public static final int STOP = 0x05;
    public static final int RESTART = 0x06;
    public static final int STOP_AND_STORE_STATUS = 0x09;
    public static final int INITIAL_CPU_RESET = 0x0b;
    public static final int CPU_RESET = 0x0c;
    public static final int SET_PREFIX = 0x0d;
    public static final int STORE_STATUS_AT_ADDRESS = 0x0e;
    public static final int SET_ARCHITECTURE = 0x12;
    public static final int CONDITIONAL_EMERGENCY_SIGNAL = 0x13;
    public static final int SENSE_RUNNING_STATUS = 0x15;

    public static final long STATUS_INVALID_ORDER = 0x00000002L;
    public static final long STATUS_STOPPED = 0x00000040L;
    public static final long STATUS_EXT_CALL_PENDING = 0x00000080L;
    public static final long STATUS_INVALID_PARAMETER = 0x00000100L;
    public static final long STATUS_INCORRECT_STATE = 0x00000200L;
    public static final long STATUS_NOT_RUNNING = 0x00000400L;
}
