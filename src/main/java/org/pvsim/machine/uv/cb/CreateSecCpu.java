package org.pvsim.machine.uv.cb;

/** Create Secure CPU ({@code struct uv_cb_csc}); {@code cpuHandle} is output. */
public record CreateSecCpu(UvcbHeader header, long cpuHandle, long guestHandle, long storOrigin, int num, long stateOrigin) implements Uvcb {
    public static final int SIZE = 0x60;
    private static final UvcbLayout LAYOUT = UvcbLayout.of("CreateSecCpu", SIZE)
            .u64(0x18).u64(0x20).u64(0x28).u16(0x36).u64(0x38);

    /** A fresh block for {@link UvCommand#CREATE_SEC_CPU} with the architected length. */
    public static CreateSecCpu of(long cpuHandle, long guestHandle, long storOrigin, int num, long stateOrigin) {
        return new CreateSecCpu(UvcbHeader.of(UvCommand.CREATE_SEC_CPU), cpuHandle, guestHandle, storOrigin, num, stateOrigin);
    }

    public CreateSecCpu withHeader(UvcbHeader newHeader) {
        return new CreateSecCpu(newHeader, cpuHandle, guestHandle, storOrigin, num, stateOrigin);
    }

    /** The block as the UV answers it: with the handle of the CPU it created. */
    public CreateSecCpu withCpuHandle(long newCpuHandle) {
        return new CreateSecCpu(header, newCpuHandle, guestHandle, storOrigin, num, stateOrigin);
    }

    @Override
    public void encodeInto(byte[] block) {
        LAYOUT.encodeInto(block, header, cpuHandle, guestHandle, storOrigin, num, stateOrigin);
    }

    public static CreateSecCpu decode(byte[] bytes) {
        UvcbLayout.Fields f = LAYOUT.decode(bytes);
        return new CreateSecCpu(f.header(), f.u64(0), f.u64(1), f.u64(2), f.small(3), f.u64(4));
    }
}
