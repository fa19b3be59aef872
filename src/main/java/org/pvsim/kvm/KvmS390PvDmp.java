package org.pvsim.kvm;

import java.nio.ByteBuffer;

/** {@code struct kvm_s390_pv_dmp} (64 bytes, 4 reserved words). */
public record KvmS390PvDmp(long subcmd, long buffAddr, long buffLen, long gaddr) {
    public static final int SIZE = 64;

    public byte[] encode() {
        return ByteBuffer.allocate(SIZE).putLong(subcmd).putLong(buffAddr).putLong(buffLen).putLong(gaddr).array();
    }

    public static KvmS390PvDmp decode(byte[] b) {
        ByteBuffer bb = ByteBuffer.wrap(b);
        return new KvmS390PvDmp(bb.getLong(0), bb.getLong(8), bb.getLong(16), bb.getLong(24));
    }

    public KvmS390PvDmp withGaddr(long g) {
        return new KvmS390PvDmp(subcmd, buffAddr, buffLen, g);
    }
}
