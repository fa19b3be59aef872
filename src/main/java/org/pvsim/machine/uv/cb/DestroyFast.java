package org.pvsim.machine.uv.cb;

/** Destroy Secure Configuration Fast ({@code struct uv_cb_destroy_fast}). */
public record DestroyFast(UvcbHeader header, long handle) implements Uvcb {
    public static final int SIZE = 0x48;
    private static final UvcbLayout LAYOUT = UvcbLayout.of("DestroyFast", SIZE).u64(0x18);

    /** A fresh block for {@link UvCommand#DESTROY_SEC_CONF_FAST} with the architected length. */
    public static DestroyFast of(long handle) {
        return new DestroyFast(UvcbHeader.of(UvCommand.DESTROY_SEC_CONF_FAST), handle);
    }

    public DestroyFast withHeader(UvcbHeader newHeader) {
        return new DestroyFast(newHeader, handle);
    }

    @Override
    public void encodeInto(byte[] block) {
        LAYOUT.encodeInto(block, header, handle);
    }

    public static DestroyFast decode(byte[] bytes) {
        UvcbLayout.Fields f = LAYOUT.decode(bytes);
        return new DestroyFast(f.header(), f.u64(0));
    }
}
