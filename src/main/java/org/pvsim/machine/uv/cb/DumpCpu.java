package org.pvsim.machine.uv.cb;

import java.nio.ByteBuffer;

/** Dump a secure CPU ({@code struct uv_cb_dump_cpu}): encrypted CPU state to the dump area. */
public record DumpCpu(UvcbHeader header, long cpuHandle, long dumpAreaOrigin) implements Uvcb {
    public static final int SIZE = 0x50;

    /** A fresh block for {@link UvCommand#DUMP_CPU} with the architected length. */
    public static DumpCpu of(long cpuHandle, long dumpAreaOrigin) {
        return new DumpCpu(UvcbHeader.of(UvCommand.DUMP_CPU), cpuHandle, dumpAreaOrigin);
    }

    public DumpCpu withHeader(UvcbHeader newHeader) {
        return new DumpCpu(newHeader, cpuHandle, dumpAreaOrigin);
    }

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public byte[] encode() {
        ByteBuffer b = Uvcb.buffer(SIZE, header);
        b.putLong(0x18, cpuHandle);
        b.putLong(0x20, dumpAreaOrigin);
        return b.array();
    }

    public static DumpCpu decode(byte[] bytes) {
        ByteBuffer b = Uvcb.wrap(bytes, SIZE, "DumpCpu");
        return new DumpCpu(UvcbHeader.get(b),
                b.getLong(0x18),
                b.getLong(0x20));
    }
}
