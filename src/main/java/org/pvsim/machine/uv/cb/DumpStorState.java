package org.pvsim.machine.uv.cb;

import java.nio.ByteBuffer;

/** Dump the storage state of 1 MiB of guest storage ({@code struct uv_cb_dump_stor_state}). */
public record DumpStorState(UvcbHeader header, long configHandle, long dumpAreaOrigin, long gaddr) implements Uvcb {
    public static final int SIZE = 0x50;

    /** A fresh block for {@link UvCommand#DUMP_CONF_STOR_STATE} with the architected length. */
    public static DumpStorState of(long configHandle, long dumpAreaOrigin, long gaddr) {
        return new DumpStorState(UvcbHeader.of(UvCommand.DUMP_CONF_STOR_STATE), configHandle, dumpAreaOrigin, gaddr);
    }

    public DumpStorState withHeader(UvcbHeader newHeader) {
        return new DumpStorState(newHeader, configHandle, dumpAreaOrigin, gaddr);
    }

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public byte[] encode() {
        ByteBuffer b = Uvcb.buffer(SIZE, header);
        b.putLong(0x18, configHandle);
        b.putLong(0x20, dumpAreaOrigin);
        b.putLong(0x28, gaddr);
        return b.array();
    }

    public static DumpStorState decode(byte[] bytes) {
        ByteBuffer b = Uvcb.wrap(bytes, SIZE, "DumpStorState");
        return new DumpStorState(UvcbHeader.get(b),
                b.getLong(0x18),
                b.getLong(0x20),
                b.getLong(0x28));
    }
}
