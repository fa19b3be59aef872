package org.pvsim.machine.uv;

import org.pvsim.machine.uv.cb.UvCommand;
import org.pvsim.machine.uv.cb.Uvcb;
import org.pvsim.machine.uv.cb.UvcbHeader;

/**
 * One UV call in progress: the command and the block's bytes. Handlers read the block as its
 * {@code uv.cb} record and answer through the same record, so the firmware and host software share
 * one definition of every layout (the one UvcbLayoutTest checks against gcc).
 */
final class Call {
    final UvCommand command;
    final int domain;
    /** Where the block is (host absolute for the host), and how many of its bytes the UV touches. */
    final long address;
    final int length;
    private final byte[] block;
    /** For a create: the random values it needs, drawn before the call takes any lock (see {@link UvRandom}). */
    UvRandom.Draw draw;

    Call(UvCommand command, byte[] block, int domain, long address, int length) {
        this.command = command;
        this.block = block;
        this.domain = domain;
        this.address = address;
        this.length = length;
    }

    /** Whether storage the call would donate holds the block itself (the UV could not answer in it). */
    boolean blockWithin(long origin, long len) {
        return domain == 0 && UvState.overlaps(origin, len, address, length);
    }

    /** The block as its command's record; {@code type} is what the handler expects (checked). */
    <T extends Uvcb> T block(Class<T> type) {
        if (type != command.blockType()) {
            throw new IllegalStateException(command + " carries a " + command.blockType().getSimpleName()
                    + ", not a " + type.getSimpleName());
        }
        return Uvcb.decode(type, block);
    }

    /** Stores the record's fields as the answer; reserved bytes stay as the caller left them. */
    void answer(Uvcb answered) {
        answered.encodeInto(block);
    }

    void result(int rc, int rrc) {
        byte[] header = UvcbHeader.decode(block).withResult(rc, rrc).encode();
        System.arraycopy(header, 0, block, 0, UvcbHeader.SIZE);
    }

    /** The block's bytes as they stand (written back to storage, or shown to the host in the SIDA). */
    byte[] bytes() {
        return block;
    }

    Uvcb decodeBlock() {
        return Uvcb.decode(command.blockType(), block);
    }
}
