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
        DumpStorState, DumpComplete, RawUvcb {

    UvcbHeader header();

    /** The architected size of this control block in bytes. */
    int size();

    /** The bytes of this control block (big-endian, reserved fields zero). */
    byte[] encode();

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
        if (type == QueryUvInfo.class) return QueryUvInfo.SIZE;
        if (type == InitUv.class) return InitUv.SIZE;
        if (type == CreateSecConf.class) return CreateSecConf.SIZE;
        if (type == CreateSecCpu.class) return CreateSecCpu.SIZE;
        if (type == NoData.class) return NoData.SIZE;
        if (type == DestroyFast.class) return DestroyFast.SIZE;
        if (type == ConvertToSecure.class) return ConvertToSecure.SIZE;
        if (type == ConvertFromSecure.class) return ConvertFromSecure.SIZE;
        if (type == SetSecConfParams.class) return SetSecConfParams.SIZE;
        if (type == Unpack.class) return Unpack.SIZE;
        if (type == CpuSetState.class) return CpuSetState.SIZE;
        if (type == Share.class) return Share.SIZE;
        if (type == Attest.class) return Attest.SIZE;
        if (type == DumpCpu.class) return DumpCpu.SIZE;
        if (type == DumpStorState.class) return DumpStorState.SIZE;
        if (type == DumpComplete.class) return DumpComplete.SIZE;
        if (type == RawUvcb.class) return UvcbHeader.SIZE;
        throw new IllegalArgumentException("not a UVCB type: " + type.getName());
    }

    static <T extends Uvcb> T decode(Class<T> type, byte[] b) {
        Object o;
        if (type == QueryUvInfo.class) o = QueryUvInfo.decode(b);
        else if (type == InitUv.class) o = InitUv.decode(b);
        else if (type == CreateSecConf.class) o = CreateSecConf.decode(b);
        else if (type == CreateSecCpu.class) o = CreateSecCpu.decode(b);
        else if (type == NoData.class) o = NoData.decode(b);
        else if (type == DestroyFast.class) o = DestroyFast.decode(b);
        else if (type == ConvertToSecure.class) o = ConvertToSecure.decode(b);
        else if (type == ConvertFromSecure.class) o = ConvertFromSecure.decode(b);
        else if (type == SetSecConfParams.class) o = SetSecConfParams.decode(b);
        else if (type == Unpack.class) o = Unpack.decode(b);
        else if (type == CpuSetState.class) o = CpuSetState.decode(b);
        else if (type == Share.class) o = Share.decode(b);
        else if (type == Attest.class) o = Attest.decode(b);
        else if (type == DumpCpu.class) o = DumpCpu.decode(b);
        else if (type == DumpStorState.class) o = DumpStorState.decode(b);
        else if (type == DumpComplete.class) o = DumpComplete.decode(b);
        else if (type == RawUvcb.class) o = RawUvcb.decode(b);
        else throw new IllegalArgumentException("not a UVCB type: " + type.getName());
        return type.cast(o);
    }

    /** A zeroed buffer of {@code size} bytes with the header in place. */
    static ByteBuffer buffer(int size, UvcbHeader header) {
        ByteBuffer b = ByteBuffer.allocate(size);
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
