package org.pvsim.machine.uv.cb;

import java.nio.ByteBuffer;

/** Complete a configuration dump ({@code struct uv_cb_dump_complete}): the key-derivation data. */
public record DumpComplete(UvcbHeader header, long configHandle, long dumpAreaOrigin) implements Uvcb {
    public static final int SIZE = 0x50;

    /** A fresh block for {@link UvCommand#DUMP_COMPLETE} with the architected length. */
    public static DumpComplete of(long configHandle, long dumpAreaOrigin) {
        return new DumpComplete(UvcbHeader.of(UvCommand.DUMP_COMPLETE), configHandle, dumpAreaOrigin);
    }

    public DumpComplete withHeader(UvcbHeader newHeader) {
        return new DumpComplete(newHeader, configHandle, dumpAreaOrigin);
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
        return b.array();
    }

    public static DumpComplete decode(byte[] bytes) {
        ByteBuffer b = Uvcb.wrap(bytes, SIZE, "DumpComplete");
        return new DumpComplete(UvcbHeader.get(b),
                b.getLong(0x18),
                b.getLong(0x20));
    }
}
