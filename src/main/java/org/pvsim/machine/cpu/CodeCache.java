package org.pvsim.machine.cpu;

/**
 * Decoded instructions, one {@link Page} per absolute frame that has been executed from. Shared by
 * all CPUs of the machine. A store into a frame that holds decoded code drops the page (the CPUs'
 * write TLBs never hold such frames, so they see every such store); writes from outside the CPUs (host
 * code, the Ultravisor) reach it through {@link org.pvsim.machine.storage.Storage.WriteObserver}.
 *
 * <p>Threads: KVM runs each vCPU on a thread of its own, so pages are created and dropped under the
 * cache's lock and a page's blocks change under the page's; the hit path (a decoded page found) takes no
 * lock. A CPU may still run a block another thread has just invalidated, to its end: as on hardware,
 * code that another CPU modifies needs serialization by the program to be seen.
 */
final class CodeCache {
    static final int SLOTS = 2048; // one per halfword of a 4 KiB page

    static final class Page {
        final long frame;
        final Insn[] slots = new Insn[SLOTS];
        /** The frame's byte array when decoded: firmware that replaces or clears the frame makes it stale. */
        final byte[] bytes;

        Page(long frame, byte[] bytes) {
            this.frame = frame;
            this.bytes = bytes;
        }

        /** Translated blocks of this page (few: one per hot dispatch point). */
        java.util.List<Block> blocks;

        synchronized void addBlock(Insn head, Block b) {
            if (blocks == null) {
                blocks = new java.util.ArrayList<>(4);
            }
            blocks.add(b);
            head.block = b;
        }

        /** Forgets the instructions that overlap bytes [off, off+len) of the page, and their blocks. */
        synchronized void invalidate(int off, int len) {
            if (blocks != null) {
                for (java.util.Iterator<Block> it = blocks.iterator(); it.hasNext(); ) {
                    Block b = it.next();
                    if (off < b.to && off + len > b.from) {
                        b.invalidate();
                        Insn head = slots[b.from >>> 1];
                        if (head != null && head.block == b) {
                            head.block = null;
                        }
                        it.remove();
                    }
                }
            }
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

    /** The decoded page of {@code frame} whose current bytes are {@code bytes} (a fresh page if they changed). */
    Page page(long frame, byte[] bytes) {
        Page hit = get(frame);
        return hit != null && hit.bytes == bytes ? hit : decodedPage(frame, bytes);
    }

    private synchronized Page decodedPage(long frame, byte[] bytes) {
        int c = (int) (frame >>> CHUNK_SHIFT);
        Page[] chunk = chunks[c];
        if (chunk == null) {
            chunk = chunks[c] = new Page[1 << CHUNK_SHIFT];
        }
        int i = (int) (frame & ((1 << CHUNK_SHIFT) - 1));
        Page p = chunk[i];
        if (p != null && p.bytes != bytes) {
            drop(frame); // the firmware cleared or replaced the frame (Storage.rawClearFrame)
            p = null;
        }
        if (p == null) {
            p = chunk[i] = new Page(frame, bytes);
            for (Cpu cpu : machine.cpus()) {
                cpu.frameBecameCode(frame);
            }
            for (Cpu cpu : machine.guestCpus()) {
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

    synchronized void drop(long frame) {
        Page[] chunk = chunks[(int) (frame >>> CHUNK_SHIFT)];
        if (chunk == null) {
            return;
        }
        int i = (int) (frame & ((1 << CHUNK_SHIFT) - 1));
        Page p = chunk[i];
        if (p != null) {
            chunk[i] = null;
            synchronized (p) {
                if (p.blocks != null) {
                    p.blocks.forEach(Block::invalidate);
                }
            }
            for (Cpu cpu : machine.cpus()) {
                cpu.codePageDropped(p);
            }
            for (Cpu cpu : machine.guestCpus()) {
                cpu.codePageDropped(p);
            }
        }
    }
}
