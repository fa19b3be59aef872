package org.pvsim.machine.uv.cb;

import java.nio.ByteBuffer;

/** Set/Remove Shared Access, issued by a secure guest ({@code struct uv_cb_share}): guest absolute address of the page. */
public record Share(UvcbHeader header, long paddr) implements Uvcb {
    public static final int SIZE = 0x30;

    /** A fresh block for {@code command} with the architected length. */
    public static Share of(UvCommand command, long paddr) {
        return new Share(UvcbHeader.of(command), paddr);
    }

    public Share withHeader(UvcbHeader newHeader) {
        return new Share(newHeader, paddr);
    }

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public byte[] encode() {
        ByteBuffer b = Uvcb.buffer(SIZE, header);
        b.putLong(0x20, paddr);
        return b.array();
    }

    public static Share decode(byte[] bytes) {
        ByteBuffer b = Uvcb.wrap(bytes, SIZE, "Share");
        return new Share(UvcbHeader.get(b),
                b.getLong(0x20));
    }
}
