package org.pvsim.machine.uv.cb;

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
    private static final UvcbLayout LAYOUT = UvcbLayout.of("QueryUvInfo", SIZE)
            .u64(0x10).u64(0x18).u64(0x20).u64(0x28) // installed calls
            .u64(0x40).u64(0x50).u64(0x58).u64(0x60).u64(0x68).u32(0x7c).u64(0x80).u16(0x9e).u64(0xa0)
            .u64(0xb0).u64(0xb8).u64(0xc8).u64(0xd0).u64(0xe0).u64(0xe8);
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
    public void encodeInto(byte[] block) {
        LAYOUT.encodeInto(block, header, instCalls[0], instCalls[1], instCalls[2], instCalls[3], uvBaseStorLen,
                confBasePhysStorLen, confBaseVirtStorLen, confVirtVarStorLen, cpuStorLen, maxNumSecConf,
                maxGuestStorAddr, maxGuestCpuId, featureIndications, suppSeHdrVersions, suppSeHdrPcf,
                confDumpStorageStateLen, confDumpFinalizeLen, suppAttReqHdrVer, suppAttPflags);
    }

    public static QueryUvInfo decode(byte[] bytes) {
        UvcbLayout.Fields f = LAYOUT.decode(bytes);
        return new QueryUvInfo(f.header(), new long[] {f.u64(0), f.u64(1), f.u64(2), f.u64(3)}, f.u64(4),
                f.u64(5), f.u64(6), f.u64(7), f.u64(8), f.small(9), f.u64(10), f.small(11), f.u64(12), f.u64(13),
                f.u64(14), f.u64(15), f.u64(16), f.u64(17), f.u64(18));
    }
}
