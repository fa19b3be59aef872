package org.pvsim.machine.uv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.pvsim.machine.ProgramInterruption;
import org.pvsim.machine.storage.Storage;
import org.pvsim.machine.uv.cb.ConvertFromSecure;
import org.pvsim.machine.uv.cb.ConvertToSecure;
import org.pvsim.machine.uv.cb.NoData;
import org.pvsim.machine.uv.cb.UvCommand;

/**
 * Random sequences of UV calls (valid and invalid, as a buggy or hostile host would issue them) on
 * up to three guests that plant a secret in every page they own. After every call: no frame belongs
 * to a configuration that no longer exists; no host-readable byte holds a guest secret; the frames
 * the UV holds as donated storage are exactly what the live objects were given.
 */
class UvProperties {
    static final int GUEST_PAGES = 64;
    static final byte[] MARK = "SECRET!!".getBytes();

    enum Kind { CREATE_CONFIG, DESTROY_CONFIG, CREATE_CPU, DESTROY_CPU, IMPORT, EXPORT, DESTROY_PAGE, SHARE, UNSHARE_ALL,
        PIN, HOST_WRITE }

    record Op(Kind kind, int who, int page) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> op = Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().between(0, 1),
                Arbitraries.integers().between(0, 3)).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(40);
    }

    /** The test's own bookkeeping of what it asked for (never the UV's state). */
    static final class World {
        final UvFixture m = new UvFixture();
        final UvFixture.Guest[] guests = new UvFixture.Guest[3];
        final List<List<Long>> cpus = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        final List<List<Long>> cpuStor = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        final List<UvFixture.GuestMemory> mems = new ArrayList<>();

        World() {
            m.init();
            for (int i = 0; i < 3; i++) {
                mems.add(m.guestMemory(GUEST_PAGES * 4096L < (1 << 20) ? 1L << 20 : GUEST_PAGES * 4096L));
            }
        }

        int domainOf(int who) {
            return m.storage.ownerOf(guests[who].cgc().confBaseStorOrigin() >>> 12);
        }

        void apply(Op op) {
            UvFixture.Guest g = guests[op.who()];
            long gaddr = op.page() * 4096L;
            switch (op.kind()) {
                case CREATE_CONFIG -> {
                    var a = m.call(m.cgcBlock(mems.get(op.who())));
                    if (a.ok()) {
                        guests[op.who()] = new UvFixture.Guest(a.cb().guestHandle(), mems.get(op.who()), a.cb());
                    }
                }
                case DESTROY_CONFIG -> {
                    if (g != null && m.nodata(UvCommand.DESTROY_SEC_CONF, g.handle()).ok()) {
                        guests[op.who()] = null;
                    }
                }
                case CREATE_CPU -> {
                    if (g != null) {
                        var csc = m.cscBlock(g.handle(), cpus.get(op.who()).size());
                        var a = m.call(csc);
                        if (a.ok()) {
                            cpus.get(op.who()).add(a.cb().cpuHandle());
                            cpuStor.get(op.who()).add(csc.storOrigin());
                        }
                    }
                }
                case DESTROY_CPU -> {
                    List<Long> list = cpus.get(op.who());
                    if (!list.isEmpty() && m.nodata(UvCommand.DESTROY_SEC_CPU, list.get(0)).ok()) {
                        list.remove(0);
                        cpuStor.get(op.who()).remove(0);
                    }
                }
                case IMPORT -> {
                    if (g != null && m.call(ConvertToSecure.of(UvCommand.CONV_TO_SEC_STOR, g.handle(), gaddr)).ok()) {
                        plant(op.who(), gaddr);
                    }
                }
                case EXPORT -> m.call(ConvertFromSecure.of(UvCommand.CONV_FROM_SEC_STOR, mems.get(op.who()).host(gaddr)));
                case DESTROY_PAGE -> m.call(ConvertFromSecure.of(UvCommand.DESTR_SEC_STOR, mems.get(op.who()).host(gaddr)));
                case PIN -> m.call(ConvertFromSecure.of(UvCommand.PIN_PAGE_SHARED, mems.get(op.who()).host(gaddr)));
                case UNSHARE_ALL -> {
                    if (g != null) {
                        m.call(NoData.of(UvCommand.SET_UNSHARE_ALL, g.handle()));
                    }
                }
                case SHARE -> {
                    if (g != null) {
                        try { // the guest shares a page it owns, after removing its secret
                            long h = mems.get(op.who()).host(gaddr);
                            m.storage.write(h, new byte[4096], 0, 4096, domainOf(op.who()));
                            var share = org.pvsim.machine.uv.cb.Share.of(UvCommand.SET_SHARED_ACCESS, gaddr);
                            long blockPage = (op.page() ^ 1) * 4096L;
                            share.write(m.storage, mems.get(op.who()).host(blockPage), domainOf(op.who()));
                            m.uv.call(blockPage, domainOf(op.who()));
                        } catch (ProgramInterruption e) {
                            // page not (yet) secure: the guest would fault; fine
                        }
                    }
                }
                case HOST_WRITE -> {
                    try { // a hostile host scribbles over guest memory
                        m.storage.writeLong(mems.get(op.who()).host(gaddr) + 8, 0xdeadbeefL, Storage.HOST);
                    } catch (ProgramInterruption e) {
                        assertThat(e.code()).isEqualTo(0x3d);
                    }
                }
            }
        }

        /** The guest writes a secret into a page it just imported. */
        void plant(int who, long gaddr) {
            byte[] page = new byte[4096];
            for (int i = 0; i < 4096; i += 16) {
                System.arraycopy(MARK, 0, page, i, MARK.length);
            }
            m.storage.write(mems.get(who).host(gaddr), page, 0, 4096, domainOf(who));
        }

        void checkInvariants() {
            Storage s = m.storage;
            long uvFrames = 0;
            long end = m.allocatedEnd();
            for (long f = 0x100000 >>> 12; f < end >>> 12; f++) {
                int tag = s.tagOf(f);
                int owner = tag >>> 2;
                int state = tag & 3;
                if (owner != 0) {
                    boolean live = Arrays.stream(guests).anyMatch(g -> g != null && domainOf(g) == owner);
                    assertThat(live).as("frame 0x%x owned by dead configuration %d", f, owner).isTrue();
                }
                if (state == Storage.STATE_UV) {
                    uvFrames++;
                }
                try {
                    byte[] b = s.read(f << 12, 4096, Storage.HOST);
                    assertThat(indexOf(b, MARK)).as("secret visible to the host in frame 0x%x", f).isNegative();
                } catch (ProgramInterruption e) {
                    assertThat(e.code()).isEqualTo(0x3d);
                    assertThat(state).isIn(Storage.STATE_SECURE, Storage.STATE_UV);
                }
            }
            long expected = 0;
            for (int i = 0; i < 3; i++) {
                if (guests[i] != null) {
                    expected += m.qui.confBasePhysStorLen() >>> 12;
                    expected += (m.qui.confBaseVirtStorLen() + (guests[i].mem().msl() >>> 20) * m.qui.confVirtVarStorLen()
                            + 4095) >>> 12;
                }
                expected += cpus.get(i).size() * (m.qui.cpuStorLen() >>> 12);
            }
            assertThat(uvFrames).as("donated frames").isEqualTo(expected);
            assertThat(m.state.donatedBytes() - m.qui.uvBaseStorLen()).isEqualTo(expected << 12);
        }

        /** The invariants that hold whatever random blocks did (the test's bookkeeping may be stale). */
        void checkInvariantsLoosely() {
            Storage s = m.storage;
            for (long f = 0x100000 >>> 12; f < m.allocatedEnd() >>> 12; f++) {
                int owner = s.tagOf(f) >>> 2;
                if (owner != 0) {
                    assertThat(m.state.byDomain).as("owner of frame 0x%x", f).containsKey(owner);
                }
            }
        }

        private int domainOf(UvFixture.Guest g) {
            return m.storage.ownerOf(g.cgc().confBaseStorOrigin() >>> 12);
        }
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Property(tries = 60)
    void invariantsHoldAfterEveryCall(@ForAll("ops") @Size(max = 40) List<Op> ops) {
        World w = new World();
        for (Op op : ops) {
            w.apply(op);
            w.checkInvariants();
        }
    }

    /**
     * Hostile blocks: random bytes for every command (with real handles and the right length planted
     * often enough to get past the first checks) end in a condition code, or in an architected
     * program interruption, never in any other exception; and the invariants still hold.
     */
    @Property(tries = 300)
    void hostileBlocksNeverCrashTheUv(@ForAll("commands") UvCommand cmd, @ForAll @Size(0x188) byte[] noise,
            @ForAll boolean rightLength, @ForAll("handleSlots") int slot, @ForAll boolean asGuest) {
        World w = SHARED.get();
        UvFixture m = w.m;
        byte[] block = noise.clone();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(block);
        b.putShort(2, (short) cmd.code());
        if (rightLength) {
            b.putShort(0, (short) cmd.size());
        }
        long[] handles = {w.guests[0].handle(), w.cpus.get(0).get(0)};
        if (slot > 0) {
            b.putLong(slot == 1 ? 0x18 : 0x20, handles[(slot + block[9]) & 1]);
        }
        try {
            int cc;
            if (asGuest) {
                int domain = w.domainOf(0);
                m.storage.write(w.mems.get(0).host(0x3000), block, 0, block.length, domain);
                cc = m.uv.call(0x3000, domain);
            } else {
                m.storage.write(UvFixture.SCRATCH, block, 0, block.length, Storage.HOST);
                cc = m.uv.call(UvFixture.SCRATCH, Storage.HOST);
            }
            assertThat(cc).isBetween(0, 3);
        } catch (ProgramInterruption | UvInterception expected) {
            // architected outcomes
        }
        if (w.guests[0] == null || w.cpus.get(0).isEmpty()) {
            SHARED.remove(); // a random destroy hit our guest: start over next time
        } else {
            w.checkInvariantsLoosely();
        }
    }

    private static final ThreadLocal<World> SHARED = ThreadLocal.withInitial(() -> {
        World w = new World();
        w.apply(new Op(Kind.CREATE_CONFIG, 0, 0));
        w.apply(new Op(Kind.CREATE_CPU, 0, 0));
        for (int p = 0; p < 4; p++) {
            w.apply(new Op(Kind.IMPORT, 0, p));
        }
        return w;
    });

    @Provide
    Arbitrary<UvCommand> commands() {
        return Arbitraries.of(UvCommand.class);
    }

    @Provide
    Arbitrary<Integer> handleSlots() {
        return Arbitraries.integers().between(0, 2);
    }
}
