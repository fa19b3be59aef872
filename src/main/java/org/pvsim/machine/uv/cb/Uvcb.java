package org.pvsim.machine.uv.cb;

import java.nio.ByteBuffer;
import org.pvsim.machine.storage.Storage;

/**
 * A UV control block in the byte layout of the kernel's {@code asm/uv.h}. Every record encodes to
 * exactly {@link #size()} bytes and decodes from them, so that s390x code and Java code build the
 * same bytes in storage.
 */
public sealed interface Uvcb permits QueryUvInfo, InitUv, CreateSecConf, CreateSecCpu, NoData, DestroyFast,
        ConvertToSecure, ConvertFromSecure, SetSecConfParams, Unpack, CpuSetState, Share, Attest, DumpCpu,
        DumpStorState, DumpComplete, GuestAddr, ListSecrets, RetrieveSecret, RawUvcb {

    UvcbHeader header();

    /** The architected size of this control block in bytes. */
    default int size() {
        return sizeOf(getClass());
    }

    /** The bytes of this control block (big-endian, reserved fields zero). */
    default byte[] encode() {
        byte[] block = new byte[size()];
        encodeInto(block);
        return block;
    }

    /**
     * Stores the header and every field of this control block into {@code block} (at least
     * {@link #size()} bytes); reserved bytes keep what they held.
     */
    void encodeInto(byte[] block);

    /** Writes the control block at {@code address}, as an access of {@code domain}. */
    default void write(Storage storage, long address, int domain) {
        byte[] b = encode();
        storage.write(address, b, 0, b.length, domain);
    }

    /** Decodes the control block of type {@code type} from the bytes at {@code address}. */
    static <T extends Uvcb> T read(Class<T> type, Storage storage, long address, int domain) {
        return decode(type, storage.read(address, sizeOf(type), domain));
    }

    static int sizeOf(Class<? extends Uvcb> type) {
        return UvcbCodecs.of(type).size();
    }

    static <T extends Uvcb> T decode(Class<T> type, byte[] b) {
        return type.cast(UvcbCodecs.of(type).decoder().apply(b));
    }

    /** {@code block} (at least {@code size} bytes) to store fields into, with the header in place. */
    static ByteBuffer over(byte[] block, int size, UvcbHeader header, String what) {
        ByteBuffer b = wrap(block, size, what);
        header.put(b);
        return b;
    }

    static ByteBuffer wrap(byte[] bytes, int size, String what) {
        if (bytes.length < size) {
            throw new IllegalArgumentException(what + " UVCB needs " + size + " bytes, got " + bytes.length);
        }
        return ByteBuffer.wrap(bytes);
    }
}
