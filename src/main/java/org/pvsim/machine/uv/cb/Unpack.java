package org.pvsim.machine.uv.cb;

import java.nio.ByteBuffer;

/** Unpack (decrypt) one image page at a guest address ({@code struct uv_cb_unp}); tweak = component prefix || page offset. */
public record Unpack(UvcbHeader header, long guestHandle, long gaddr, long tweak0, long tweak1) implements Uvcb {
    public static final int SIZE = 0x50;

    /** A fresh block for {@link UvCommand#UNPACK_IMG} with the architected length. */
    public static Unpack of(long guestHandle, long gaddr, long tweak0, long tweak1) {
        return new Unpack(UvcbHeader.of(UvCommand.UNPACK_IMG), guestHandle, gaddr, tweak0, tweak1);
    }

    public Unpack withHeader(UvcbHeader newHeader) {
        return new Unpack(newHeader, guestHandle, gaddr, tweak0, tweak1);
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
        b.putLong(0x28, tweak0);
        b.putLong(0x30, tweak1);
        return b.array();
    }

    public static Unpack decode(byte[] bytes) {
        ByteBuffer b = Uvcb.wrap(bytes, SIZE, "Unpack");
        return new Unpack(UvcbHeader.get(b),
                b.getLong(0x18),
                b.getLong(0x20),
                b.getLong(0x28),
                b.getLong(0x30));
    }
}
