package org.pvsim.machine.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pvsim.machine.cpu.DatFixture.*;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.function.LongUnaryOperator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * For random DAT tables (every designation type and table length, random table offsets and lengths in
 * region entries, invalid entries at every level, EDAT-1 and EDAT-2 frames, the odd wrong table type or
 * page-entry bit 52), LRAG on the CPU answers what a reference walk written here from the Principles of
 * Operation answers: the condition code and R1, or the program interruption. Named *Test so that
 * surefire runs it.
 */
class DatPropertyTest {
    /** What an LRAG run ends with: cc and R1, or a program-interruption code (cc -1). */
    record Outcome(int cc, long r1) {
        static Outcome interruption(int code) {
            return new Outcome(-1, code);
        }
    }

    @Property(tries = 150)
    void lragAnswersWhatTheReferenceWalkAnswers(@ForAll long seed, @ForAll @IntRange(min = 0, max = 3) int type,
            @ForAll boolean edat) {
        Random r = new Random(seed);
        DatFixture f = new DatFixture();
        RandomTables t = new RandomTables(f, r, type, edat);
        for (int k = 0; k < 8; k++) {
            long v = t.vaddr();
            t.decide(v);
            Outcome expected = reference(f::read, t.asce, v, edat);
            net.jqwik.api.statistics.Statistics.collect(expected.cc() < 0 ? "program interruption"
                    : expected.cc() == 3 ? String.format("cc 3, 0x%x", expected.r1() & 0xff) : "cc " + expected.cc());
            assertThat(runLrag(f, t.asce, v, edat)).as("vaddr %016x asce %016x edat %s", v, t.asce, edat)
                    .isEqualTo(expected);
        }
    }

    static Outcome runLrag(DatFixture f, long asce, long v, boolean edat) {
        f.start(asce, edat ? Dat.CR0_EDAT : 0, load(2, v) + DatFixture.lrag(3, 2, 0) + "b22200f0 " + END);
        f.c.setPsw(Psw.MASK_64BIT_DISABLED, CODE); // LRAG translates with DAT off too
        f.run(100);
        if (!f.ended()) {
            return Outcome.interruption(f.pgmCode());
        }
        return new Outcome((int) (f.c.gr[15] >>> 28) & 3, f.c.gr[3]);
    }

    // ---- the reference: bit numbers as the architecture numbers them (0 is the leftmost) ----------

    static long bits(long w, int from, int to) {
        return (w >>> (63 - to)) & ((1L << (to - from + 1)) - 1);
    }

    static boolean bit(long w, int n) {
        return bits(w, n, n) != 0;
    }

    /** Exception code of a translation through the table at position k (0 RFX .. 3 SX). */
    static int tableCode(int k) {
        return new int[] {0x39, 0x3a, 0x3b, 0x10}[k];
    }

    static Outcome cc3(int code) {
        return new Outcome(3, 0x8000_0000L | code);
    }

    static Outcome reference(LongUnaryOperator storage, long asce, long v, boolean edat) {
        long[] index = {bits(v, 0, 10), bits(v, 11, 21), bits(v, 22, 32), bits(v, 33, 43)};
        int first = 3 - (int) bits(asce, 60, 61);
        for (int k = 0; k < first; k++) {
            if (index[k] != 0) {
                return cc3(0x38);
            }
        }
        if ((index[first] >> 9) > bits(asce, 62, 63)) {
            return cc3(tableCode(first));
        }
        long origin = asce & 0xffff_ffff_ffff_f000L;
        for (int k = first; k < 3; k++) {
            long e = storage.applyAsLong(origin + 8 * index[k]);
            if (bit(e, 58)) {
                return cc3(tableCode(k)); // an invalid region entry is a region-translation exception
            }
            if (bits(e, 60, 61) != 3 - k) {
                return Outcome.interruption(0x12);
            }
            if (k == 2 && edat && bit(e, 53)) { // region-frame absolute address, bits 0-32
                return new Outcome(0, (e & 0xffff_ffff_8000_0000L) | bits(v, 33, 63));
            }
            long top = index[k + 1] >> 9;
            if (top < bits(e, 56, 57) || top > bits(e, 62, 63)) {
                return cc3(tableCode(k + 1));
            }
            origin = e & 0xffff_ffff_ffff_f000L;
        }
        long steAt = origin + 8 * index[3];
        long ste = storage.applyAsLong(steAt);
        if (bit(ste, 58)) {
            return new Outcome(1, steAt);
        }
        if (bits(ste, 60, 61) != 0) {
            return Outcome.interruption(0x12);
        }
        if (edat && bit(ste, 53)) { // segment-frame absolute address, bits 0-43
            return new Outcome(0, (ste & 0xffff_ffff_fff0_0000L) | bits(v, 44, 63));
        }
        long pteAt = (ste & 0xffff_ffff_ffff_f800L) + 8 * bits(v, 44, 51);
        long pte = storage.applyAsLong(pteAt);
        if (bit(pte, 53)) {
            return new Outcome(2, pteAt);
        }
        if (bit(pte, 52)) {
            return Outcome.interruption(0x12);
        }
        return new Outcome(0, (pte & 0xffff_ffff_ffff_f000L) | bits(v, 52, 63));
    }

