package org.pvsim.kvm;

import java.nio.ByteBuffer;

/** {@code struct kvm_s390_pv_unp}: guest absolute address, size and tweak prefix of one encrypted component. */
public record KvmS390PvUnp(long addr, long size, long tweak) {
    public static final int SIZE = 24;

    public byte[] encode() {
        return ByteBuffer.allocate(SIZE).putLong(addr).putLong(size).putLong(tweak).array();
    }

    public static KvmS390PvUnp decode(byte[] b) {
        ByteBuffer bb = ByteBuffer.wrap(b);
        return new KvmS390PvUnp(bb.getLong(0), bb.getLong(8), bb.getLong(16));
    }
}
