package org.pvsim.machine.uv.cb;

/** Create Secure Configuration ({@code struct uv_cb_cgc}); {@code guestHandle} is output. */
public record CreateSecConf(UvcbHeader header, long guestHandle, long confBaseStorOrigin, long confVirtStorOrigin, int flags, long guestStorOrigin, long guestStorLen, long guestSca, long guestAsce) implements Uvcb {
    public static final int SIZE = 0x80;
    private static final UvcbLayout LAYOUT = UvcbLayout.of("CreateSecConf", SIZE)
            .u64(0x18).u64(0x20).u64(0x28).u16(0x36).u64(0x38).u64(0x40).u64(0x48).u64(0x50);

    /** A fresh block for {@link UvCommand#CREATE_SEC_CONF} with the architected length. */
    public static CreateSecConf of(long guestHandle, long confBaseStorOrigin, long confVirtStorOrigin, int flags, long guestStorOrigin, long guestStorLen, long guestSca, long guestAsce) {
        return new CreateSecConf(UvcbHeader.of(UvCommand.CREATE_SEC_CONF), guestHandle, confBaseStorOrigin, confVirtStorOrigin, flags, guestStorOrigin, guestStorLen, guestSca, guestAsce);
    }

    public CreateSecConf withHeader(UvcbHeader newHeader) {
        return new CreateSecConf(newHeader, guestHandle, confBaseStorOrigin, confVirtStorOrigin, flags, guestStorOrigin, guestStorLen, guestSca, guestAsce);
    }

    /** The block as the UV answers it: with the handle of the configuration it created. */
    public CreateSecConf withGuestHandle(long newGuestHandle) {
        return new CreateSecConf(header, newGuestHandle, confBaseStorOrigin, confVirtStorOrigin, flags, guestStorOrigin, guestStorLen, guestSca, guestAsce);
    }

    @Override
    public void encodeInto(byte[] block) {
        LAYOUT.encodeInto(block, header, guestHandle, confBaseStorOrigin, confVirtStorOrigin, flags, guestStorOrigin,
                guestStorLen, guestSca, guestAsce);
    }

    public static CreateSecConf decode(byte[] bytes) {
        UvcbLayout.Fields f = LAYOUT.decode(bytes);
        return new CreateSecConf(f.header(), f.u64(0), f.u64(1), f.u64(2), f.small(3), f.u64(4), f.u64(5), f.u64(6),
                f.u64(7));
    }
}
