package org.pvsim.machine.cpu;

/**
 * One entry of a CPU's write TLB: the page it maps (with {@code Cpu}'s recheck bit, or -1 when empty),
 * the machine frame and the frame's bytes. One immutable object, so that the JIT need not assume that a
 * store into guest registers or guest storage (long and byte arrays) changed it: in a translated loop
 * the check of a store's page then stays out of the way of the stores. (Loads keep parallel arrays: a
 * load's frame is on the data's dependency chain, and the entry object would add one more load to it.)
 */
record TlbEntry(long page, long frame, byte[] data) {
    static final TlbEntry EMPTY = new TlbEntry(-1, -1, null);
}
