package org.pvsim.machine.uv.cb;

import java.nio.ByteBuffer;

/** Destroy Secure Configuration Fast ({@code struct uv_cb_destroy_fast}). */
public record DestroyFast(UvcbHeader header, long handle) implements Uvcb {
    public static final int SIZE = 0x48;

    /** A fresh block for {@link UvCommand#DESTROY_SEC_CONF_FAST} with the architected length. */
    public static DestroyFast of(long handle) {
        return new DestroyFast(UvcbHeader.of(UvCommand.DESTROY_SEC_CONF_FAST), handle);
    }

    public DestroyFast withHeader(UvcbHeader newHeader) {
        return new DestroyFast(newHeader, handle);
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

    public static DestroyFast decode(byte[] bytes) {
        ByteBuffer b = Uvcb.wrap(bytes, SIZE, "DestroyFast");
        return new DestroyFast(UvcbHeader.get(b),
                b.getLong(0x18));
    }
}
