package org.pvsim.machine.uv.cb;

import java.nio.ByteBuffer;

/** The 8-byte UVCB header: {@code u16 len; u16 cmd; u16 rc; u16 rrc} (kernel {@code struct uv_cb_header}). */
public record UvcbHeader(int len, int cmd, int rc, int rrc) {
    public static final int SIZE = 8;

    public UvcbHeader {
        check(len, "len");
        check(cmd, "cmd");
        check(rc, "rc");
        check(rrc, "rrc");
    }

    /** A fresh header for a command: the architected length, rc and rrc zero. */
    public static UvcbHeader of(UvCommand command) {
        return new UvcbHeader(command.size(), command.code(), 0, 0);
    }

    public UvcbHeader withLen(int newLen) {
        return new UvcbHeader(newLen, cmd, rc, rrc);
    }

    public UvcbHeader withCmd(int newCmd) {
        return new UvcbHeader(len, newCmd, rc, rrc);
    }

    /** The header with the UV's answer filled in. */
    public UvcbHeader withResult(int newRc, int newRrc) {
        return new UvcbHeader(len, cmd, newRc, newRrc);
    }

    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(SIZE);
        put(b);
        return b.array();
    }

    public static UvcbHeader decode(byte[] bytes) {
        if (bytes.length < SIZE) {
            throw new IllegalArgumentException("UVCB header needs 8 bytes, got " + bytes.length);
        }
        return get(ByteBuffer.wrap(bytes));
    }

    void put(ByteBuffer b) {
        b.putShort(0, (short) len).putShort(2, (short) cmd).putShort(4, (short) rc).putShort(6, (short) rrc);
    }

    static UvcbHeader get(ByteBuffer b) {
        return new UvcbHeader(b.getShort(0) & 0xffff, b.getShort(2) & 0xffff, b.getShort(4) & 0xffff,
                b.getShort(6) & 0xffff);
    }

    private static void check(int v, String what) {
        if (v < 0 || v > 0xffff) {
            throw new IllegalArgumentException("UVCB header " + what + " must fit in 16 bits: " + v);
        }
    }
}
