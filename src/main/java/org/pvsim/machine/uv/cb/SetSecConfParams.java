package org.pvsim.machine.uv.cb;

import java.nio.ByteBuffer;

/** Set Secure Configuration Parameters ({@code struct uv_cb_ssc}): where the SE header is in host storage. */
public record SetSecConfParams(UvcbHeader header, long guestHandle, long secHeaderOrigin, int secHeaderLen) implements Uvcb {
    public static final int SIZE = 0x50;

    /** A fresh block for {@link UvCommand#SET_SEC_CONF_PARAMS} with the architected length. */
    public static SetSecConfParams of(long guestHandle, long secHeaderOrigin, int secHeaderLen) {
        return new SetSecConfParams(UvcbHeader.of(UvCommand.SET_SEC_CONF_PARAMS), guestHandle, secHeaderOrigin, secHeaderLen);
    }

    public SetSecConfParams withHeader(UvcbHeader newHeader) {
        return new SetSecConfParams(newHeader, guestHandle, secHeaderOrigin, secHeaderLen);
    }

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public byte[] encode() {
        ByteBuffer b = Uvcb.buffer(SIZE, header);
        b.putLong(0x18, guestHandle);
        b.putLong(0x20, secHeaderOrigin);
        b.putInt(0x28, secHeaderLen);
        return b.array();
    }

    public static SetSecConfParams decode(byte[] bytes) {
        ByteBuffer b = Uvcb.wrap(bytes, SIZE, "SetSecConfParams");
        return new SetSecConfParams(UvcbHeader.get(b),
                b.getLong(0x18),
                b.getLong(0x20),
                b.getInt(0x28));
    }
}
