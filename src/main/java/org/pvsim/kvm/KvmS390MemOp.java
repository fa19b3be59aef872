package org.pvsim.kvm;

/**
 * {@code struct kvm_s390_mem_op}: {@code buf} is a user address; the union holds {@code ar}/{@code key} for
 * logical/absolute ops and {@code sidaOffset} for SIDA ops.
 */
public record KvmS390MemOp(long gaddr, long flags, int size, int op, long buf, int ar, int key, int sidaOffset) {
    public static KvmS390MemOp absolute(int op, long gaddr, int size, long buf) {
        return new KvmS390MemOp(gaddr, 0, size, op, buf, 0, 0, 0);
    }

    public static KvmS390MemOp sida(int op, int sidaOffset, int size, long buf) {
        return new KvmS390MemOp(0, 0, size, op, buf, 0, 0, sidaOffset);
    }
}
