package org.pvsim.kvm;

import static org.pvsim.machine.SieBlock.*;

import org.pvsim.machine.storage.HostStorage;

/**
 * The kernel's access to one vCPU's SIE control block ({@code vcpu->arch.sie_block}) in host storage, with
 * the layout the machine's SIE defines ({@link org.pvsim.machine.SieBlock}). Plain host accesses: the
 * block and its page are kernel memory, never secure.
 */
final class SieControlBlock {
    private final HostStorage storage;
    final long origin;

    SieControlBlock(HostStorage storage, long origin) {
        this.storage = storage;
        this.origin = origin;
    }

    long u64(int off) {
        return storage.readLong(origin + off);
    }

    int u32(int off) {
        return (int) (storage.readLong(origin + (off & ~7)) >>> (32 - 8 * (off & 4)));
    }

    int u16(int off) {
        return (int) (storage.readLong(origin + (off & ~7)) >>> (48 - 8 * (off & 6))) & 0xffff;
    }

    int u8(int off) {
        return (int) (storage.readLong(origin + (off & ~7)) >>> (56 - 8 * (off & 7))) & 0xff;
    }

    void put64(int off, long v) {
        storage.writeLong(origin + off, v);
    }

    /**
     * Replaces {@code width} bits of the doubleword holding {@code off}. A compare-and-set loop, as the
     * kernel's atomic_or on cpuflags: another thread sets flags in the same doubleword (kick(): the stop
     * request), and a plain read-modify-write here would lose them.
     */
    private void putBits(int off, int width, long v) {
        long mask = (width == 64 ? -1L : (1L << width) - 1) << shift(off, width);
        updateBits(off, ~mask, (v << shift(off, width)) & mask);
    }

    private static int shift(int off, int width) {
        return 64 - 8 * (off & 7) - width;
    }

    private void updateBits(int off, long keep, long set) {
        long at = origin + (off & ~7);
        long old;
        do {
            old = storage.readLong(at);
        } while (!storage.compareAndSetLong(at, old, old & keep | set));
    }

    void put32(int off, int v) {
        putBits(off, 32, v & 0xffffffffL);
    }

    void put16(int off, int v) {
        putBits(off, 16, v & 0xffff);
    }

    void put8(int off, int v) {
        putBits(off, 8, v & 0xff);
    }

    void orFlags(int flags) {
        updateBits(CPUFLAGS, -1L, (flags & 0xffffffffL) << shift(CPUFLAGS, 32));
    }

    void clearFlags(int flags) {
        updateBits(CPUFLAGS, ~((flags & 0xffffffffL) << shift(CPUFLAGS, 32)), 0);
    }

    long prefix() {
        return u32(PREFIX) & 0x7fffe000L;
    }

    void setPrefix(long prefix) {
        put32(PREFIX, (int) (u32(PREFIX) & ~0x7fffe000 | prefix & 0x7fffe000L));
    }

    long[] pvGrregs() {
        long[] r = new long[16];
        for (int i = 0; i < 16; i++) {
            r[i] = u64(PV_GRREGS + 8 * i);
        }
        return r;
    }

    void setPvGrregs(long[] r) {
        for (int i = 0; i < 16; i++) {
            put64(PV_GRREGS + 8 * i, r[i]);
        }
    }
}
