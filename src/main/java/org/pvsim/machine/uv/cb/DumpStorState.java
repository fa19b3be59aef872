package org.pvsim.machine.uv.cb;

/** Dump the storage state of 1 MiB of guest storage ({@code struct uv_cb_dump_stor_state}). */
public record DumpStorState(UvcbHeader header, long configHandle, long dumpAreaOrigin, long gaddr) implements Uvcb {
    public static final int SIZE = 0x50;
    private static final UvcbLayout LAYOUT = UvcbLayout.of("DumpStorState", SIZE).u64(0x18).u64(0x20).u64(0x28);

    /** A fresh block for {@link UvCommand#DUMP_CONF_STOR_STATE} with the architected length. */
    public static DumpStorState of(long configHandle, long dumpAreaOrigin, long gaddr) {
        return new DumpStorState(UvcbHeader.of(UvCommand.DUMP_CONF_STOR_STATE), configHandle, dumpAreaOrigin, gaddr);
    }

    public DumpStorState withHeader(UvcbHeader newHeader) {
        return new DumpStorState(newHeader, configHandle, dumpAreaOrigin, gaddr);
    }

    @Override
    public void encodeInto(byte[] block) {
        LAYOUT.encodeInto(block, header, configHandle, dumpAreaOrigin, gaddr);
    }

    public static DumpStorState decode(byte[] bytes) {
        UvcbLayout.Fields f = LAYOUT.decode(bytes);
        return new DumpStorState(f.header(), f.u64(0), f.u64(1), f.u64(2));
    }
}
