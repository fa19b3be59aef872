package org.pvsim.machine.sie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pvsim.machine.sie.SieFixture.*;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.pvsim.machine.cpu.Machine;
import org.pvsim.machine.cpu.Psw;
import org.pvsim.machine.storage.Storage;
import org.pvsim.machine.uv.cb.CreateSecConf;
import org.pvsim.machine.uv.cb.InitUv;
import org.pvsim.machine.uv.cb.NoData;
import org.pvsim.machine.uv.cb.UvCommand;

/**
 * uv-host 13 (reference userspace-and-tests §2.4): diag 308 subcode 1 (load normal) executed by the host's
 * CPU while a secure configuration and CPU are still defined: the storage donated to the UV (INIT, the
 * configuration's, the CPU's) reads back as zeros, and the UV is uninitialised again (INV_STATE, 0x0003).
 */
class HostLoadNormalTest {
    /*
     * At 0x2000 (the short IPL PSW at absolute 0 points there, so the load normal starts it again):
     *   lghi 1,0x3000; cli 0(1),1; je done; mvi 0(1),1; lghi 3,1; diag 0,3,0x308; j .
     *   done: lpswe 0xe00 (a disabled wait at 0xfff)
     */
    static final byte[] PROGRAM = HexFormat.of().parseHex("a7193000950110 00a784000a92011000a739000183030308a7f40000b2b20e00".replace(" ", ""));

    @Test
    void loadNormalInTheHostClearsDonatedStorageAndUninitialisesTheUv() {
        SieFixture f = new SieFixture();
        var g = f.new SecureSnippet(DIAG44); // INIT_UV, a configuration with its image, a CPU
        Storage s = f.storage;
        s.writeLong(0, 0x0008000180002000L, Storage.HOST);
        s.writeLong(0xe00, 0x0002000180000000L, Storage.HOST);
        s.writeLong(0xe08, 0xfff, Storage.HOST);
        s.write(0x2000, PROGRAM, 0, PROGRAM.length, Storage.HOST);
        f.machine.setResetHook(f.uv::machineReset); // as the machine wires its UV (Lpar)
        f.machine.ipl(new Psw(0x0000000180000000L, 0x2000));
        long initLen = f.qui.uvBaseStorLen();
        long secure = g.mem.host(0);
        assertThat(s.stateOf(INIT_ORIGIN >>> 12)).as("INIT storage is the UV's").isEqualTo(Storage.STATE_UV);

        Machine.Result r = f.machine.run(10_000);

        assertThat(r.ending()).isEqualTo(Machine.Ending.DISABLED_WAIT);
        assertThat(r.success()).as("%s", r.detail()).isTrue();
        for (long a = INIT_ORIGIN; a < INIT_ORIGIN + initLen; a += 0x40000) {
            assertThat(f.storage.hostView().readLong(a)).as("INIT storage at 0x%x", a).isZero();
        }
        assertThat(s.stateOf(g.sd >>> 12)).isEqualTo(Storage.STATE_HOST);
        assertThat(f.storage.hostView().readLong(secure)).as("the guest's secure page, now the host's").isZero();
        assertThat(f.call(NoData.of(UvCommand.VERIFY_IMG, g.configHandle)).rc()).isEqualTo(0x0003);
        assertThat(f.call(CreateSecConf.of(0, 0x200000, 0x300000, 0, 0, 1 << 20, 0x400000, g.asce)).rc())
                .isEqualTo(0x0003);
        assertThat(f.call(InitUv.of(INIT_ORIGIN, initLen)).ok()).as("the UV can be initialised again").isTrue();
    }
}
