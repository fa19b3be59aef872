package org.pvsim.machine.uv.cb;

/** Set Secure Configuration Parameters ({@code struct uv_cb_ssc}): where the SE header is in host storage. */
public record SetSecConfParams(UvcbHeader header, long guestHandle, long secHeaderOrigin, int secHeaderLen) implements Uvcb {
    public static final int SIZE = 0x50;
    private static final UvcbLayout LAYOUT = UvcbLayout.of("SetSecConfParams", SIZE).u64(0x18).u64(0x20).u32(0x28);

    /** A fresh block for {@link UvCommand#SET_SEC_CONF_PARAMS} with the architected length. */
    public static SetSecConfParams of(long guestHandle, long secHeaderOrigin, int secHeaderLen) {
        return new SetSecConfParams(UvcbHeader.of(UvCommand.SET_SEC_CONF_PARAMS), guestHandle, secHeaderOrigin, secHeaderLen);
    }

    public SetSecConfParams withHeader(UvcbHeader newHeader) {
        return new SetSecConfParams(newHeader, guestHandle, secHeaderOrigin, secHeaderLen);
    }

    @Override
    public void encodeInto(byte[] block) {
        LAYOUT.encodeInto(block, header, guestHandle, secHeaderOrigin, secHeaderLen);
    }

    public static SetSecConfParams decode(byte[] bytes) {
        UvcbLayout.Fields f = LAYOUT.decode(bytes);
        return new SetSecConfParams(f.header(), f.u64(0), f.u64(1), f.small(2));
    }
}