    // ---- random tables ------------------------------------------------------------------------------

    /** Tables decided entry by entry along the paths of the addresses the property asks about. */
    static final class RandomTables {
        final DatFixture f;
        final Random r;
        final int type;
        final boolean edat;
        final long asce;
        final Set<Long> decided = new HashSet<>();

        RandomTables(DatFixture f, Random r, int type, boolean edat) {
            this.f = f;
            this.r = r;
            this.type = type;
            this.edat = edat;
            this.asce = f.table(type) | (long) type << 2 | r.nextInt(4);
        }

        long pick() {
            int[] usual = {0, 1, 511, 512, 1024, 1536, 2047};
            return r.nextInt(3) == 0 ? r.nextInt(2048) : usual[r.nextInt(usual.length)];
        }

        long vaddr() {
            long v = pick() << 53 | pick() << 42 | pick() << 31 | pick() << 20 | (long) r.nextInt(256) << 12
                    | r.nextInt(4096);
            if (type < 3 && r.nextInt(8) != 0) {
                v &= (1L << (31 + 11 * type)) - 1;
            }
            return v;
        }

        boolean chance(int percent) {
            return r.nextInt(100) < percent;
        }

        long protect() {
            return chance(30) ? 0x200 : 0;
        }

        /** Decides every entry on the path of {@code v} that is not decided yet. */
        void decide(long v) {
            long origin = asce & ~0xfffL;
            for (int level = type; level >= 1; level--) {
                long at = origin + 8L * DatFixture.index(v, level);
                if (decided.add(at)) {
                    f.write(at, regionEntry(level));
                }
                long e = f.read(at);
                if ((e & 0x20) != 0 || ((e >>> 2) & 3) != level || (level == 1 && edat && (e & 0x400) != 0)) {
                    return;
                }
                origin = e & ~0xfffL;
            }
            long at = origin + 8L * DatFixture.index(v, 0);
            if (decided.add(at)) {
                f.write(at, segmentEntry());
            }
            long ste = f.read(at);
            if ((ste & 0x20) != 0 || (ste & 0xc) != 0 || (edat && (ste & 0x400) != 0)) {
                return;
            }
            long pteAt = (ste & ~0x7ffL) + 8 * ((v >>> 12) & 0xff);
            if (decided.add(pteAt)) {
                f.write(pteAt, pageEntry());
            }
        }

        long regionEntry(int level) {
            long tl = 2 + r.nextInt(2);
            long tf = r.nextInt(2);
            if (chance(15)) {
                return 0x20 | (long) level << 2 | tf << 6 | tl;
            }
            if (level == 1 && edat && chance(25)) {
                return (long) r.nextInt(8) << 31 | 0x400 | 1 << 2 | protect();
            }
            long tt = chance(3) ? (level + 1) & 3 : level;
            return f.table(level - 1) | tt << 2 | tf << 6 | tl | (edat ? protect() : 0);
        }

        long segmentEntry() {
            if (chance(15)) {
                return 0x20;
            }
            if (edat && chance(30)) {
                return (long) r.nextInt(4096) << 20 | 0x400 | protect();
            }
            return f.pageTable() | protect() | (chance(3) ? 0x4 : 0);
        }

        long pageEntry() {
            long frame = (r.nextLong() & 0xff_ffff_f000L);
            if (chance(20)) {
                return frame | 0x400;
            }
            return frame | protect() | (chance(3) ? 0x800 : 0);
        }
    }
}
