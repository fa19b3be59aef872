package org.pvsim.machine.storage;

/**
 * Storage as the host (the LPAR: KVM, host programs, tools) may touch it: every access is an access of the
 * host domain, so a secure or UV-owned frame raises program interruption 0x3d exactly as it does for the
 * host's own CPU accesses. Host software is given this view and never the {@link Storage} behind it: from
 * here there is no way to a guest domain, to a frame's owner tag, or to the unchecked firmware paths, so the
 * host sees secure pages only as the UV exports them (ciphertext), by construction rather than by habit.
 * Obtained from the machine ({@code SimulatedMachine.hostStorage()}).
 */
public final class HostStorage {
    public static final int PAGE_SHIFT = Storage.PAGE_SHIFT;
    public static final int PAGE_SIZE = Storage.PAGE_SIZE;
    public static final long PAGE_MASK = Storage.PAGE_MASK;

    private final Storage storage;

    HostStorage(Storage storage) {
        this.storage = storage;
    }

    public long size() {
        return storage.size();
    }

    public long frameCount() {
        return storage.frameCount();
    }

    public void read(long address, byte[] dst, int off, int len) {
        storage.read(address, dst, off, len, Storage.HOST);
    }

    public byte[] read(long address, int len) {
        return storage.read(address, len, Storage.HOST);
    }

    public void write(long address, byte[] src, int off, int len) {
        storage.write(address, src, off, len, Storage.HOST);
    }

    public long readLong(long address) {
        return storage.readLong(address, Storage.HOST);
    }

    public void writeLong(long address, long value) {
        storage.writeLong(address, value, Storage.HOST);
    }

    /** Atomic compare-and-set of an 8-aligned doubleword ({@link Storage#compareAndSetLong}). */
    public boolean compareAndSetLong(long address, long expected, long replacement) {
        return storage.compareAndSetLong(address, expected, replacement, Storage.HOST);
    }
}
