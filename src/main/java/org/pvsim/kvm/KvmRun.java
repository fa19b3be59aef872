package org.pvsim.kvm;

/**
 * {@code struct kvm_run} of an s390 vCPU as user space shares it with KVM (mmap'd from the vCPU fd): the
 * exit reason with its s390 payload, the immediate-exit request, and the synchronised registers
 * ({@code s.regs}). Fields are user space's to read after KVM_RUN and to set before it.
 */
public final class KvmRun {
    public static final int KVM_EXIT_UNKNOWN = 0;
    public static final int KVM_EXIT_INTR = 10;
    public static final int KVM_EXIT_S390_SIEIC = 13;
    public static final int KVM_EXIT_S390_RESET = 14;
    public static final int KVM_EXIT_S390_STSI = 25;

    /** kvm_run.s390_reset_flags. */
    public static final int KVM_S390_RESET_POR = 1;
    public static final int KVM_S390_RESET_CLEAR = 2;
    public static final int KVM_S390_RESET_SUBSYSTEM = 4;
    public static final int KVM_S390_RESET_CPU_INIT = 8;
    public static final int KVM_S390_RESET_IPL = 16;

    /** kvm_run.kvm_dirty_regs: which synchronised registers user space changed (only the prefix is modelled). */
    public static final int KVM_SYNC_PREFIX = 1;

    /** Set by user space (or a signal handler) to make the next KVM_RUN return at once with EINTR. */
    public volatile boolean immediateExit;
    public int exitReason;
    /** s390_sieic: the interception user space must handle. */
    public int icptcode;
    public int ipa;
    public int ipb;
    public int resetFlags;
    /** psw_mask / psw_addr: the guest PSW (for a protected vCPU the mask only; the address reads 0). */
    public long pswMask;
    public long pswAddr;
    /** s.regs.gprs: for a protected vCPU only what the last interception showed (the SIE's save area). */
    public final long[] gprs = new long[16];
    public final int[] acrs = new int[16];
    public final long[] crs = new long[16];
    public long prefix;
    /** s.regs.cputm / ckc (KVM_SYNC_ARCH0) and fprs (KVM_SYNC_FPRS) of a normal vCPU after KVM_RUN; zeros for a protected one. */
    public long cputm;
    public long ckc;
    public final long[] fprs = new long[16];
    /** Set by user space before KVM_RUN: {@link #KVM_SYNC_PREFIX} makes KVM take {@link #prefix} (SIGP SET PREFIX, resets). */
    public int kvmDirtyRegs;
}
