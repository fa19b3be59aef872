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

    private void putBits(int off, int width, long v) {
        long at = origin + (off & ~7);
        int shift = 64 - 8 * (off & 7) - width;
        long mask = (width == 64 ? -1L : (1L << width) - 1) << shift;
        storage.writeLong(at, storage.readLong(at) & ~mask | (v << shift) & mask);
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
        put32(CPUFLAGS, u32(CPUFLAGS) | flags);
    }

    void clearFlags(int flags) {
        put32(CPUFLAGS, u32(CPUFLAGS) & ~flags);
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
