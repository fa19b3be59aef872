package org.pvsim.kvm;

import java.util.HashMap;
import java.util.Map;
import org.pvsim.machine.storage.HostStorage;

/**
 * The guest's address space as the machine sees it (arch/s390/mm/gmap.c): z/Architecture DAT tables in
 * host storage mapping guest absolute addresses to host frames, with a region-third table on top (4 TiB;
 * a segment-table ASCE would forbid asynchronous teardown). Its ASCE is what CREATE_SEC_CONF registers,
 * so every VM's top-level table is unique. Pages are mapped lazily, on the first fault.
 */
final class Gmap {
    static final long ASCE_PRIVATE = 0x100;
    static final long ASCE_TYPE_REGION3 = 0x04;
    static final long TABLE_LENGTH_FULL = 0x03;
    static final long ENTRY_INVALID = 0x20;
    static final long PAGE_INVALID = 0x400;
    /** Guest addresses a region-third table translates: 4 TiB. */
    static final long LIMIT = 1L << 42;
    private static final int CRST_PAGES = 4; // 2048 entries of 8 bytes
    private static final int CRST_BYTES = CRST_PAGES * HostStorage.PAGE_SIZE;
    private static final byte[] EMPTY_REGION3 = pattern(CRST_BYTES, ENTRY_INVALID | ASCE_TYPE_REGION3);
    private static final byte[] EMPTY_SEGMENT = pattern(CRST_BYTES, ENTRY_INVALID);
    private static final byte[] EMPTY_PAGE_TABLE = pattern(2048, PAGE_INVALID);

    private final HostStorage storage;
    private final HostFrameAllocator allocator;
    private final KvmStats.Counters stats;
    private long region3;
    private final Map<Long, Long> segmentTables = new HashMap<>(); // region-third index -> table
    private final Map<Long, Long> pageTables = new HashMap<>(); // segment number -> table
    private final Map<Long, Long> mapped = new HashMap<>(); // guest page address -> host frame

    Gmap(HostStorage storage, HostFrameAllocator allocator, KvmStats.Counters stats) {
        this.storage = storage;
        this.allocator = allocator;
        this.stats = stats;
        this.region3 = crst(EMPTY_REGION3);
    }

    private static byte[] pattern(int bytes, long entry) {
        byte[] b = new byte[bytes];
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b);
        for (int i = 0; i < bytes; i += 8) {
            bb.putLong(i, entry);
        }
        return b;
    }

    private long crst(byte[] empty) {
        long t = allocator.allocate(CRST_PAGES, CRST_PAGES, HostFrameAllocator.Use.DAT);
        if (t < 0) {
            throw new KvmException("gmap", Errno.ENOMEM, "no host storage for a DAT table");
        }
        storage.write(t, empty, 0, empty.length);
        return t;
    }

    synchronized long asce() {
        return region3 | ASCE_PRIVATE | ASCE_TYPE_REGION3 | TABLE_LENGTH_FULL;
    }

    /** Maps the guest page at {@code gaddr} to the host frame {@code frame}. */
    synchronized void map(long gaddr, long frame) {
        long page = gaddr & ~HostStorage.PAGE_MASK;
        long seg = page >>> 20;
        Long pt = pageTables.get(seg);
        if (pt == null) {
            long r3index = page >>> 31;
            Long st = segmentTables.get(r3index);
            if (st == null) {
                st = crst(EMPTY_SEGMENT);
                segmentTables.put(r3index, st);
                storage.writeLong(region3 + r3index * 8, st | ASCE_TYPE_REGION3 | TABLE_LENGTH_FULL);
            }
            pt = allocator.allocate(1, HostFrameAllocator.Use.DAT);
            if (pt < 0) {
                throw new KvmException("gmap", Errno.ENOMEM, "no host storage for a page table");
            }
            storage.write(pt, EMPTY_PAGE_TABLE, 0, EMPTY_PAGE_TABLE.length);
            pageTables.put(seg, pt);
            storage.writeLong(st + (seg & 0x7ff) * 8, pt);
        }
        storage.writeLong(pt + ((page >>> 12) & 0xff) * 8, frame);
        mapped.put(page, frame);
    }

    /** The host frame mapped at {@code gaddr}, or -1. */
    synchronized long translate(long gaddr) {
        Long f = mapped.get(gaddr & ~HostStorage.PAGE_MASK);
        return f == null ? -1 : f;
    }

    /** Invalidates the mappings of frames in {@code [gaddr, gaddr+len)}. */
    synchronized void unmap(long gaddr, long len) {
        for (long page = gaddr & ~HostStorage.PAGE_MASK; page < gaddr + len; page += HostStorage.PAGE_SIZE) {
            if (mapped.remove(page) != null) {
                long pt = pageTables.get(page >>> 20);
                storage.writeLong(pt + ((page >>> 12) & 0xff) * 8, PAGE_INVALID);
            }
        }
    }

    /** Every host frame currently mapped (for teardown). */
    synchronized long[] mappedFrames() {
        return mapped.values().stream().mapToLong(Long::longValue).toArray();
    }

    /** Mapped frames whose guest address lies below {@code limit}. */
    synchronized long[] mappedFramesBelow(long limit) {
        return mapped.entrySet().stream().filter(e -> e.getKey() < limit).mapToLong(Map.Entry::getValue).toArray();
    }

    /**
     * s390_replace_asce(): the UV still knows the top-level table of a configuration it failed to destroy,
     * so that table is set aside for good (leaked) and the gmap continues with a copy.
     */
    synchronized void replaceAsce() {
        long copy = allocator.allocate(CRST_PAGES, CRST_PAGES, HostFrameAllocator.Use.DAT);
        if (copy < 0) {
            throw new KvmException("gmap", Errno.ENOMEM, "no host storage to replace the ASCE");
        }
        byte[] table = storage.read(region3, CRST_BYTES);
        storage.write(copy, table, 0, CRST_BYTES);
        stats.leaked(KvmStats.LeakReason.ASCE_SET_ASIDE, CRST_BYTES);
        region3 = copy;
    }

    /** Frees every table (the guest's pages belong to user memory and are not touched). */
    synchronized void free() {
        for (long pt : pageTables.values()) {
            allocator.free(pt, 1, HostFrameAllocator.Use.DAT);
        }
        for (long st : segmentTables.values()) {
            allocator.free(st, CRST_PAGES, HostFrameAllocator.Use.DAT);
        }
        allocator.free(region3, CRST_PAGES, HostFrameAllocator.Use.DAT);
        pageTables.clear();
        segmentTables.clear();
        mapped.clear();
        region3 = 0;
    }
}
