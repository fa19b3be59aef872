package org.pvsim.machine.cpu;

import java.util.HexFormat;
import org.pvsim.machine.Lowcore;
import org.pvsim.machine.storage.Storage;

/**
 * A machine for DAT tests: DAT tables built in its storage, a few instructions encoded by hand, and a
 * program run at virtual 0x2000 with DAT on. The first 64 KiB are mapped one to one (lowcore, code,
 * data) unless a test maps otherwise; tables live from 1 MiB on; a program interruption ends in a
 * disabled wait at 0xdead, the program's own end ({@link #END}) in one at 0xfff.
 */
final class DatFixture {
    static final long CODE = 0x2000;
    static final long DATA = 0x4000;
    static final long DONE_PSW = 0xe00;
    /** lpswe DONE_PSW: the end of every test program. */
    static final String END = "b2b20e00";
    static final long MEMORY = 32L << 20;

    final Machine m;
    final Cpu c;
    private long next = 0x100000;

    DatFixture() {
        this(false);
    }

    DatFixture(boolean translate) {
        this(translate, false);
    }

    /** With {@code ultravisor}, the machine reports the UVC facilities (the test installs the UV). */
    DatFixture(boolean translate, boolean ultravisor) {
        m = new Machine(new Machine.Options(MEMORY, 1, true, ultravisor), s -> { });
        m.setTranslation(translate);
        c = m.cpu(0);
        Storage s = m.storage();
        s.writeLong(Lowcore.PGM_NEW_PSW, 0x0002000180000000L, Storage.HOST);
        s.writeLong(Lowcore.PGM_NEW_PSW + 8, 0xdead, Storage.HOST);
        s.writeLong(DONE_PSW, 0x0002000180000000L, Storage.HOST);
        s.writeLong(DONE_PSW + 8, 0xfff, Storage.HOST);
    }

    Storage storage() {
        return m.storage();
    }

    long read(long abs) {
        return m.storage().readLong(abs, Storage.HOST);
    }

    void write(long abs, long v) {
        m.storage().writeLong(abs, v, Storage.HOST);
    }

    // ---- tables ------------------------------------------------------------------------------------

    /** A region or segment table of 2048 entries, all invalid, of table type {@code type} (3 RF .. 0 ST). */
    long table(int type) {
        long t = alloc(0x4000);
        for (int k = 0; k < 2048; k++) {
            write(t + 8L * k, 0x20 | (long) type << 2);
        }
        return t;
    }

    long pageTable() {
        long t = alloc(0x1000);
        for (int k = 0; k < 256; k++) {
            write(t + 8L * k, 0x400);
        }
        return t;
    }

    private long alloc(long size) {
        long a = (next + size - 1) & -size;
        next = a + size;
        return a;
    }

    /** An ASCE of designation type {@code type} with a full-length top table. */
    long asce(int type) {
        return table(type) | (long) type << 2 | 3;
    }

    static int index(long vaddr, int level) {
        return (int) (vaddr >>> (20 + 11 * level)) & 0x7ff;
    }

    /** The address of the entry for {@code vaddr} at {@code level} (0 segment), creating tables on the way. */
    long entryAddress(long asce, long vaddr, int level) {
        int type = (int) (asce >>> 2) & 3;
        long origin = asce & ~0xfffL;
        for (int l = type; l > level; l--) {
            long at = origin + 8L * index(vaddr, l);
            long e = read(at);
            if ((e & 0x20) != 0) {
                long t = table(l - 1);
                e = t | (long) l << 2 | 3; // offset 0, full length
                write(at, e);
            }
            origin = e & ~0xfffL;
        }
        return origin + 8L * index(vaddr, level);
    }

    /** Maps the 4 KiB page of {@code vaddr} to {@code real} with PTE bits {@code bits} (0x200 protect, 0x100 IEP). */
    long map(long asce, long vaddr, long real, long bits) {
        long ste = entryAddress(asce, vaddr, 0);
        long e = read(ste);
        if ((e & 0x20) != 0 || (e & 0x400) != 0) {
            e = pageTable();
            write(ste, e);
        }
        long pte = (e & ~0x7ffL) + 8 * ((vaddr >>> 12) & 0xff);
        write(pte, (real & ~0xfffL) | bits);
        return pte;
    }

