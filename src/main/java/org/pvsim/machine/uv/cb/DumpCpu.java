package org.pvsim.machine.uv.cb;

/** Dump a secure CPU ({@code struct uv_cb_dump_cpu}): encrypted CPU state to the dump area. */
public record DumpCpu(UvcbHeader header, long cpuHandle, long dumpAreaOrigin) implements Uvcb {
    public static final int SIZE = 0x50;
    private static final UvcbLayout LAYOUT = UvcbLayout.of("DumpCpu", SIZE).u64(0x18).u64(0x20);

    /** A fresh block for {@link UvCommand#DUMP_CPU} with the architected length. */
    public static DumpCpu of(long cpuHandle, long dumpAreaOrigin) {
        return new DumpCpu(UvcbHeader.of(UvCommand.DUMP_CPU), cpuHandle, dumpAreaOrigin);
    }

    public DumpCpu withHeader(UvcbHeader newHeader) {
        return new DumpCpu(newHeader, cpuHandle, dumpAreaOrigin);
    }

    @Override
    public void encodeInto(byte[] block) {
        LAYOUT.encodeInto(block, header, cpuHandle, dumpAreaOrigin);
    }

    public static DumpCpu decode(byte[] bytes) {
        UvcbLayout.Fields f = LAYOUT.decode(bytes);
        return new DumpCpu(f.header(), f.u64(0), f.u64(1));
    }
}
