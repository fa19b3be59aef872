package org.pvsim.machine;

/**
 * The SIE instruction as the Java host kernel executes it: the same interpretive execution an s390x
 * host program gets from B214 (machine.sie), with the host's register file passed explicitly (GRs 0-13,
 * FPRs and ARs hold the guest's across SIE, as the kernel's sie64a loads them). The interception is in
 * the state description afterwards; a guest page the host's tables do not map ends SIE with the host's
 * {@link ProgramInterruption} (nullified: map it and execute SIE again).
 */
@FunctionalInterface
public interface SieInstruction {
    /**
     * Runs the guest of the state description at host absolute {@code sd} with host ASCE {@code asce} (the
     * gmap) for at most {@code budget} guest instructions (then the interception code is 0).
     */
    void execute(long sd, long asce, long[] gr, long[] fpr, int[] ar, long budget);
}
