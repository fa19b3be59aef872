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
import org.pvsim.machine.ProgramInterruption;
import org.pvsim.machine.storage.Storage;
import org.pvsim.machine.uv.cb.ConvertFromSecure;
import org.pvsim.machine.uv.cb.ConvertToSecure;
import org.pvsim.machine.uv.cb.NoData;
import org.pvsim.machine.uv.cb.Share;
import org.pvsim.machine.uv.cb.UvCaller;
import org.pvsim.machine.uv.cb.UvCommand;
import org.pvsim.machine.uv.cb.Uvcb;

/**
 * Two configurations' pages imported and exported at once: per configuration two host threads import (by
 * handle and guest address) and export (by host address) pages of one hot set, so that they race for the
 * same pages, while the guest shares and unshares pages of that set (a shared page goes out and comes back
 * shared). Nothing is destroyed, so nothing may be lost: afterwards every page of each guest is either
 * secure or shared in exactly one frame of its own or exported with its seal (never both, never neither),
 * every frame is the host's or one live configuration's, and after every page is brought back in each holds
 * the bytes its guest wrote. Destroying both configurations then gives every donated and secure frame back.
 */
class UvImportExportStressTest {
    private static final int PAGES = 256; // 1 MiB guests
    private static final int HOT = 24; // pages 1..HOT take most calls; page 0 holds the guest's UVCB
    private static final int HOST_THREADS = 2; // per configuration
    private static final int OPS = 5000;

