package org.pvsim.machine.uv.cb;

import java.nio.ByteBuffer;

/** Create Secure Configuration ({@code struct uv_cb_cgc}); {@code guestHandle} is output. */
public record CreateSecConf(UvcbHeader header, long guestHandle, long confBaseStorOrigin, long confVirtStorOrigin, int flags, long guestStorOrigin, long guestStorLen, long guestSca, long guestAsce) implements Uvcb {
    public static final int SIZE = 0x80;

    /** A fresh block for {@link UvCommand#CREATE_SEC_CONF} with the architected length. */
    public static CreateSecConf of(long guestHandle, long confBaseStorOrigin, long confVirtStorOrigin, int flags, long guestStorOrigin, long guestStorLen, long guestSca, long guestAsce) {
        return new CreateSecConf(UvcbHeader.of(UvCommand.CREATE_SEC_CONF), guestHandle, confBaseStorOrigin, confVirtStorOrigin, flags, guestStorOrigin, guestStorLen, guestSca, guestAsce);
    }

    public CreateSecConf withHeader(UvcbHeader newHeader) {
        return new CreateSecConf(newHeader, guestHandle, confBaseStorOrigin, confVirtStorOrigin, flags, guestStorOrigin, guestStorLen, guestSca, guestAsce);
    }

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public byte[] encode() {
        ByteBuffer b = Uvcb.buffer(SIZE, header);
        b.putLong(0x18, guestHandle);
        b.putLong(0x20, confBaseStorOrigin);
        b.putLong(0x28, confVirtStorOrigin);
        b.putShort(0x36, (short) flags);
        b.putLong(0x38, guestStorOrigin);
        b.putLong(0x40, guestStorLen);
        b.putLong(0x48, guestSca);
        b.putLong(0x50, guestAsce);
        return b.array();
    }

    public static CreateSecConf decode(byte[] bytes) {
        ByteBuffer b = Uvcb.wrap(bytes, SIZE, "CreateSecConf");
        return new CreateSecConf(UvcbHeader.get(b),
                b.getLong(0x18),
                b.getLong(0x20),
                b.getLong(0x28),
                b.getShort(0x36) & 0xffff,
                b.getLong(0x38),
                b.getLong(0x40),
                b.getLong(0x48),
                b.getLong(0x50));
    }
}
