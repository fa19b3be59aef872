package org.pvsim.machine.cpu;

/**
 * Decoded instructions, one {@link Page} per absolute frame that has been executed from. Shared by
 * all CPUs of the machine. A store into a frame that holds decoded code drops the page (the CPUs'
 * write TLBs never hold such frames, so they see every such store).
 */
final class CodeCache {
    static final int SLOTS = 2048; // one per halfword of a 4 KiB page

    static final class Page {
        final long frame;
        final Insn[] slots = new Insn[SLOTS];

        Page(long frame) {
            this.frame = frame;
        }

        /** Forgets the instructions that overlap bytes [off, off+len) of the page. */
        void invalidate(int off, int len) {
            int from = Math.max(0, off - 4) >>> 1;
            int to = Math.min(SLOTS - 1, (off + len - 1) >>> 1);
            for (int s = from; s <= to; s++) {
                slots[s] = null;
            }
        }
    }

    private static final int CHUNK_SHIFT = 12;
    private final Machine machine;
    private final Page[][] chunks;

    CodeCache(Machine machine, long frames) {
        this.machine = machine;
        this.chunks = new Page[(int) ((frames + (1 << CHUNK_SHIFT) - 1) >>> CHUNK_SHIFT)][];
    }

    Page page(long frame) {
        int c = (int) (frame >>> CHUNK_SHIFT);
        Page[] chunk = chunks[c];
        if (chunk == null) {
            chunk = chunks[c] = new Page[1 << CHUNK_SHIFT];
        }
        int i = (int) (frame & ((1 << CHUNK_SHIFT) - 1));
        Page p = chunk[i];
        if (p == null) {
            p = chunk[i] = new Page(frame);
            for (Cpu cpu : machine.cpus()) {
                cpu.frameBecameCode(frame);
            }
        }
        return p;
    }

    Page get(long frame) {
        Page[] chunk = chunks[(int) (frame >>> CHUNK_SHIFT)];
        return chunk == null ? null : chunk[(int) (frame & ((1 << CHUNK_SHIFT) - 1))];
    }

    boolean contains(long frame) {
        Page[] chunk = chunks[(int) (frame >>> CHUNK_SHIFT)];
        return chunk != null && chunk[(int) (frame & ((1 << CHUNK_SHIFT) - 1))] != null;
    }

    void drop(long frame) {
        Page[] chunk = chunks[(int) (frame >>> CHUNK_SHIFT)];
        if (chunk == null) {
            return;
        }
        int i = (int) (frame & ((1 << CHUNK_SHIFT) - 1));
        Page p = chunk[i];
        if (p != null) {
            chunk[i] = null;
            for (Cpu cpu : machine.cpus()) {
                cpu.codePageDropped(p);
            }
        }
    }
}
