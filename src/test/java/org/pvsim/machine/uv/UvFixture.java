package org.pvsim.machine.uv;

import static org.assertj.core.api.Assertions.assertThat;

import org.pvsim.machine.storage.Storage;
import org.pvsim.machine.uv.cb.CpuSetState;
import org.pvsim.machine.uv.cb.CreateSecConf;
import org.pvsim.machine.uv.cb.CreateSecCpu;
import org.pvsim.machine.uv.cb.InitUv;
import org.pvsim.machine.uv.cb.NoData;
import org.pvsim.machine.uv.cb.QueryUvInfo;
import org.pvsim.machine.uv.cb.UvCaller;
import org.pvsim.machine.uv.cb.UvCommand;
import org.pvsim.machine.uv.cb.Uvcb;
import org.pvsim.machine.uv.trace.UvFaultRules;

/**
 * A machine for UV tests, used through storage and UV calls, as a host kernel would: 4 GiB of
 * sparse storage, a host allocator below 2 GiB, INIT storage at 2 GiB, guest memory mapped with real
 * DAT tables (segment-table ASCE, 4 KiB page tables). The fixture creates the UV's state itself and
 * keeps it ({@link #state}), so tests can check what the UV knows; the UV has no door to it.
 */
final class UvFixture {
    static final long SCRATCH = 0x10000;
    static final long INIT_ORIGIN = 1L << 31;
    static final MachineIdentity IDENTITY = MachineIdentity.generate(2);

    final Storage storage;
    final UvState state;
    final Ultravisor uv;
    final UvCaller host;
    final QueryUvInfo qui;
    private long next = 0x100000; // host allocator, 1 MiB upwards

    UvFixture() {
        this(new Storage(Storage.DEFAULT_SIZE), IDENTITY);
    }

    UvFixture(Storage storage, MachineIdentity identity) {
        this.storage = storage;
        this.state = new UvState(storage, UvParameters.defaults(), identity);
        this.uv = new Ultravisor(state, new UvFaultRules());
        this.host = new UvCaller(storage.hostView(), uv, SCRATCH);
        this.qui = host.call(QueryUvInfo.request()).cb();
    }

    /** Host memory: {@code len} bytes aligned to {@code align}. */
    long alloc(long len, long align) {
        next = (next + align - 1) & -align;
        long a = next;
        next += (len + 0xfff) & ~0xfffL;
        return a;
    }

    /** The end of what the host allocator handed out (everything from 1 MiB up to here). */
    long allocatedEnd() {
        return next;
    }

    <T extends Uvcb> UvCaller.Answer<T> call(T cb) {
        return host.call(cb);
    }

    void init() {
        var a = call(InitUv.of(INIT_ORIGIN, qui.uvBaseStorLen()));
        assertThat(a.ok()).as("INIT_UV %s", a).isTrue();
    }

    /** A guest's storage: host frames and the DAT tables that map guest 0..msl onto them. */
    record GuestMemory(long hostBase, long msl, long asce) {
        long host(long gaddr) {
            return hostBase + gaddr;
        }
    }

    GuestMemory guestMemory(long msl) {
        long base = alloc(msl, 1L << 20);
        long segTable = alloc(4 * 4096, 4 * 4096);
        for (long seg = 0; seg < msl >>> 20; seg++) {
            long pt = alloc(2048, 4096);
            storage.writeLong(segTable + seg * 8, pt, Storage.HOST);
            for (int p = 0; p < 256; p++) {
                storage.writeLong(pt + p * 8L, base + (seg << 20) + ((long) p << 12), Storage.HOST);
            }
        }
        for (long seg = msl >>> 20; seg < 2048; seg++) {
            storage.writeLong(segTable + seg * 8, 0x20, Storage.HOST); // invalid
        }
        long asce = segTable | 0x3 /* TL */ | 0x100 /* private */;
        return new GuestMemory(base, msl, asce);
    }

    /** A configuration's creation block with fresh donated storage (not yet issued). */
    CreateSecConf cgcBlock(GuestMemory mem) {
        long base = alloc(qui.confBasePhysStorLen(), 0x4000);
        long var = alloc(qui.confBaseVirtStorLen() + (mem.msl() >>> 20) * qui.confVirtVarStorLen(), 4096);
        long sca = alloc(0x4000, 0x4000);
        return CreateSecConf.of(0, base, var, 0, 0, mem.msl(), sca, mem.asce());
    }

    /** A created configuration: its handle and memory. */
    record Guest(long handle, GuestMemory mem, CreateSecConf cgc) {
    }

    Guest createGuest(long msl) {
        GuestMemory mem = guestMemory(msl);
        var a = call(cgcBlock(mem));
        assertThat(a.ok()).as("CREATE_SEC_CONF %s", a).isTrue();
        return new Guest(a.cb().guestHandle(), mem, a.cb());
    }

    CreateSecCpu cscBlock(long guestHandle, int num) {
        return CreateSecCpu.of(0, guestHandle, alloc(qui.cpuStorLen(), 4096), num, alloc(4096, 4096));
    }

    long createCpu(long guestHandle, int num) {
        var a = call(cscBlock(guestHandle, num));
        assertThat(a.ok()).as("CREATE_SEC_CPU %s", a).isTrue();
        return a.cb().cpuHandle();
    }

    UvCaller.Answer<NoData> nodata(UvCommand cmd, long handle) {
        return call(NoData.of(cmd, handle));
    }

    UvCaller.Answer<CpuSetState> setState(long cpu, int state) {
        return call(CpuSetState.of(cpu, state));
    }

    int stateOf(long address) {
        return storage.stateOf(address >>> Storage.PAGE_SHIFT);
    }
}
