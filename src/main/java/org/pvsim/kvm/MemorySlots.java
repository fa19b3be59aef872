package org.pvsim.kvm;

import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/** The VM's memory slots: guest physical ranges backed by ranges of user memory. Guarded by the VM lock. */
final class MemorySlots {
    private final TreeMap<Integer, KvmUserspaceMemoryRegion> slots = new TreeMap<>();
    /**
     * The slots as of the last change, for readers that do not hold the VM lock (the kernel reads
     * memslots under SRCU): the mmu notifier of every munmap visits every VM of the mm, and must not
     * wait for a VM that is busy in a long PV command.
     */
    private volatile List<KvmUserspaceMemoryRegion> published = List.of();

    KvmUserspaceMemoryRegion get(int slot) {
        return slots.get(slot);
    }

    void put(KvmUserspaceMemoryRegion r) {
        slots.put(r.slot(), r);
        published = List.copyOf(slots.values());
    }

    void remove(int slot) {
        slots.remove(slot);
        published = List.copyOf(slots.values());
    }

    /** An immutable snapshot of the slots as of the last change; needs no lock. */
    List<KvmUserspaceMemoryRegion> published() {
        return published;
    }

    Collection<KvmUserspaceMemoryRegion> all() {
        return slots.values();
    }

    /** The user address backing guest absolute {@code gaddr}, or -1 if no slot covers it. */
    long toUser(long gaddr) {
        for (KvmUserspaceMemoryRegion r : slots.values()) {
            if (gaddr >= r.guestPhysAddr() && gaddr - r.guestPhysAddr() < r.memorySize()) {
                return r.userspaceAddr() + (gaddr - r.guestPhysAddr());
            }
        }
        return -1;
    }

    /** kvm_s390_get_gfn_end() in bytes: the end of the highest slot. */
    long end() {
        long end = 0;
        for (KvmUserspaceMemoryRegion r : slots.values()) {
            end = Math.max(end, r.guestPhysAddr() + r.memorySize());
        }
        return end;
    }
}
