package org.pvsim.machine.uv.cb;

import java.nio.ByteBuffer;

/** Convert to Secure Storage (import) and Unpin Page Shared ({@code struct uv_cb_cts}): guest handle and guest absolute address. */
public record ConvertToSecure(UvcbHeader header, long guestHandle, long gaddr) implements Uvcb {
    public static final int SIZE = 0x28;

    /** A fresh block for {@code command} with the architected length. */
    public static ConvertToSecure of(UvCommand command, long guestHandle, long gaddr) {
        return new ConvertToSecure(UvcbHeader.of(command), guestHandle, gaddr);
    }

    public ConvertToSecure withHeader(UvcbHeader newHeader) {
        return new ConvertToSecure(newHeader, guestHandle, gaddr);
    }

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public byte[] encode() {
        ByteBuffer b = Uvcb.buffer(SIZE, header);
        b.putLong(0x18, guestHandle);
        b.putLong(0x20, gaddr);
        return b.array();
    }

    public static ConvertToSecure decode(byte[] bytes) {
        ByteBuffer b = Uvcb.wrap(bytes, SIZE, "ConvertToSecure");
        return new ConvertToSecure(UvcbHeader.get(b),
                b.getLong(0x18),
                b.getLong(0x20));
    }
}
