package org.pvsim.machine.uv.cb;

/** Complete a configuration dump ({@code struct uv_cb_dump_complete}): the key-derivation data. */
public record DumpComplete(UvcbHeader header, long configHandle, long dumpAreaOrigin) implements Uvcb {
    public static final int SIZE = 0x50;
    private static final UvcbLayout LAYOUT = UvcbLayout.of("DumpComplete", SIZE).u64(0x18).u64(0x20);

    /** A fresh block for {@link UvCommand#DUMP_COMPLETE} with the architected length. */
    public static DumpComplete of(long configHandle, long dumpAreaOrigin) {
        return new DumpComplete(UvcbHeader.of(UvCommand.DUMP_COMPLETE), configHandle, dumpAreaOrigin);
    }

    public DumpComplete withHeader(UvcbHeader newHeader) {
        return new DumpComplete(newHeader, configHandle, dumpAreaOrigin);
    }

    @Override
    public void encodeInto(byte[] block) {
        LAYOUT.encodeInto(block, header, configHandle, dumpAreaOrigin);
    }

    public static DumpComplete decode(byte[] bytes) {
        UvcbLayout.Fields f = LAYOUT.decode(bytes);
        return new DumpComplete(f.header(), f.u64(0), f.u64(1));
    }
}
