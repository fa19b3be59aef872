package org.pvsim.machine.uv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pvsim.machine.uv.HostCallConformanceTest.expect;
import static org.pvsim.machine.uv.cb.UvCommand.*;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.pvsim.machine.storage.Storage;
import org.pvsim.machine.uv.cb.InitUv;
import org.pvsim.machine.uv.cb.QueryUvInfo;

/** The machine reset of uv-host 13 and the UV side of pv-ipl's reboot ordering. */
class ResetAndRebootTest {
    @Test
    void loadNormalResetClearsDonatedMemoryAndUninitialisesTheUv() { // uv-host 13
        UvFixture m = new UvFixture();
        m.init();
        var g = m.createGuest(4L << 20);
        var csc = m.cscBlock(g.handle(), 0);
        expect(m.call(csc), 1);
        expect(m.call(org.pvsim.machine.uv.cb.ConvertToSecure.of(CONV_TO_SEC_STOR, g.handle(), 0)), 1);
        m.uv.machineReset();
        for (long a : new long[] {UvFixture.INIT_ORIGIN, g.cgc().confBaseStorOrigin(), g.cgc().confVirtStorOrigin(),
            csc.storOrigin(), g.mem().host(0)}) {
            assertThat(m.stateOf(a)).isEqualTo(Storage.STATE_HOST);
            assertThat(m.storage.readLong(a, Storage.HOST)).isZero();
        }
        expect(m.nodata(DESTROY_SEC_CONF, g.handle()), 0x0003);
        expect(m.call(m.cscBlock(g.handle(), 1)), 0x0003);
        expect(m.call(QueryUvInfo.request()), 1);
        expect(m.call(InitUv.of(UvFixture.INIT_ORIGIN, m.qui.uvBaseStorLen())), 1);
    }

    @Test
    void afterPrepareResetTheCpuLoadsTheResetPswOnlyAfterAnInitialOrClearReset() { // pv-ipl 3..7
        VerifiedGuest vg = new VerifiedGuest(new UvFixture(), 0xe0);
        UvFixture m = vg.m;
        long done = 0x12340;
        vg.guestWrite(0, ByteBuffer.allocate(8).putLong(0x0008000180000000L | done).array());
        expect(m.setState(vg.cpu, 2), 1);
        expect(m.nodata(SET_UNSHARE_ALL, vg.g.handle()), 1);
        expect(m.nodata(PREPARE_RESET, vg.g.handle()), 1);
        expect(m.setState(vg.cpu, 5), 0x0003); // no CPU reset yet
        expect(m.nodata(CPU_RESET, vg.cpu), 1);
        expect(m.setState(vg.cpu, 5), 0x0003); // a normal reset is not enough
        expect(m.nodata(CPU_RESET_CLEAR, vg.cpu), 1);
        expect(m.setState(vg.cpu, 5), 1);
        SecureCpu cpu = m.state.cpus.get(vg.cpu);
        assertThat(cpu.pswMask).isEqualTo(0x0000000180000000L);
        assertThat(cpu.pswAddress).isEqualTo(done);
        assertThat(cpu.state).isEqualTo(SecureCpu.State.OPERATING_LOADED);
    }
}
