package org.pvsim.machine.uv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.pvsim.testing.InParallel;
import org.pvsim.machine.storage.Storage;
import org.pvsim.machine.uv.cb.CreateSecConf;
import org.pvsim.machine.uv.cb.CreateSecCpu;
import org.pvsim.machine.uv.cb.NoData;
import org.pvsim.machine.uv.cb.UvCaller;
import org.pvsim.machine.uv.cb.UvCommand;

/**
 * Two host threads run configuration and CPU lifecycles at once, now that destroying a configuration and
 * creating or destroying a CPU take only the configuration's lock and CREATE_SEC_CONF the global lock only
 * for its table part. Besides its own configuration each thread keeps trying two contested creates: one
 * with the same ASCE as the other thread's (own storage), one on the same donated storage as the other
 * thread's (own ASCE). Each contested create either succeeds while no other live configuration has that
 * ASCE or storage, or fails with exactly the rc for it; afterwards the tables are empty, donation is back
 * to the INIT storage and every frame the threads used is the host's again.
 */
class UvLifecycleStressTest {
    private static final int ROUNDS = 200;
    private static final int CONTESTS = 20;

    private final UvFixture m = new UvFixture();
    private final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger contestedWins = new AtomicInteger();

    @Test
    void twoThreadsOfLifecyclesKeepTheTablesAndTheStorageExact() throws Exception {
        m.init();
        long initDonation = m.state.donatedBytes();
        UvFixture.GuestMemory sameAsce = m.guestMemory(1 << 20);
        CreateSecConf sameStorage = m.cgcBlock(m.guestMemory(1 << 20));
        Runnable[] bodies = new Runnable[2];
        for (int t = 0; t < 2; t++) {
            bodies[t] = lifecycles(t, m.cgcBlock(sameAsce), sameStorage);
        }
        InParallel.run(2, t -> bodies[t].run());
        assertThat(unexpected).isEmpty();
        assertThat(contestedWins.get()).as("contested creates that won").isPositive();
        assertThat(m.state.configs).isEmpty();
        assertThat(m.state.byDomain).isEmpty();
        assertThat(m.state.cpus).isEmpty();
        assertThat(m.state.donatedBytes()).isEqualTo(initDonation);
        for (long f = 0x100000 >>> 12; f < m.allocatedEnd() >>> 12; f++) {
            assertThat(m.storage.tagOf(f)).as("tag of frame 0x%x", f << 12).isZero();
        }
    }

    /** Thread {@code t}'s loop: its own configuration with a CPU, and the two contested creates meanwhile. */
    private Runnable lifecycles(int t, CreateSecConf contestedAsce, CreateSecConf contestedStorage) {
        CreateSecConf own = m.cgcBlock(m.guestMemory(1 << 20));
        // the same storage as the other thread's block, under this thread's own ASCE
        UvFixture.GuestMemory mem = m.guestMemory(1 << 20);
        CreateSecConf storageBlock = CreateSecConf.of(0, contestedStorage.confBaseStorOrigin(),
                contestedStorage.confVirtStorOrigin(), 0, 0, mem.msl(), contestedStorage.guestSca(), mem.asce());
        long cpuStor = m.alloc(m.qui.cpuStorLen(), 4096);
        long cpuStor2 = m.alloc(m.qui.cpuStorLen(), 4096);
        long sd = m.alloc(4096, 4096);
        UvCaller host = new UvCaller(m.storage.hostView(), m.uv, m.alloc(4096, 4096));
        return () -> {
            for (int i = 0; i < ROUNDS; i++) {
                UvCaller.Answer<CreateSecConf> c = host.call(own);
                expect(c.ok(), "create own configuration", t, c.rc());
                long h = c.cb().guestHandle();
                UvCaller.Answer<CreateSecCpu> cpu = host.call(CreateSecCpu.of(0, h, cpuStor, 0, sd));
                expect(cpu.ok(), "create CPU", t, cpu.rc());
                UvCaller.Answer<CreateSecCpu> again = host.call(CreateSecCpu.of(0, h, cpuStor2, 0, sd));
                expect(again.rc() == Rc.CSC_ALREADY_DEFINED, "create CPU 0 twice", t, again.rc());
                for (int k = 0; k < CONTESTS; k++) { // back to back, so that the two threads' creates overlap
                    contested(host, contestedAsce, Rc.CGC_ASCE_IN_USE, t);
                    contested(host, storageBlock, Rc.CGC_STOR_IN_USE, t);
                }
                rc(host, NoData.of(UvCommand.DESTROY_SEC_CONF, h), Rc.DSC_CPUS_EXIST, "destroy with a CPU", t);
                rc(host, NoData.of(UvCommand.DESTROY_SEC_CPU, cpu.cb().cpuHandle()), Rc.EXECUTED, "destroy CPU", t);
                rc(host, NoData.of(UvCommand.DESTROY_SEC_CPU, cpu.cb().cpuHandle()), Rc.INV_CHANDLE, "destroy CPU twice", t);
                rc(host, NoData.of(UvCommand.DESTROY_SEC_CONF, h), Rc.EXECUTED, "destroy own configuration", t);
                rc(host, NoData.of(UvCommand.DESTROY_SEC_CONF, h), Rc.INV_GHANDLE, "destroy twice", t);
            }
        };
    }

    /** A create that races the other thread's: it wins alone, or loses with {@code lostRc}. */
    private void contested(UvCaller host, CreateSecConf block, int lostRc, int t) {
        UvCaller.Answer<CreateSecConf> a = host.call(block);
        if (a.rc() == lostRc) {
            return;
        }
        expect(a.ok(), "contested create", t, a.rc());
        if (!a.ok()) {
            return;
        }
        contestedWins.incrementAndGet();
        long alike = m.state.configs.values().stream().filter(c -> lostRc == Rc.CGC_ASCE_IN_USE
                ? (c.asce & GuestDat.ASCE_ORIGIN_MASK) == (block.guestAsce() & GuestDat.ASCE_ORIGIN_MASK)
                : c.baseOrigin == block.confBaseStorOrigin()).count();
        expect(alike == 1, "one live configuration per contested ASCE or storage", t, (int) alike);
        rc(host, NoData.of(UvCommand.DESTROY_SEC_CONF, a.cb().guestHandle()), Rc.EXECUTED, "destroy contested", t);
    }

    private void rc(UvCaller host, NoData cb, int want, String what, int t) {
        int got = host.call(cb).rc();
        expect(got == want, what, t, got);
    }

    private void expect(boolean ok, String what, int thread, int rc) {
        if (!ok) {
            unexpected.add(String.format("%s (thread %d): rc 0x%04x", what, thread, rc));
        }
    }
}
