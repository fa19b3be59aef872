package org.pvsim.machine.uv.cb;

/** Convert to Secure Storage (import) and Unpin Page Shared ({@code struct uv_cb_cts}): guest handle and guest absolute address. */
public record ConvertToSecure(UvcbHeader header, long guestHandle, long gaddr) implements Uvcb {
    public static final int SIZE = 0x28;
    private static final UvcbLayout LAYOUT = UvcbLayout.of("ConvertToSecure", SIZE).u64(0x18).u64(0x20);

    /** A fresh block for {@code command} with the architected length. */
    public static ConvertToSecure of(UvCommand command, long guestHandle, long gaddr) {
        return new ConvertToSecure(UvcbHeader.of(command), guestHandle, gaddr);
    }

    public ConvertToSecure withHeader(UvcbHeader newHeader) {
        return new ConvertToSecure(newHeader, guestHandle, gaddr);
    }

    @Override
    public void encodeInto(byte[] block) {
        LAYOUT.encodeInto(block, header, guestHandle, gaddr);
    }

    public static ConvertToSecure decode(byte[] bytes) {
        UvcbLayout.Fields f = LAYOUT.decode(bytes);
        return new ConvertToSecure(f.header(), f.u64(0), f.u64(1));
    }
}
