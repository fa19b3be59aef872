package org.pvsim.machine.uv;

import java.nio.ByteBuffer;
import org.pvsim.machine.uv.cb.UvCommand;
import org.pvsim.machine.uv.cb.Uvcb;

/** One UV call in progress: the command and the block's bytes, which the handler reads and fills. */
final class Call {
    final UvCommand command;
    final byte[] block;
    final int domain;
    /** Where the block is (host absolute for the host), and how many of its bytes the UV touches. */
    final long address;
    final int length;
    private final ByteBuffer b;

    Call(UvCommand command, byte[] block, int domain, long address, int length) {
        this.command = command;
        this.block = block;
        this.domain = domain;
        this.address = address;
        this.length = length;
        this.b = ByteBuffer.wrap(block);
    }

    /** Whether storage the call would donate holds the block itself (the UV could not answer in it). */
    boolean blockWithin(long origin, long len) {
        return domain == 0 && UvState.overlaps(origin, len, address, length);
    }

    long u64(int off) {
        return b.getLong(off);
    }

    int u32(int off) {
        return b.getInt(off);
    }

    int u16(int off) {
        return b.getShort(off) & 0xffff;
    }

    int u8(int off) {
        return b.get(off) & 0xff;
    }

    byte[] bytes(int off, int len) {
        return java.util.Arrays.copyOfRange(block, off, off + len);
    }

    void put64(int off, long v) {
        b.putLong(off, v);
    }

    void putBytes(int off, byte[] v) {
        System.arraycopy(v, 0, block, off, v.length);
    }

    void header(int rc, int rrc) {
        b.putShort(4, (short) rc).putShort(6, (short) rrc);
    }

    Uvcb decodeBlock() {
        return Uvcb.decode(command.blockType(), block);
    }
}
