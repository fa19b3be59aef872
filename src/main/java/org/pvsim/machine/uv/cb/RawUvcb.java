package org.pvsim.machine.uv.cb;

/** A bare header (8 bytes): for commands that do not exist or to probe the UV with odd lengths. */
public record RawUvcb(UvcbHeader header) implements Uvcb {
    public static RawUvcb of(int cmd, int len) {
        return new RawUvcb(new UvcbHeader(len, cmd, 0, 0));
    }

    @Override
    public int size() {
        return UvcbHeader.SIZE;
    }

    @Override
    public void encodeInto(byte[] block) {
        Uvcb.over(block, UvcbHeader.SIZE, header, "raw");
    }

    public static RawUvcb decode(byte[] bytes) {
        return new RawUvcb(UvcbHeader.get(Uvcb.wrap(bytes, UvcbHeader.SIZE, "raw")));
    }
}
