package org.pvsim.machine.uv.cb;

/**
 * Retrieve Secret ({@code struct uv_cb_retr_secr}, 0x48 bytes): the secret's index (u16 at 0x18), the
 * buffer size (u32 at 0x1c) and the guest address of the buffer (0x20).
 */
public record RetrieveSecret(UvcbHeader header, int secretIdx, int bufSize, long bufAddr) implements Uvcb {
    public static final int SIZE = 0x48;
    private static final UvcbLayout LAYOUT = UvcbLayout.of("RetrieveSecret", SIZE).u16(0x18).u32(0x1c).u64(0x20);

    public static RetrieveSecret of(int secretIdx, int bufSize, long bufAddr) {
        return new RetrieveSecret(UvcbHeader.of(UvCommand.RETR_SECRET), secretIdx, bufSize, bufAddr);
    }

    public RetrieveSecret withHeader(UvcbHeader newHeader) {
        return new RetrieveSecret(newHeader, secretIdx, bufSize, bufAddr);
    }

    @Override
    public void encodeInto(byte[] block) {
        LAYOUT.encodeInto(block, header, secretIdx, bufSize, bufAddr);
    }

    public static RetrieveSecret decode(byte[] bytes) {
        UvcbLayout.Fields f = LAYOUT.decode(bytes);
        return new RetrieveSecret(f.header(), f.small(0), f.small(1), f.u64(2));
    }
}
