package org.pvsim.machine;

/**
 * The SIE state description's layout and codes (the kernel's {@code struct kvm_s390_sie_block} and the
 * interception codes in arch/s390/include/asm/kvm_host.h; the PV save area at 0x380 of
 * {@code struct sie_page}): the contract between a host and the machine's SIE, defined once for both.
 */
public final class SieBlock {
    private SieBlock() {
    }

    public static final int CPUFLAGS = 0x00;
    public static final int PREFIX = 0x04;
    public static final int PROG0C = 0x0c;
    public static final int PV_HANDLE_CPU = 0x10;
    public static final int PV_HANDLE_CONFIG = 0x18;
    public static final int PROG20 = 0x20;
    public static final int CPUTM = 0x28;
    public static final int CKC = 0x30;
    public static final int EPOCH = 0x38;
    public static final int ICTL = 0x48;
    public static final int ECA = 0x4c;
    public static final int ICPTCODE = 0x50;
    public static final int IICTL = 0x55;
    public static final int IPA = 0x56;
    public static final int IPB = 0x58;
    public static final int SDF = 0x68;
    public static final int TODPR = 0x6c;
    public static final int MSO = 0x80;
    public static final int MSL = 0x88;
    public static final int GPSW = 0x90;
    public static final int GG14 = 0xa0;
    public static final int GG15 = 0xa8;
    public static final int EIPARAMS = 0xc0;
    public static final int EXTCPUADDR = 0xc4;
    public static final int EIC = 0xc6;
    public static final int PGMILC = 0xcc;
    public static final int IPRCC = 0xce;
    public static final int DXC = 0xd0;
    public static final int TECMC = 0xe8;
    public static final int GCR = 0x100;
    public static final int SIDAD = 0x180;
    public static final int PV_GRREGS = 0x380;
    /** The state description and the page it starts (the PV save area lies in that page). */
    public static final int PAGE_BYTES = 0x1000;

    public static final int CPUSTAT_STOPPED = 0x80000000;
    public static final int CPUSTAT_WAIT = 0x10000000;
    public static final int CPUSTAT_STOP_INT = 0x04000000;
    public static final int CPUSTAT_IO_INT = 0x02000000;
    public static final int CPUSTAT_EXT_INT = 0x01000000;
    public static final int CPUSTAT_ZARCH = 0x00000800;

    public static final int ICTL_OPEREXC = 0x80000000;
    public static final int ICTL_PINT = 0x20000000;
    public static final int ICTL_ISKE = 0x00004000;
    public static final int ICTL_SSKE = 0x00002000;
    public static final int ICTL_RRBE = 0x00001000;
    public static final int ICTL_TPROT = 0x00000200;

    /** Format of the SD selected by {@link #SDF}: 2 means format 4, a secure guest. */
    public static final int SDF_FORMAT4 = 2;

    /** Interrupt injection controls (iictl) for secure guests. */
    public static final int IICTL_NONE = 0x00;
    public static final int IICTL_EXT = 0x02;
    public static final int IICTL_IO = 0x03;
    public static final int IICTL_RESTART = 0x04;
    public static final int IICTL_SPECIFICATION = 0x10;
    public static final int IICTL_OPERAND = 0x11;

    /** SIDA designation: page address, size in pages - 1 in the low byte. */
    public static final long SIDAD_SIZE_MASK = 0xff;

    // ---- interception codes (icptcode)
    /** No interception: SIE ended for the host (a host interruption, a kick); execute SIE again. */
    public static final int ICPT_NONE = 0x00;
    public static final int ICPT_INSTRUCTION = 0x04;
    public static final int ICPT_PROGRAM = 0x08;
    public static final int ICPT_INSTRUCTION_AND_PROGRAM = 0x0c;
    public static final int ICPT_EXTERNAL_REQUEST = 0x10;
    public static final int ICPT_IO_REQUEST = 0x18;
    public static final int ICPT_WAIT = 0x1c;
    public static final int ICPT_VALIDITY = 0x20;
    public static final int ICPT_STOP = 0x28;
    public static final int ICPT_OPERATION_EXCEPTION = 0x2c;
    public static final int ICPT_PARTIAL_EXECUTION = 0x38;
    public static final int ICPT_PV_INSTRUCTION = 0x68;
    public static final int ICPT_PV_NOTIFICATION = 0x6c;
    public static final int ICPT_PV_PREFIX = 0x70;

}
