package org.pvsim.machine.uv.cb;

import java.nio.ByteBuffer;

/** Convert from Secure Storage (export), Destroy Secure Storage and Pin Page Shared ({@code struct uv_cb_cfs}): host absolute address. */
public record ConvertFromSecure(UvcbHeader header, long paddr) implements Uvcb {
    public static final int SIZE = 0x20;

    /** A fresh block for {@code command} with the architected length. */
    public static ConvertFromSecure of(UvCommand command, long paddr) {
        return new ConvertFromSecure(UvcbHeader.of(command), paddr);
    }

    public ConvertFromSecure withHeader(UvcbHeader newHeader) {
        return new ConvertFromSecure(newHeader, paddr);
    }

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public byte[] encode() {
        ByteBuffer b = Uvcb.buffer(SIZE, header);
        b.putLong(0x18, paddr);
        return b.array();
    }

    public static ConvertFromSecure decode(byte[] bytes) {
        ByteBuffer b = Uvcb.wrap(bytes, SIZE, "ConvertFromSecure");
        return new ConvertFromSecure(UvcbHeader.get(b),
                b.getLong(0x18));
    }
}
