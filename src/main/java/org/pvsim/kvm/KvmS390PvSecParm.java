package org.pvsim.kvm;

import java.nio.ByteBuffer;

/** {@code struct kvm_s390_pv_sec_parm}: user address and length of the SE header. */
public record KvmS390PvSecParm(long origin, long length) {
    public static final int SIZE = 16;

    public byte[] encode() {
        return ByteBuffer.allocate(SIZE).putLong(origin).putLong(length).array();
    }

    public static KvmS390PvSecParm decode(byte[] b) {
        ByteBuffer bb = ByteBuffer.wrap(b);
        return new KvmS390PvSecParm(bb.getLong(0), bb.getLong(8));
    }
}
