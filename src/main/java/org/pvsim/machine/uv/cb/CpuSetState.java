package org.pvsim.machine.uv.cb;

/** Set Secure CPU State ({@code struct uv_cb_cpu_set_state}): 1 operating, 2 stopped, 3 check-stop, 5 operating with load. */
public record CpuSetState(UvcbHeader header, long cpuHandle, int state) implements Uvcb {
    public static final int SIZE = 0x50;
    private static final UvcbLayout LAYOUT = UvcbLayout.of("CpuSetState", SIZE).u64(0x18).u8(0x27);

    /** A fresh block for {@link UvCommand#CPU_SET_STATE} with the architected length. */
    public static CpuSetState of(long cpuHandle, int state) {
        return new CpuSetState(UvcbHeader.of(UvCommand.CPU_SET_STATE), cpuHandle, state);
    }

    public CpuSetState withHeader(UvcbHeader newHeader) {
        return new CpuSetState(newHeader, cpuHandle, state);
    }

    @Override
    public void encodeInto(byte[] block) {
        LAYOUT.encodeInto(block, header, cpuHandle, state);
    }

    public static CpuSetState decode(byte[] bytes) {
        UvcbLayout.Fields f = LAYOUT.decode(bytes);
        return new CpuSetState(f.header(), f.u64(0), f.small(1));
    }
}
