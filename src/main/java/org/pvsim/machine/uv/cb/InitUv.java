package org.pvsim.machine.uv.cb;

import java.nio.ByteBuffer;

/** Initialize Ultravisor ({@code struct uv_cb_init}): donates the UV base storage. */
public record InitUv(UvcbHeader header, long storOrigin, long storLen) implements Uvcb {
    public static final int SIZE = 0x48;

    /** A fresh block for {@link UvCommand#INIT_UV} with the architected length. */
    public static InitUv of(long storOrigin, long storLen) {
        return new InitUv(UvcbHeader.of(UvCommand.INIT_UV), storOrigin, storLen);
    }

    public InitUv withHeader(UvcbHeader newHeader) {
        return new InitUv(newHeader, storOrigin, storLen);
    }

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public byte[] encode() {
        ByteBuffer b = Uvcb.buffer(SIZE, header);
        b.putLong(0x18, storOrigin);
        b.putLong(0x20, storLen);
        return b.array();
    }

    public static InitUv decode(byte[] bytes) {
        ByteBuffer b = Uvcb.wrap(bytes, SIZE, "InitUv");
        return new InitUv(UvcbHeader.get(b),
                b.getLong(0x18),
                b.getLong(0x20));
    }
}
