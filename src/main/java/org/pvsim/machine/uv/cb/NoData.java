package org.pvsim.machine.uv.cb;

import java.nio.ByteBuffer;

/** A call that carries only a handle ({@code struct uv_cb_nodata}): destroy CPU/config, verify, resets, prepare reset, unshare all, dump init. */
public record NoData(UvcbHeader header, long handle) implements Uvcb {
    public static final int SIZE = 0x40;

    /** A fresh block for {@code command} with the architected length. */
    public static NoData of(UvCommand command, long handle) {
        return new NoData(UvcbHeader.of(command), handle);
    }

    public NoData withHeader(UvcbHeader newHeader) {
        return new NoData(newHeader, handle);
    }

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public byte[] encode() {
        ByteBuffer b = Uvcb.buffer(SIZE, header);
        b.putLong(0x18, handle);
        return b.array();
    }

    public static NoData decode(byte[] bytes) {
        ByteBuffer b = Uvcb.wrap(bytes, SIZE, "NoData");
        return new NoData(UvcbHeader.get(b),
                b.getLong(0x18));
    }
}
