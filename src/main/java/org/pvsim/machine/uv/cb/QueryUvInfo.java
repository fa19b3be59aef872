package org.pvsim.machine.uv.cb;

import java.nio.ByteBuffer;

/**
 * Query Ultravisor Information ({@code struct uv_cb_qui}, 0x120 bytes in the 2024 kernel). All fields
 * after the header are output. A length of at least {@link #MIN_LEN} but below {@link #SIZE} gets the
 * fields that fit and rc 0x0100; below {@link #MIN_LEN} gets rc 0x0005 (kvm-unit-tests uv-host).
 */
public record QueryUvInfo(UvcbHeader header, long[] instCalls, long uvBaseStorLen, long confBasePhysStorLen,
        long confBaseVirtStorLen, long confVirtVarStorLen, long cpuStorLen, int maxNumSecConf,
        long maxGuestStorAddr, int maxGuestCpuId, long featureIndications, long suppSeHdrVersions,
        long suppSeHdrPcf, long confDumpStorageStateLen, long confDumpFinalizeLen, long suppAttReqHdrVer,
        long suppAttPflags) implements Uvcb {
    public static final int SIZE = 0x120;
    /** The shortest QUI block the UV answers at all (with rc 0x0100, partial). */
    public static final int MIN_LEN = 0xa8;

    public QueryUvInfo {
        instCalls = instCalls == null ? new long[4] : instCalls.clone();
        if (instCalls.length != 4) {
            throw new IllegalArgumentException("instCalls must have 4 words: " + instCalls.length);
        }
    }

    /** An empty query block, ready to be issued. */
    public static QueryUvInfo request() {
        return request(SIZE);
    }

    public static QueryUvInfo request(int len) {
        return new QueryUvInfo(UvcbHeader.of(UvCommand.QUI).withLen(len), null, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0);
    }

    @Override
    public long[] instCalls() {
        return instCalls.clone();
    }

    /** Whether the installed-calls list has bit {@code bit} (MSB-0 numbering over the four words). */
    public boolean installed(int bit) {
        return bit >= 0 && bit < 256 && (instCalls[bit / 64] & (1L << (63 - bit % 64))) != 0;
    }

    public boolean installed(UvCommand command) {
        return installed(command.bit());
    }

    /** Whether feature bit {@code bit} (MSB-0) is set, like the kernel's {@code uv_has_feature()}. */
    public boolean hasFeature(int bit) {
        return bit >= 0 && bit < 64 && (featureIndications & (1L << (63 - bit))) != 0;
    }

    public QueryUvInfo withHeader(UvcbHeader h) {
        return new QueryUvInfo(h, instCalls, uvBaseStorLen, confBasePhysStorLen, confBaseVirtStorLen,
                confVirtVarStorLen, cpuStorLen, maxNumSecConf, maxGuestStorAddr, maxGuestCpuId, featureIndications,
                suppSeHdrVersions, suppSeHdrPcf, confDumpStorageStateLen, confDumpFinalizeLen, suppAttReqHdrVer,
                suppAttPflags);
    }

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public byte[] encode() {
        ByteBuffer b = Uvcb.buffer(SIZE, header);
        for (int i = 0; i < 4; i++) {
            b.putLong(0x10 + 8 * i, instCalls[i]);
        }
        b.putLong(0x40, uvBaseStorLen);
        b.putLong(0x50, confBasePhysStorLen);
        b.putLong(0x58, confBaseVirtStorLen);
        b.putLong(0x60, confVirtVarStorLen);
        b.putLong(0x68, cpuStorLen);
        b.putInt(0x7c, maxNumSecConf);
        b.putLong(0x80, maxGuestStorAddr);
        b.putShort(0x9e, (short) maxGuestCpuId);
        b.putLong(0xa0, featureIndications);
        b.putLong(0xb0, suppSeHdrVersions);
        b.putLong(0xb8, suppSeHdrPcf);
        b.putLong(0xc8, confDumpStorageStateLen);
        b.putLong(0xd0, confDumpFinalizeLen);
        b.putLong(0xe0, suppAttReqHdrVer);
        b.putLong(0xe8, suppAttPflags);
        return b.array();
    }

    public static QueryUvInfo decode(byte[] bytes) {
        ByteBuffer b = Uvcb.wrap(bytes, SIZE, "QueryUvInfo");
        long[] calls = new long[4];
        for (int i = 0; i < 4; i++) {
            calls[i] = b.getLong(0x10 + 8 * i);
        }
        return new QueryUvInfo(UvcbHeader.get(b), calls, b.getLong(0x40), b.getLong(0x50), b.getLong(0x58),
                b.getLong(0x60), b.getLong(0x68), b.getInt(0x7c), b.getLong(0x80), b.getShort(0x9e) & 0xffff,
                b.getLong(0xa0), b.getLong(0xb0), b.getLong(0xb8), b.getLong(0xc8), b.getLong(0xd0),
                b.getLong(0xe0), b.getLong(0xe8));
    }
}
