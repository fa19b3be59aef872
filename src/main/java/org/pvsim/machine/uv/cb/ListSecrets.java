package org.pvsim.machine.uv.cb;

/**
 * List Secrets ({@code struct uv_cb_list_secrets}, 0x48 bytes): the first index to list (u16 at 0x1e)
 * and the guest address of the one-page list (0x20).
 */
public record ListSecrets(UvcbHeader header, int startIdx, long listAddr) implements Uvcb {
    public static final int SIZE = 0x48;
    private static final UvcbLayout LAYOUT = UvcbLayout.of("ListSecrets", SIZE).u16(0x1e).u64(0x20);

    public static ListSecrets of(int startIdx, long listAddr) {
        return new ListSecrets(UvcbHeader.of(UvCommand.LIST_SECRETS), startIdx, listAddr);
    }

    public ListSecrets withHeader(UvcbHeader newHeader) {
        return new ListSecrets(newHeader, startIdx, listAddr);
    }

    @Override
    public void encodeInto(byte[] block) {
        LAYOUT.encodeInto(block, header, startIdx, listAddr);
    }

    public static ListSecrets decode(byte[] bytes) {
        UvcbLayout.Fields f = LAYOUT.decode(bytes);
        return new ListSecrets(f.header(), f.small(0), f.u64(1));
    }
}
