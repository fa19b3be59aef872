package org.pvsim.machine;

/**
 * Offsets in the prefix area (the two lowcore pages), as the z/Architecture assigns them: one definition for
 * the CPU that stores interruption codes and status there and for the host software that reads or injects
 * them (KVM, the VMM).
 */
public final class Lowcore {
    private Lowcore() {
    }

    public static final int SIZE = 8192;

    public static final int EXT_PARAM = 0x80;
    public static final int EXT_CPU_ADDR = 0x84;
    public static final int EXT_CODE = 0x86;
    public static final int SVC_ILC = 0x88;
    public static final int SVC_CODE = 0x8a;
    public static final int PGM_ILC = 0x8c;
    public static final int PGM_CODE = 0x8e;
    public static final int DXC = 0x90;
    public static final int EXC_ACCESS_ID = 0xa0;
    public static final int TRANS_EXC_ID = 0xa8;
    /** Real location 163: the architectural-mode identification that store status sets. */
    public static final int ARCH_MODE_ID = 0xa3;
    public static final int STFL = 0xc8;

    public static final int RESTART_OLD_PSW = 0x120;
    public static final int EXT_OLD_PSW = 0x130;
    public static final int SVC_OLD_PSW = 0x140;
    public static final int PGM_OLD_PSW = 0x150;
    public static final int MCCK_OLD_PSW = 0x160;
    public static final int IO_OLD_PSW = 0x170;
    public static final int RESTART_NEW_PSW = 0x1a0;
    public static final int EXT_NEW_PSW = 0x1b0;
    public static final int SVC_NEW_PSW = 0x1c0;
    public static final int PGM_NEW_PSW = 0x1d0;
    public static final int MCCK_NEW_PSW = 0x1e0;
    public static final int IO_NEW_PSW = 0x1f0;

    /** Store-status save area (absolute 0x1200.. for SIGP STOP AND STORE STATUS). */
    public static final int SAVE_FPRS = 0x1200;
    public static final int SAVE_GRS = 0x1280;
    public static final int SAVE_PSW = 0x1300;
    public static final int SAVE_PREFIX = 0x1318;
    public static final int SAVE_FPC = 0x131c;
    public static final int SAVE_TOD_PROGRAMMABLE = 0x1324;
    public static final int SAVE_CPU_TIMER = 0x1328;
    public static final int SAVE_CLOCK_COMPARATOR = 0x1330;
    public static final int SAVE_ARS = 0x1340;
    public static final int SAVE_CRS = 0x1380;
}