    long map(long asce, long vaddr, long real) {
        return map(asce, vaddr, real, 0);
    }

    /** The first 64 KiB one to one. */
    void identity(long asce) {
        for (long a = 0; a < 0x10000; a += 0x1000) {
            map(asce, a, a);
        }
    }

    /**
     * One-to-one tables for all of {@code storage} (4 KiB pages, a segment-table ASCE), built at
     * {@code base}: what a kernel that maps its memory as it is would use. Returns the ASCE.
     */
    static long identityTables(Storage storage, long base) {
        long segments = storage.size() >>> 20;
        long st = base;
        for (int k = 0; k < 2048; k++) {
            storage.writeLong(st + 8L * k, k < segments ? base + 0x4000 + 0x800L * k : 0x20, Storage.HOST);
        }
        for (long p = 0; p < storage.size() >>> 12; p++) {
            storage.writeLong(base + 0x4000 + 8 * p, p << 12, Storage.HOST);
        }
        return st | 3;
    }

    // ---- running -----------------------------------------------------------------------------------

    /** Writes the program at CODE and starts it with DAT on, CR1 = {@code asce}, and {@code cr0} ORed into CR0. */
    void start(long asce, long cr0, String... code) {
        byte[] b = HexFormat.of().parseHex(String.join("", code).replace(" ", ""));
        m.storage().write(CODE, b, 0, b.length, Storage.HOST);
        m.ipl(new Psw(Psw.MASK_64BIT_DISABLED | Psw.DAT, CODE));
        c.cr[1] = asce;
        c.cr[0] |= cr0;
    }

    Machine.Result run(long max) {
        return m.run(max);
    }

    Machine.Result run(long asce, String... code) {
        start(asce, 0, code);
        return run(10_000);
    }

    boolean ended() {
        return c.psw().address() == 0xfff;
    }

    int pgmCode() {
        return m.storage().readShort(Lowcore.PGM_CODE, Storage.HOST);
    }

    long teid() {
        return read(Lowcore.TRANS_EXC_ID);
    }

    long pgmOldAddress() {
        return read(Lowcore.PGM_OLD_PSW + 8);
    }

    // ---- instructions ------------------------------------------------------------------------------

    /** r = a 64-bit constant (llihf; iilf). */
    static String load(int r, long v) {
        return String.format("c0%xe%08x c0%x9%08x ", r, v >>> 32, r, v & 0xffffffffL);
    }

    static String lg(int r1, int b2, int d2) {
        return String.format("e3%x0%x%03x0004 ", r1, b2, d2);
    }

    static String stg(int r1, int b2, int d2) {
        return String.format("e3%x0%x%03x0024 ", r1, b2, d2);
    }

    static String mvi(int b1, int d1, int value) {
        return String.format("92%02x%x%03x ", value, b1, d1);
    }

    static String lrag(int r1, int b2, int d2) {
        return String.format("e3%x0%x%03x0003 ", r1, b2, d2);
    }

    static String lctlg(int r1, int r3, int b2, int d2) {
        return String.format("eb%x%x%x%03x002f ", r1, r3, b2, d2);
    }

    static String ipte(int r1, int r2) {
        return String.format("b22100%x%x ", r1, r2);
    }

    static String idte(int r1, int r2) {
        return String.format("b98e00%x%x ", r1, r2);
    }

    static String rr(String op, int r1, int r2) {
        return String.format("%s%x%x ", op, r1, r2);
    }

    static String rre(String op, int r1, int r2) {
        return String.format("%s00%x%x ", op, r1, r2);
    }

    static String s(String op, int b2, int d2) {
        return String.format("%s%x%03x ", op, b2, d2);
    }

    static String sse(String op, int b1, int d1, int b2, int d2) {
        return String.format("%s%x%03x%x%03x ", op, b1, d1, b2, d2);
    }
}
