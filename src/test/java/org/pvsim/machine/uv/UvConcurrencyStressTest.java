package org.pvsim.machine.uv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.pvsim.machine.storage.Storage;
import org.pvsim.machine.uv.cb.ConvertFromSecure;
import org.pvsim.machine.uv.cb.ConvertToSecure;
import org.pvsim.machine.uv.cb.CreateSecConf;
import org.pvsim.machine.uv.cb.CreateSecCpu;
import org.pvsim.machine.uv.cb.NoData;
import org.pvsim.machine.uv.cb.UvCaller;
import org.pvsim.machine.uv.cb.UvCommand;
import org.pvsim.machine.uv.cb.Uvcb;

/**
 * Host threads hammer two configurations with imports, exports and destroys of pages at once, while other
 * threads create and destroy configurations and secure CPUs (of a third configuration, and CPUs of the two),
 * so that calls on separate configurations and the global part really run side by side. The second
 * configuration maps its first pages onto frames of the first (a remap attack), so the two also race for
 * the same frames. Afterwards: no frame is owned by two configurations, the UV's page maps agree with the
 * frame tags, donated storage is exactly what live objects hold and all of it comes back, no page changed
 * its content except by the calls made, and the UV reported exactly the calls the threads made.
 */
class UvConcurrencyStressTest {
    private static final int PAGES = 256; // 1 MiB guests
    private static final int SHARED = 4; // B's pages 0..3 live in A's frames 0..3, where most calls go
    private static final int WORKERS = 4;
    private static final int OPS = 4000;
    private static final int LIFECYCLES = 150;

