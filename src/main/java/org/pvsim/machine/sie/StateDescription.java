package org.pvsim.machine.sie;

import static org.pvsim.machine.SieBlock.*;

import org.pvsim.machine.storage.Storage;

/**
 * The SIE state description (the kernel's {@code struct kvm_s390_sie_block}, arch/s390/include/asm/kvm_host.h)
 * in host storage, and the fields of its page that PV adds (the secure-interception GR save area at
 * 0x380 of {@code struct sie_page}). Offsets are the kernel's; SIE reads and writes them as the host
 * left them, with host access (a state description in a secure frame is an exception, as on hardware).
 */
public final class StateDescription {
    private final Storage storage;
    private final long origin;

    StateDescription(Storage storage, long origin) {
        this.storage = storage;
        this.origin = origin;
    }

    long origin() {
        return origin;
    }

    long u64(int off) {
        return storage.readLong(origin + off, Storage.HOST);
    }

    int u32(int off) {
        return storage.readInt(origin + off, Storage.HOST);
    }

    int u16(int off) {
        return storage.readShort(origin + off, Storage.HOST);
    }

    int u8(int off) {
        return storage.readByte(origin + off, Storage.HOST);
    }

    void put64(int off, long v) {
        storage.writeLong(origin + off, v, Storage.HOST);
    }

    void put32(int off, int v) {
        storage.writeInt(origin + off, v, Storage.HOST);
    }

    void put16(int off, int v) {
        storage.writeShort(origin + off, v, Storage.HOST);
    }

    void put8(int off, int v) {
        storage.writeByte(origin + off, v, Storage.HOST);
    }

    /** The guest prefix: bits 1-18 of the word at 0x04, in units of 8 KiB. */
    long prefix() {
        return u32(PREFIX) & 0x7fffe000L;
    }

    void setPrefix(long prefix) {
        put32(PREFIX, (int) ((u32(PREFIX) & ~0x7fffe000) | (prefix & 0x7fffe000L)));
    }

    boolean format4() {
        return u8(SDF) == SDF_FORMAT4;
    }

    void interception(Interception i) {
        put8(ICPTCODE, i.code());
        put16(IPA, i.ipa());
        put32(IPB, i.ipb());
    }
}
