package org.pvsim.machine.uv.cb;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The byte layout of a UVCB whose fields after the header are big-endian unsigned integers at fixed
 * offsets (most blocks of {@code asm/uv.h}): one piece of code encodes and decodes them all, each record
 * only lists its offsets and widths in field order. Everything not listed (reserved fields) is zero.
 */
final class UvcbLayout {
    private final String name;
    private final int size;
    private final int[] offsets;
    private final int[] widths;

    private UvcbLayout(String name, int size, int[] offsets, int[] widths) {
        this.name = name;
        this.size = size;
        this.offsets = offsets;
        this.widths = widths;
    }

    /** A block named {@code name} (for error messages) of {@code size} bytes, no fields yet. */
    static UvcbLayout of(String name, int size) {
        return new UvcbLayout(name, size, new int[0], new int[0]);
    }

    UvcbLayout u8(int offset) {
        return with(offset, 1);
    }

    UvcbLayout u16(int offset) {
        return with(offset, 2);
    }

    UvcbLayout u32(int offset) {
        return with(offset, 4);
    }

    UvcbLayout u64(int offset) {
        return with(offset, 8);
    }

    private UvcbLayout with(int offset, int width) {
        if (offset < UvcbHeader.SIZE || offset % width != 0 || offset + width > size) {
            throw new IllegalArgumentException(name + ": field at 0x" + Integer.toHexString(offset) + " of " + width
                    + " bytes does not fit a " + size + "-byte block");
        }
        int[] o = Arrays.copyOf(offsets, offsets.length + 1);
        int[] w = Arrays.copyOf(widths, widths.length + 1);
        o[offsets.length] = offset;
        w[widths.length] = width;
        return new UvcbLayout(name, size, o, w);
    }

    int size() {
        return size;
    }

    /** The block's bytes: the header, then each value (in field order, truncated to its width). */
    byte[] encode(UvcbHeader header, long... values) {
        byte[] block = new byte[size];
        encodeInto(block, header, values);
        return block;
    }

    /**
     * Stores the header and each value into {@code block}; every other byte stays as it was. The UV
     * answers this way: it changes its outputs, not the reserved fields the caller left.
     */
    void encodeInto(byte[] block, UvcbHeader header, long... values) {
        if (values.length != offsets.length) {
            throw new IllegalArgumentException(name + ": " + offsets.length + " fields, " + values.length + " values");
        }
        ByteBuffer b = Uvcb.over(block, size, header, name);
        for (int i = 0; i < offsets.length; i++) {
            long v = values[i];
            switch (widths[i]) {
                case 1 -> b.put(offsets[i], (byte) v);
                case 2 -> b.putShort(offsets[i], (short) v);
                case 4 -> b.putInt(offsets[i], (int) v);
                default -> b.putLong(offsets[i], v);
            }
        }
    }

    /** The header and the field values (zero-extended) of a block; throws when {@code bytes} is too short. */
    Fields decode(byte[] bytes) {
        ByteBuffer b = Uvcb.wrap(bytes, size, name);
        long[] values = new long[offsets.length];
        for (int i = 0; i < offsets.length; i++) {
            values[i] = switch (widths[i]) {
                case 1 -> b.get(offsets[i]) & 0xffL;
                case 2 -> b.getShort(offsets[i]) & 0xffffL;
                case 4 -> b.getInt(offsets[i]) & 0xffffffffL;
                default -> b.getLong(offsets[i]);
            };
        }
        return new Fields(UvcbHeader.get(b), values);
    }

    /** A decoded block: its header and its fields in layout order. */
    record Fields(UvcbHeader header, long[] values) {
        long u64(int field) {
            return values[field];
        }

        /** A field of up to 32 bits, as the record's {@code int} holds it. */
        int small(int field) {
            return (int) values[field];
        }
    }
}
