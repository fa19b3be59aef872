package org.pvsim.machine.uv.cb;

/** Initialize Ultravisor ({@code struct uv_cb_init}): donates the UV base storage. */
public record InitUv(UvcbHeader header, long storOrigin, long storLen) implements Uvcb {
    public static final int SIZE = 0x48;
    private static final UvcbLayout LAYOUT = UvcbLayout.of("InitUv", SIZE).u64(0x18).u64(0x20);

    /** A fresh block for {@link UvCommand#INIT_UV} with the architected length. */
    public static InitUv of(long storOrigin, long storLen) {
        return new InitUv(UvcbHeader.of(UvCommand.INIT_UV), storOrigin, storLen);
    }

    public InitUv withHeader(UvcbHeader newHeader) {
        return new InitUv(newHeader, storOrigin, storLen);
    }

    @Override
    public void encodeInto(byte[] block) {
        LAYOUT.encodeInto(block, header, storOrigin, storLen);
    }

    public static InitUv decode(byte[] bytes) {
        UvcbLayout.Fields f = LAYOUT.decode(bytes);
        return new InitUv(f.header(), f.u64(0), f.u64(1));
    }
}
