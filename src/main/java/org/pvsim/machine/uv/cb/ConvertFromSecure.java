package org.pvsim.machine.uv.cb;

/** Convert from Secure Storage (export), Destroy Secure Storage and Pin Page Shared ({@code struct uv_cb_cfs}): host absolute address. */
public record ConvertFromSecure(UvcbHeader header, long paddr) implements Uvcb {
    public static final int SIZE = 0x20;
    private static final UvcbLayout LAYOUT = UvcbLayout.of("ConvertFromSecure", SIZE).u64(0x18);

    /** A fresh block for {@code command} with the architected length. */
    public static ConvertFromSecure of(UvCommand command, long paddr) {
        return new ConvertFromSecure(UvcbHeader.of(command), paddr);
    }

    public ConvertFromSecure withHeader(UvcbHeader newHeader) {
        return new ConvertFromSecure(newHeader, paddr);
    }

    @Override
    public void encodeInto(byte[] block) {
        LAYOUT.encodeInto(block, header, paddr);
    }

    public static ConvertFromSecure decode(byte[] bytes) {
        UvcbLayout.Fields f = LAYOUT.decode(bytes);
        return new ConvertFromSecure(f.header(), f.u64(0));
    }
}
