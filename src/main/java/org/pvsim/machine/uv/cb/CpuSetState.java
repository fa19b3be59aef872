package org.pvsim.machine.uv.cb;

import java.nio.ByteBuffer;

/** Set Secure CPU State ({@code struct uv_cb_cpu_set_state}): 1 operating, 2 stopped, 3 check-stop, 5 operating with load. */
public record CpuSetState(UvcbHeader header, long cpuHandle, int state) implements Uvcb {
    public static final int SIZE = 0x50;

    /** A fresh block for {@link UvCommand#CPU_SET_STATE} with the architected length. */
    public static CpuSetState of(long cpuHandle, int state) {
        return new CpuSetState(UvcbHeader.of(UvCommand.CPU_SET_STATE), cpuHandle, state);
    }

    public CpuSetState withHeader(UvcbHeader newHeader) {
        return new CpuSetState(newHeader, cpuHandle, state);
    }

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public byte[] encode() {
        ByteBuffer b = Uvcb.buffer(SIZE, header);
        b.putLong(0x18, cpuHandle);
        b.put(0x27, (byte) state);
        return b.array();
    }

    public static CpuSetState decode(byte[] bytes) {
        ByteBuffer b = Uvcb.wrap(bytes, SIZE, "CpuSetState");
        return new CpuSetState(UvcbHeader.get(b),
                b.getLong(0x18),
                b.get(0x27) & 0xff);
    }
}
