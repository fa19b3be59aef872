package org.pvsim.machine.uv.trace;

import org.pvsim.machine.uv.cb.ConvertToSecure;
import org.pvsim.machine.uv.cb.CpuSetState;
import org.pvsim.machine.uv.cb.CreateSecConf;
import org.pvsim.machine.uv.cb.CreateSecCpu;
import org.pvsim.machine.uv.cb.DestroyFast;
import org.pvsim.machine.uv.cb.DumpComplete;
import org.pvsim.machine.uv.cb.DumpCpu;
import org.pvsim.machine.uv.cb.DumpStorState;
import org.pvsim.machine.uv.cb.NoData;
import org.pvsim.machine.uv.cb.SetSecConfParams;
import org.pvsim.machine.uv.cb.Unpack;
import org.pvsim.machine.uv.cb.UvCommand;
import org.pvsim.machine.uv.cb.Uvcb;

/**
 * One UV call as the UV saw it: who issued it, the block as it was left in storage (inputs and
 * outputs), the answer and how long it took. {@code command} is null for an unknown command code.
 */
public record UvCallEvent(int cmd, UvCommand command, int domain, long uvcbAddress, Uvcb block, int cc, int rc,
        int rrc, long durationNanos, boolean injected) {

    /** The configuration or CPU handle the call names or created, 0 if none. */
    public long handle() {
        if (block instanceof CreateSecConf b) return b.guestHandle();
        if (block instanceof CreateSecCpu b) return b.cpuHandle();
        if (block instanceof NoData b) return b.handle();
        if (block instanceof DestroyFast b) return b.handle();
        if (block instanceof ConvertToSecure b) return b.guestHandle();
        if (block instanceof SetSecConfParams b) return b.guestHandle();
        if (block instanceof Unpack b) return b.guestHandle();
        if (block instanceof CpuSetState b) return b.cpuHandle();
        if (block instanceof DumpCpu b) return b.cpuHandle();
        if (block instanceof DumpStorState b) return b.configHandle();
        if (block instanceof DumpComplete b) return b.configHandle();
        return 0;
    }

    public String name() {
        return command != null ? command.name() : String.format("0x%04x", cmd);
    }

    @Override
    public String toString() {
        return String.format("UVC %s %s handle=0x%x cc %d rc 0x%04x rrc 0x%04x %d us%s", name(),
                domain == 0 ? "host" : "guest" + domain, handle(), cc, rc, rrc, durationNanos / 1000,
                injected ? " (injected)" : "");
    }
}
