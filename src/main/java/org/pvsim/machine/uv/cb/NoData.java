package org.pvsim.machine.uv.cb;

/** A call that carries only a handle ({@code struct uv_cb_nodata}): destroy CPU/config, verify, resets, prepare reset, unshare all, dump init. */
public record NoData(UvcbHeader header, long handle) implements Uvcb {
    public static final int SIZE = 0x40;
    private static final UvcbLayout LAYOUT = UvcbLayout.of("NoData", SIZE).u64(0x18);

    /** A fresh block for {@code command} with the architected length. */
    public static NoData of(UvCommand command, long handle) {
        return new NoData(UvcbHeader.of(command), handle);
    }

    public NoData withHeader(UvcbHeader newHeader) {
        return new NoData(newHeader, handle);
    }

    @Override
    public void encodeInto(byte[] block) {
        LAYOUT.encodeInto(block, header, handle);
    }

    public static NoData decode(byte[] bytes) {
        UvcbLayout.Fields f = LAYOUT.decode(bytes);
        return new NoData(f.header(), f.u64(0));
    }
}
