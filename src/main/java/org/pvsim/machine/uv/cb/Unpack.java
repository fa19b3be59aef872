package org.pvsim.machine.uv.cb;

/** Unpack (decrypt) one image page at a guest address ({@code struct uv_cb_unp}); tweak = component prefix || page offset. */
public record Unpack(UvcbHeader header, long guestHandle, long gaddr, long tweak0, long tweak1) implements Uvcb {
    public static final int SIZE = 0x50;
    private static final UvcbLayout LAYOUT = UvcbLayout.of("Unpack", SIZE).u64(0x18).u64(0x20).u64(0x28).u64(0x30);

    /** A fresh block for {@link UvCommand#UNPACK_IMG} with the architected length. */
    public static Unpack of(long guestHandle, long gaddr, long tweak0, long tweak1) {
        return new Unpack(UvcbHeader.of(UvCommand.UNPACK_IMG), guestHandle, gaddr, tweak0, tweak1);
    }

    public Unpack withHeader(UvcbHeader newHeader) {
        return new Unpack(newHeader, guestHandle, gaddr, tweak0, tweak1);
    }

    @Override
    public void encodeInto(byte[] block) {
        LAYOUT.encodeInto(block, header, guestHandle, gaddr, tweak0, tweak1);
    }

    public static Unpack decode(byte[] bytes) {
        UvcbLayout.Fields f = LAYOUT.decode(bytes);
        return new Unpack(f.header(), f.u64(0), f.u64(1), f.u64(2), f.u64(3));
    }
}
