package org.pvsim.machine.uv;

import java.nio.ByteBuffer;
import org.pvsim.machine.uv.cb.UvCommand;
import org.pvsim.machine.uv.cb.Uvcb;

/** One UV call in progress: the command and the block's bytes, which the handler reads and fills. */
final class Call {
    final UvCommand command;
    final byte[] block;
    final int domain;
    private final ByteBuffer b;

    Call(UvCommand command, byte[] block, int domain) {
        this.command = command;
        this.block = block;
        this.domain = domain;
        this.b = ByteBuffer.wrap(block);
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
