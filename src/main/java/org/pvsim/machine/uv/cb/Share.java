package org.pvsim.machine.uv.cb;

/** Set/Remove Shared Access, issued by a secure guest ({@code struct uv_cb_share}): guest absolute address of the page. */
public record Share(UvcbHeader header, long paddr) implements Uvcb {
    public static final int SIZE = 0x30;
    private static final UvcbLayout LAYOUT = UvcbLayout.of("Share", SIZE).u64(0x20);

    /** A fresh block for {@code command} with the architected length. */
    public static Share of(UvCommand command, long paddr) {
        return new Share(UvcbHeader.of(command), paddr);
    }

    public Share withHeader(UvcbHeader newHeader) {
        return new Share(newHeader, paddr);
    }

    @Override
    public void encodeInto(byte[] block) {
        LAYOUT.encodeInto(block, header, paddr);
    }

    public static Share decode(byte[] bytes) {
        UvcbLayout.Fields f = LAYOUT.decode(bytes);
        return new Share(f.header(), f.u64(0));
    }
}
