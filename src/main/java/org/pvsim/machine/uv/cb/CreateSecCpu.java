package org.pvsim.machine.uv.cb;

import java.nio.ByteBuffer;

/** Create Secure CPU ({@code struct uv_cb_csc}); {@code cpuHandle} is output. */
public record CreateSecCpu(UvcbHeader header, long cpuHandle, long guestHandle, long storOrigin, int num, long stateOrigin) implements Uvcb {
    public static final int SIZE = 0x60;

    /** A fresh block for {@link UvCommand#CREATE_SEC_CPU} with the architected length. */
    public static CreateSecCpu of(long cpuHandle, long guestHandle, long storOrigin, int num, long stateOrigin) {
        return new CreateSecCpu(UvcbHeader.of(UvCommand.CREATE_SEC_CPU), cpuHandle, guestHandle, storOrigin, num, stateOrigin);
    }

    public CreateSecCpu withHeader(UvcbHeader newHeader) {
        return new CreateSecCpu(newHeader, cpuHandle, guestHandle, storOrigin, num, stateOrigin);
    }

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public byte[] encode() {
        ByteBuffer b = Uvcb.buffer(SIZE, header);
        b.putLong(0x18, cpuHandle);
        b.putLong(0x20, guestHandle);
        b.putLong(0x28, storOrigin);
        b.putShort(0x36, (short) num);
        b.putLong(0x38, stateOrigin);
        return b.array();
    }

    public static CreateSecCpu decode(byte[] bytes) {
        ByteBuffer b = Uvcb.wrap(bytes, SIZE, "CreateSecCpu");
        return new CreateSecCpu(UvcbHeader.get(b),
                b.getLong(0x18),
                b.getLong(0x20),
                b.getLong(0x28),
                b.getShort(0x36) & 0xffff,
                b.getLong(0x38));
    }
}
