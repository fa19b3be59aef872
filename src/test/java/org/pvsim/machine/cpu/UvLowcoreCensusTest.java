package org.pvsim.machine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pvsim.machine.SimulatedMachine;
import org.pvsim.machine.uv.cb.CreateSecConf;
import org.pvsim.machine.uv.cb.InitUv;
import org.pvsim.machine.uv.cb.QueryUvInfo;
import org.pvsim.machine.uv.cb.UvCaller;

/**
 * uv-host 8, "variable storage area contains lowcore": with a second CPU's prefix set inside the storage
 * a CREATE_SEC_CONF would donate, the UV refuses it (0x10e) and hands out no handle; the UV knows the
 * machine's CPUs' prefixes. With the prefix moved away the same call succeeds.
 */
class UvLowcoreCensusTest {
    @Test
    void variableStorageHoldingAnotherCpusPrefixAreaIsRefusedWith0x10e() {
        Machine m = new Machine(new Machine.Options(4L << 30, 2, true, true), s -> { });
        SimulatedMachine sm = SimulatedMachine.withCpus(m, List.of(UvcTranslationTest.HOST_KEY));
        UvCaller host = new UvCaller(sm.hostStorage(), sm.uvc(), 0x10000);
        QueryUvInfo qui = host.call(QueryUvInfo.request()).cb();
        assertThat(host.call(InitUv.of(1L << 31, qui.uvBaseStorLen())).ok()).isTrue();
        long base = 0x100000;
        long var = base + ((qui.confBasePhysStorLen() + 0xfffff) & ~0xfffffL);
        CreateSecConf cgc = CreateSecConf.of(0, base, var, 0, 0, 1L << 20, 0x800000, 0x900000 | 0x100 | 3);

        m.cpu(1).prefix = var + 0x2000;
        UvCaller.Answer<CreateSecConf> refused = host.call(cgc);
        assertThat(refused.rc()).isEqualTo(0x010e);
        assertThat(refused.cb().guestHandle()).isZero();

        m.cpu(1).prefix = 0x40000;
        assertThat(host.call(cgc).rc()).isEqualTo(0x0001);
    }
}
