package org.pvsim.kvm;

import java.nio.ByteBuffer;

/**
 * {@code struct kvm_s390_pv_info}: a 16-byte header {@code {id, len_max, len_written, reserved}} followed by
 * {@code kvm_s390_pv_info_vm} (64 bytes) or {@code kvm_s390_pv_info_dump} (24 bytes).
 */
public final class KvmS390PvInfo {
    private KvmS390PvInfo() {
    }

    public record Header(int id, int lenMax, int lenWritten) {
        public static final int SIZE = 16;

        public byte[] encode() {
            return ByteBuffer.allocate(SIZE).putInt(id).putInt(lenMax).putInt(lenWritten).array();
        }

        public static Header decode(byte[] b) {
            ByteBuffer bb = ByteBuffer.wrap(b);
            return new Header(bb.getInt(0), bb.getInt(4), bb.getInt(8));
        }
    }

    public record Vm(long[] instCallsList, long maxCpus, long maxGuests, long maxGuestAddr, long featureIndication) {
        public static final int SIZE = 64;

        public Vm {
            instCallsList = instCallsList.clone();
        }

        public byte[] encode() {
            ByteBuffer b = ByteBuffer.allocate(SIZE);
            for (long w : instCallsList) {
                b.putLong(w);
            }
            return b.putLong(maxCpus).putLong(maxGuests).putLong(maxGuestAddr).putLong(featureIndication).array();
        }

        public static Vm decode(byte[] b, int off) {
            ByteBuffer bb = ByteBuffer.wrap(b, off, SIZE).slice();
            long[] calls = {bb.getLong(0), bb.getLong(8), bb.getLong(16), bb.getLong(24)};
            return new Vm(calls, bb.getLong(32), bb.getLong(40), bb.getLong(48), bb.getLong(56));
        }
    }

    public record Dump(long dumpCpuBufferLen, long dumpConfigMemBufferPer1m, long dumpConfigFinalizeLen) {
        public static final int SIZE = 24;

        public byte[] encode() {
            return ByteBuffer.allocate(SIZE).putLong(dumpCpuBufferLen).putLong(dumpConfigMemBufferPer1m)
                    .putLong(dumpConfigFinalizeLen).array();
        }

        public static Dump decode(byte[] b, int off) {
            ByteBuffer bb = ByteBuffer.wrap(b, off, SIZE).slice();
            return new Dump(bb.getLong(0), bb.getLong(8), bb.getLong(16));
        }
    }
}
