package org.pvsim.machine;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.interfaces.ECPrivateKey;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pvsim.machine.cpu.Machine;
import org.pvsim.machine.storage.Storage;
import org.pvsim.machine.uv.HostKey;
import org.pvsim.machine.uv.cb.CreateSecConf;
import org.pvsim.machine.uv.cb.InitUv;
import org.pvsim.machine.uv.cb.NoData;
import org.pvsim.machine.uv.cb.QueryUvInfo;
import org.pvsim.machine.uv.cb.UvCaller;
import org.pvsim.machine.uv.cb.UvCommand;

class SimulatedMachineTest {
    static final List<ECPrivateKey> KEYS = List.of(HostKey.generate().privateKey());
    static final InitUv INIT = InitUv.of(1L << 31, org.pvsim.machine.uv.UvParameters.UV_BASE_STOR_LEN);

    static UvCaller host(SimulatedMachine m) {
        return new UvCaller(m.hostStorage(), m.uvc(), 0x10000);
    }

    @Test
    void initUvCountsTheOperatingCpusOfTheMachine() { // uv-host 6 through the machine's census
        Machine cpus = new Machine(new Machine.Options(Storage.DEFAULT_SIZE, 2, true, true), s -> { });
        SimulatedMachine m = SimulatedMachine.withCpus(cpus, KEYS);
        UvCaller host = host(m);
        cpus.cpu(0).start();
        cpus.cpu(1).start();
        assertThat(host.call(INIT).rc()).isEqualTo(0x0102);
        cpus.cpu(1).stop();
        assertThat(host.call(INIT).rc()).isEqualTo(0x0001);
    }

    @Test
    void aMachineWithoutCpusCountsOnlyTheCaller() {
        SimulatedMachine m = SimulatedMachine.create(Storage.DEFAULT_SIZE, KEYS);
        assertThat(host(m).call(INIT).rc()).isEqualTo(0x0001);
    }

    @Test
    void machineResetForgetsConfigurationsAndNeedsANewInitUv() {
        // built on CPUs of our own (none started), so that the test can look at the frame tags the host cannot
        Machine cpus = new Machine(new Machine.Options(Storage.DEFAULT_SIZE, 1, true, true), s -> { });
        Storage storage = cpus.storage();
        SimulatedMachine m = SimulatedMachine.withCpus(cpus, KEYS);
        UvCaller host = host(m);
        QueryUvInfo q = host.call(QueryUvInfo.request()).cb();
        assertThat(host.call(INIT).rc()).isEqualTo(0x0001);
        long base = 0x1000000;
        long var = base + q.confBasePhysStorLen();
        long tables = 0x2000000;
        for (int i = 0; i < 2048; i++) {
            m.hostStorage().writeLong(tables + 8L * i, 0x20); // invalid segment entries
        }
        var created = host.call(CreateSecConf.of(0, base, var, 0, 0, 1 << 20, 0x3000000, tables | 0x103));
        assertThat(created.rc()).as("%s", created).isEqualTo(0x0001);
        long handle = created.cb().guestHandle();
        assertThat(storage.tagOf(base >>> 12)).as("base storage donated").isNotZero();

        m.machineReset();

        assertThat(storage.tagOf(base >>> 12)).as("donated storage given back").isZero();
        assertThat(host.call(NoData.of(UvCommand.DESTROY_SEC_CONF, handle)).rc()).as("uninitialised")
                .isEqualTo(0x0003);
        assertThat(host.call(INIT).rc()).isEqualTo(0x0001);
        assertThat(host.call(NoData.of(UvCommand.DESTROY_SEC_CONF, handle)).rc()).as("the handle is gone")
                .isEqualTo(0x0020);
    }
}
