package org.pvsim.machine.uv.cb;

/** A guest call with one guest address ({@code struct uv_cb_guest_addr}, 0x48 bytes): Add Secret's request address. */
public record GuestAddr(UvcbHeader header, long addr) implements Uvcb {
    public static final int SIZE = 0x48;
    private static final UvcbLayout LAYOUT = UvcbLayout.of("GuestAddr", SIZE).u64(0x20);

    public static GuestAddr of(UvCommand command, long addr) {
        return new GuestAddr(UvcbHeader.of(command), addr);
    }

    public GuestAddr withHeader(UvcbHeader newHeader) {
        return new GuestAddr(newHeader, addr);
    }

    @Override
    public void encodeInto(byte[] block) {
        LAYOUT.encodeInto(block, header, addr);
    }

    public static GuestAddr decode(byte[] bytes) {
        UvcbLayout.Fields f = LAYOUT.decode(bytes);
        return new GuestAddr(f.header(), f.u64(0));
    }
}