    private final UvFixture m = new UvFixture();
    private final UvCallTally answers = new UvCallTally();
    private final UvCallTally events = new UvCallTally();
    private final List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());

    private record Guest(char who, UvFixture.Guest g, SecureConfig config) {
        long host(int page) {
            return g.mem().host(page * 4096L);
        }
    }

    @Test
    void importsAndExportsOfTwoConfigurationsAtOnceLoseNoPage() throws Exception {
        m.init();
        List<Guest> guests = List.of(guest('A'), guest('B'));
        UvCaller setup = caller();
        for (Guest g : guests) {
            for (int p = 0; p < PAGES; p++) {
                assertThat(setup.call(ConvertToSecure.of(UvCommand.CONV_TO_SEC_STOR, g.g().handle(), p * 4096L)).ok()).isTrue();
                m.storage.write(g.host(p), page(g.who(), p), 0, 4096, g.config().domain);
            }
        }
        m.uv.addListener(e -> events.count(e.command(), e.rc()));
        // a pause while the UV holds a hot page of A between its checks and its change (the frame is written
        // then) lets the other configuration's calls and A's other threads pile up behind or beside it
        Set<Long> pauseFrames = new HashSet<>();
        for (int p = 1; p <= 4; p++) {
            pauseFrames.add(guests.get(0).host(p) >>> 12);
        }
        m.storage.observeWrites((frame, off, len) -> {
            if (len == 4096 && pauseFrames.contains(frame)) {
                java.util.concurrent.locks.LockSupport.parkNanos(50_000);
            }
        });

        List<Worker> workers = new ArrayList<>();
        for (Guest g : guests) {
            for (int t = 0; t < HOST_THREADS; t++) {
                workers.add(hostWorker(g, 700 + 10 * g.who() + t));
            }
            workers.add(guestWorker(g, 900 + g.who()));
        }
        run(workers);

        assertThat(unexpected).as("answers no serial order of the calls gives").isEmpty();
        assertThat(events.snapshot()).as("UV call events vs the calls the threads made").isEqualTo(answers.snapshot());
        checkNoPageLost(guests);
        checkFrames(guests);
        long donated = m.qui.uvBaseStorLen();
        for (Guest g : guests) {
            donated += UvState.pageAlign(g.config().baseLen) + UvState.pageAlign(g.config().varLen);
        }
        assertThat(m.state.donatedBytes()).as("donations while both live").isEqualTo(donated);

        // every page back in and private again: each holds exactly what its guest wrote
        for (Guest g : guests) {
            for (int p = 0; p < PAGES; p++) {
                assertThat(setup.call(ConvertToSecure.of(UvCommand.CONV_TO_SEC_STOR, g.g().handle(), p * 4096L)).ok()).isTrue();
                guestCall(g, Share.of(UvCommand.REMOVE_SHARED_ACCESS, p * 4096L));
                // page 0 starts with the guest's last UVCB
                int from = p == 0 ? Share.SIZE : 0;
                byte[] now = m.storage.read(g.host(p), 4096, g.config().domain);
                assertThat(java.util.Arrays.equals(now, from, 4096, page(g.who(), p), from, 4096))
                        .as("%s's page %d holds what its guest wrote", g.who(), p).isTrue();
                assertThat(m.storage.tagOf(g.host(p) >>> 12)).isEqualTo(Storage.tag(g.config().domain, Storage.STATE_SECURE));
            }
            assertThat(exportedPages(g.config())).isZero();
            assertThat(g.config().frameToGaddr).hasSize(PAGES);
        }
        checkFrames(guests);

        for (Guest g : guests) {
            assertThat(setup.call(NoData.of(UvCommand.DESTROY_SEC_CONF, g.g().handle())).ok()).isTrue();
        }
        assertThat(m.state.donatedBytes()).as("donated storage given back").isEqualTo(m.qui.uvBaseStorLen());
        for (long f = 0; f < m.allocatedEnd() >>> 12; f++) {
            assertThat(m.storage.tagOf(f)).as("frame 0x%x after both configurations are gone", f).isZero();
        }
        assertThat(m.state.configs).isEmpty();
        assertThat(m.state.byDomain).isEmpty();
    }

    private interface Worker {
        void run() throws Exception;
    }

    private static void run(List<Worker> workers) throws Exception {
        CyclicBarrier start = new CyclicBarrier(workers.size());
        ExecutorService pool = Executors.newFixedThreadPool(workers.size());
        try {
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
        } finally {
            pool.shutdown();
        }
    }

    /** Imports and exports of the guest's pages, mostly of its hot set, from one host thread. */
    private Worker hostWorker(Guest g, long seed) {
        UvCaller host = caller();
        return () -> {
            Random rnd = new Random(seed);
            for (int i = 0; i < OPS; i++) {
                int p = 1 + (rnd.nextInt(8) != 0 ? rnd.nextInt(HOT) : rnd.nextInt(PAGES - 1));
                if (rnd.nextInt(100) < 50) {
                    // the other host thread may have imported it first: that is success too, never a failure
                    int rc = call(host, ConvertToSecure.of(UvCommand.CONV_TO_SEC_STOR, g.g().handle(), p * 4096L));
                    expect(rc == Rc.EXECUTED, g, "import", p, rc);
                } else {
                    int rc = call(host, ConvertFromSecure.of(UvCommand.CONV_FROM_SEC_STOR, g.host(p)));
                    expect(rc == Rc.EXECUTED || rc == Rc.PAGE_NOT_SECURE, g, "export", p, rc);
                }
            }
        };
    }

    /** The guest sharing and unsharing pages of its hot set; an exported page is the host's to import (0x3e). */
    private Worker guestWorker(Guest g, long seed) {
        return () -> {
            Random rnd = new Random(seed);
            for (int i = 0; i < OPS / 2; i++) {
                int p = 1 + rnd.nextInt(HOT);
                UvCommand cmd = rnd.nextBoolean() ? UvCommand.SET_SHARED_ACCESS : UvCommand.REMOVE_SHARED_ACCESS;
                try {
                    int cc = guestCall(g, Share.of(cmd, p * 4096L));
                    expect(cc == 0, g, cmd.toString(), p, cc);
                } catch (ProgramInterruption e) {
                    expect(e.code() == ProgramInterruption.NON_SECURE_STORAGE_ACCESS, g, cmd + " exception", p, e.code());
                }
            }
        };
    }

    /** Each page is in exactly one place: one frame of its own configuration, or out with its seal. */
    private void checkNoPageLost(List<Guest> guests) {
        for (Guest g : guests) {
            SecureConfig c = g.config();
            for (int p = 0; p < PAGES; p++) {
                long gaddr = p * 4096L;
                Long frame = c.gaddrToFrame.get(gaddr);
                PageSealer.Seal seal = c.exported.get(gaddr);
                assertThat(frame == null ^ seal == null).as("%s's page %d: in a frame %s, exported %s", g.who(), p,
                        frame, seal != null).isTrue();
                int tag = m.storage.tagOf(g.host(p) >>> 12);
                if (frame != null) {
                    assertThat(frame).isEqualTo(g.host(p) >>> 12);
                    assertThat(tag).isIn(Storage.tag(c.domain, Storage.STATE_SECURE), Storage.tag(c.domain, Storage.STATE_SHARED));
                } else {
                    assertThat(tag).as("%s's exported page %d is the host's", g.who(), p).isZero();
                }
            }
            assertThat(c.frameToGaddr.size() + exportedPages(c)).as("%s's pages", g.who()).isEqualTo(PAGES);
        }
    }

    private static int exportedPages(SecureConfig c) {
        int n = 0;
        for (int p = 0; p < PAGES; p++) {
            n += c.exported.get(p * 4096L) != null ? 1 : 0;
        }
        return n;
    }

    /** Every frame is the host's, the UV's, or one live configuration's secure or shared page in its maps. */
    private void checkFrames(List<Guest> guests) {
        Set<Long> owned = new HashSet<>();
        for (Guest g : guests) {
            for (Map.Entry<Long, Long> e : g.config().frameToGaddr.entrySet()) {
                assertThat(owned.add(e.getKey())).as("frame 0x%x in two configurations", e.getKey()).isTrue();
                assertThat(g.config().gaddrToFrame.get(e.getValue())).isEqualTo(e.getKey());
            }
        }
        long pageFrames = 0;
        for (long f = 0; f < m.allocatedEnd() >>> 12; f++) {
            int tag = m.storage.tagOf(f);
            int state = tag & 3;
            if (tag != 0) {
                assertThat(state).as("frame 0x%x left claimed", f).isNotEqualTo(Storage.STATE_HOST);
                if (tag >>> 2 != 0) {
                    assertThat(m.state.byDomain).as("owner of frame 0x%x", f).containsKey(tag >>> 2);
                }
            }
            if (state == Storage.STATE_SECURE || state == Storage.STATE_SHARED) {
                pageFrames++;
                SecureConfig owner = m.state.byDomain.get(tag >>> 2);
                assertThat(owner.frameToGaddr).as("frame 0x%x in its owner's map", f).containsKey(f);
            }
        }
        assertThat(pageFrames).as("secure and shared frames vs the page maps").isEqualTo(owned.size());
    }

    private Guest guest(char who) {
        UvFixture.Guest g = m.createGuest(PAGES * 4096L);
        return new Guest(who, g, m.state.configs.get(g.handle()));
    }

    /** A guest UV call with its block in the guest's page 0; the condition code (counted with its rc). */
    private int guestCall(Guest g, Share cb) {
        int domain = g.config().domain;
        cb.write(m.storage, g.host(0), domain);
        int cc = m.uv.call(0, domain);
        Share back = Uvcb.read(Share.class, m.storage, g.host(0), domain);
        answers.count(UvCommand.byCode(cb.header().cmd()).orElseThrow(), back.header().rc());
        return cc;
    }

    private UvCaller caller() {
        return new UvCaller(m.storage.hostView(), m.uv, m.alloc(4096, 4096));
    }

    private <T extends Uvcb> int call(UvCaller host, T cb) {
        UvCaller.Answer<T> a = host.call(cb);
        answers.count(UvCommand.byCode(cb.header().cmd()).orElseThrow(), a.rc());
        return a.rc();
    }

    private void expect(boolean ok, Guest g, String what, int page, int rc) {
        if (!ok) {
            unexpected.add(String.format("%c: %s (page %d): 0x%04x", g.who(), what, page, rc));
        }
    }

    /** The content guest {@code who} wrote into its page {@code p}. */
    private static byte[] page(char who, int p) {
        byte[] b = new byte[4096];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (who * 31 + p * 7 + i * 3);
        }
        return b;
    }
}