    private final UvFixture m = new UvFixture();
    private final UvCallTally answers = new UvCallTally();
    private final UvCallTally events = new UvCallTally();
    private final List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());

    @Test
    void twoConfigurationsAndLifecyclesAtOnceKeepEveryInvariant() throws Exception {
        m.init();
        UvFixture.GuestMemory memA = m.guestMemory(PAGES * 4096L);
        UvFixture.GuestMemory memB = sharingMemory(memA);
        UvFixture.Guest a = guest(memA);
        UvFixture.Guest b = guest(memB);
        SecureConfig ca = m.state.configs.get(a.handle());
        SecureConfig cb = m.state.configs.get(b.handle());
        // every page of both secure, then written by its guest, so that content can be checked at the end
        UvCaller setup = caller();
        for (int p = 0; p < PAGES; p++) {
            assertThat(setup.call(ConvertToSecure.of(UvCommand.CONV_TO_SEC_STOR, a.handle(), p * 4096L)).ok()).isTrue();
            m.storage.write(memA.host(p * 4096L), page('A', p), 0, 4096, ca.domain);
            if (p >= SHARED) {
                assertThat(setup.call(ConvertToSecure.of(UvCommand.CONV_TO_SEC_STOR, b.handle(), p * 4096L)).ok()).isTrue();
                m.storage.write(memB.host(p * 4096L), page('B', p), 0, 4096, cb.domain);
            }
        }
        m.uv.addListener(e -> events.count(e.command(), e.rc()));
        // The UV writes a frame between claiming it and owning it: a pause there makes races for the shared
        // frames likely even on a busy two-core machine (without the claim, two configurations would own one)
        Set<Long> sharedFrames = new HashSet<>();
        for (int p = 0; p < SHARED; p++) {
            sharedFrames.add(memA.host(p * 4096L) >>> 12);
        }
        m.storage.observeWrites((frame, off, len) -> {
            if (len == 4096 && sharedFrames.contains(frame)) {
                java.util.concurrent.locks.LockSupport.parkNanos(100_000);
            }
        });

        List<Worker> workers = new ArrayList<>();
        for (int t = 0; t < WORKERS; t++) {
            workers.add(pageWorker(t, a, b));
        }
        workers.add(configLifecycles());
        workers.add(cpuLifecycles(a, b));
        CyclicBarrier start = new CyclicBarrier(workers.size());
        ExecutorService pool = Executors.newFixedThreadPool(workers.size());
        List<Future<?>> done = new ArrayList<>();
        for (Worker w : workers) {
            done.add(pool.submit(() -> {
                start.await();
                w.run();
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();

        assertThat(unexpected).as("answers no serial order of the calls gives").isEmpty();
        assertThat(events.snapshot()).as("UV call events vs the calls the threads made").isEqualTo(answers.snapshot());
        checkOwnership(List.of(ca, cb));
        checkDonation(List.of(ca, cb));

        // every page back in, then its content is its guest's, or zeros after a destroy
        for (int p = 0; p < PAGES; p++) {
            if (p < SHARED) {
                continue; // A's and B's pages in shared frames may legitimately have destroyed each other
            }
            assertThat(setup.call(ConvertToSecure.of(UvCommand.CONV_TO_SEC_STOR, a.handle(), p * 4096L)).ok()).isTrue();
            assertThat(setup.call(ConvertToSecure.of(UvCommand.CONV_TO_SEC_STOR, b.handle(), p * 4096L)).ok()).isTrue();
            assertThat(m.storage.read(memA.host(p * 4096L), 4096, ca.domain)).isIn(page('A', p), new byte[4096]);
            assertThat(m.storage.read(memB.host(p * 4096L), 4096, cb.domain)).isIn(page('B', p), new byte[4096]);
        }
        checkOwnership(List.of(ca, cb));

        assertThat(setup.call(NoData.of(UvCommand.DESTROY_SEC_CONF, a.handle())).ok()).isTrue();
        assertThat(setup.call(NoData.of(UvCommand.DESTROY_SEC_CONF, b.handle())).ok()).isTrue();
        assertThat(m.state.donatedBytes()).as("donated storage given back").isEqualTo(m.qui.uvBaseStorLen());
        for (long f = 0; f < m.allocatedEnd() >>> 12; f++) {
            assertThat(m.storage.tagOf(f)).as("frame 0x%x after every configuration is gone", f).isZero();
        }
        assertThat(m.state.configs).isEmpty();
        assertThat(m.state.cpus).isEmpty();
    }

    private interface Worker {
        void run() throws Exception;
    }

    /** Imports, exports and destroys of random pages of A and B, by handle and by host address. */
    private Worker pageWorker(int t, UvFixture.Guest a, UvFixture.Guest b) {
        UvCaller host = caller();
        return () -> {
            Random rnd = new Random(4200 + t);
            for (int i = 0; i < OPS; i++) {
                UvFixture.Guest g = rnd.nextBoolean() ? a : b;
                int p = rnd.nextInt(4) != 0 ? rnd.nextInt(SHARED) : rnd.nextInt(PAGES);
                long gaddr = p * 4096L;
                boolean shared = p < SHARED;
                int op = rnd.nextInt(100);
                if (op < 45) {
                    int rc = call(host, ConvertToSecure.of(UvCommand.CONV_TO_SEC_STOR, g.handle(), gaddr));
                    // in a shared frame: owned by the other configuration, or its content is not ours any more
                    expect(rc == Rc.EXECUTED || shared && (rc == Rc.PAGE_OWNED_ELSEWHERE || rc == Rc.IMPORT_INTEGRITY),
                            "import", p, rc);
                } else if (op < 85) {
                    int rc = call(host, ConvertFromSecure.of(UvCommand.CONV_FROM_SEC_STOR, g.mem().host(gaddr)));
                    expect(rc == Rc.EXECUTED || rc == Rc.PAGE_NOT_SECURE, "export", p, rc);
                } else {
                    int rc = call(host, ConvertFromSecure.of(UvCommand.DESTR_SEC_STOR, g.mem().host(gaddr)));
                    // refused while the other thread has given the configuration a secure CPU
                    expect(rc == Rc.EXECUTED || rc == Rc.PAGE_NOT_SECURE || rc == Rc.DESTROY_CPUS_EXIST, "destroy", p, rc);
                }
            }
        };
    }

    /** Whole configurations (with a CPU and a few pages) created and destroyed, over and over. */
    private Worker configLifecycles() {
        UvFixture.GuestMemory mem = m.guestMemory(PAGES * 4096L);
        CreateSecConf cgc = m.cgcBlock(mem);
        long cpuStor = m.alloc(m.qui.cpuStorLen(), 4096);
        long sd = m.alloc(4096, 4096);
        UvCaller host = caller();
        return () -> {
            for (int i = 0; i < LIFECYCLES; i++) {
                UvCaller.Answer<CreateSecConf> c = host.call(cgc);
                answers.count(UvCommand.CREATE_SEC_CONF, c.rc());
                expect(c.ok(), "create configuration", i, c.rc());
                long h = c.cb().guestHandle();
                UvCaller.Answer<CreateSecCpu> cpu = host.call(CreateSecCpu.of(0, h, cpuStor, 0, sd));
                answers.count(UvCommand.CREATE_SEC_CPU, cpu.rc());
                expect(cpu.ok(), "create CPU", i, cpu.rc());
                for (int p = 0; p < 4; p++) {
                    expect(call(host, ConvertToSecure.of(UvCommand.CONV_TO_SEC_STOR, h, p * 4096L)) == Rc.EXECUTED,
                            "import into a new configuration", p, 0);
                }
                expect(call(host, ConvertFromSecure.of(UvCommand.CONV_FROM_SEC_STOR, mem.host(0))) == Rc.EXECUTED,
                        "export from a new configuration", 0, 0);
                expect(call(host, NoData.of(UvCommand.DESTROY_SEC_CPU, cpu.cb().cpuHandle())) == Rc.EXECUTED,
                        "destroy CPU", i, 0);
                expect(call(host, NoData.of(UvCommand.DESTROY_SEC_CONF, h)) == Rc.EXECUTED, "destroy configuration", i, 0);
            }
        };
    }

    /** Secure CPUs of A and B created and destroyed (the global lock, then the configuration's). */
    private Worker cpuLifecycles(UvFixture.Guest a, UvFixture.Guest b) {
        long[] stor = {m.alloc(m.qui.cpuStorLen(), 4096), m.alloc(m.qui.cpuStorLen(), 4096)};
        long sd = m.alloc(4096, 4096);
        UvCaller host = caller();
        return () -> {
            for (int i = 0; i < LIFECYCLES; i++) {
                for (int k = 0; k < 2; k++) {
                    UvCaller.Answer<CreateSecCpu> cpu = host.call(CreateSecCpu.of(0, (k == 0 ? a : b).handle(), stor[k], 1, sd));
                    answers.count(UvCommand.CREATE_SEC_CPU, cpu.rc());
                    expect(cpu.ok(), "create CPU of A or B", i, cpu.rc());
                    expect(call(host, NoData.of(UvCommand.DESTROY_SEC_CPU, cpu.cb().cpuHandle())) == Rc.EXECUTED,
                            "destroy CPU of A or B", i, 0);
                }
            }
        };
    }

    /** No frame owned twice; maps and tags agree; every owner is alive. */
    private void checkOwnership(List<SecureConfig> live) {
        Set<Long> seen = new HashSet<>();
        for (SecureConfig c : live) {
            long mapped = 0;
            for (int p = 0; p < PAGES; p++) {
                mapped += c.gaddrToFrame.get(p * 4096L) != null ? 1 : 0;
            }
            assertThat(mapped).as("guest pages vs frames of the configuration").isEqualTo(c.frameToGaddr.size());
            for (Map.Entry<Long, Long> e : c.frameToGaddr.entrySet()) {
                long frame = e.getKey();
                assertThat(seen.add(frame)).as("frame 0x%x owned by two configurations", frame).isTrue();
                int tag = m.storage.tagOf(frame);
                assertThat(tag >>> 2).as("owner of frame 0x%x", frame).isEqualTo(c.domain);
                assertThat(tag & 3).isIn(Storage.STATE_SECURE, Storage.STATE_SHARED);
                assertThat(c.gaddrToFrame.get(e.getValue())).isEqualTo(frame);
                assertThat(c.exported.get(e.getValue())).as("a secure page with an export seal").isNull();
            }
        }
        long secureFrames = 0;
        for (long f = 0; f < m.allocatedEnd() >>> 12; f++) {
            int tag = m.storage.tagOf(f);
            if (tag >>> 2 != 0) {
                assertThat(m.state.byDomain).as("owner of frame 0x%x", f).containsKey(tag >>> 2);
            }
            int state = tag & 3;
            if (state == Storage.STATE_SECURE || state == Storage.STATE_SHARED) {
                secureFrames++;
            }
            assertThat(tag == 0 || state != Storage.STATE_HOST).as("frame 0x%x left claimed", f).isTrue();
        }
        assertThat(secureFrames).as("secure frames vs the UV's page maps").isEqualTo(seen.size());
    }

    /** What the UV holds is INIT's storage plus the live configurations' donations, frame for frame. */
    private void checkDonation(List<SecureConfig> live) {
        long expected = m.qui.uvBaseStorLen();
        for (SecureConfig c : live) {
            expected += UvState.pageAlign(c.baseLen) + UvState.pageAlign(c.varLen);
        }
        assertThat(m.state.cpus).isEmpty();
        assertThat(m.state.donatedBytes()).isEqualTo(expected);
        long uvFrames = 0;
        for (long f = 0; f < m.storage.frameCount(); f++) {
            if ((m.storage.tagOf(f) & 3) == Storage.STATE_UV) {
                uvFrames++;
            }
        }
        assertThat(uvFrames << 12).as("frames in UV state").isEqualTo(expected);
    }

    private UvFixture.Guest guest(UvFixture.GuestMemory mem) {
        CreateSecConf cgc = m.cgcBlock(mem);
        UvCaller.Answer<CreateSecConf> a = m.call(cgc);
        assertThat(a.ok()).as("CREATE_SEC_CONF %s", a).isTrue();
        return new UvFixture.Guest(a.cb().guestHandle(), mem, a.cb());
    }

    /** A guest memory whose first {@link #SHARED} pages are the frames of {@code other}'s first pages. */
    private UvFixture.GuestMemory sharingMemory(UvFixture.GuestMemory other) {
        UvFixture.GuestMemory own = m.guestMemory(PAGES * 4096L);
        long segTable = own.asce() & ~0xfffL;
        long pt = m.storage.readLong(segTable, Storage.HOST) & ~0x7ffL;
        for (int p = 0; p < SHARED; p++) {
            m.storage.writeLong(pt + p * 8L, other.host(p * 4096L), Storage.HOST);
        }
        return own;
    }

    private UvCaller caller() {
        return new UvCaller(m.storage.hostView(), m.uv, m.alloc(4096, 4096));
    }

    private <T extends Uvcb> int call(UvCaller host, T cb) {
        UvCaller.Answer<T> a = host.call(cb);
        answers.count(UvCommand.byCode(cb.header().cmd()).orElseThrow(), a.rc());
        return a.rc();
    }

    private void expect(boolean ok, String what, int page, int rc) {
        if (!ok) {
            unexpected.add(String.format("%s (page %d): rc 0x%04x", what, page, rc));
        }
    }

    /** The content guest {@code who} wrote into its page {@code p}. */
    private static byte[] page(char who, int p) {
        byte[] b = new byte[4096];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (who * 31 + p * 7 + i);
        }
        return b;
    }
}
