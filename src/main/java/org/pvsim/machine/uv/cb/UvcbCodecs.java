package org.pvsim.machine.uv.cb;

import static java.util.Map.entry;

import java.util.Map;
import java.util.function.Function;

/** Size and decoder of every UVCB record type. */
final class UvcbCodecs {
    record Codec(int size, Function<byte[], ? extends Uvcb> decoder) {
    }

    static final Map<Class<? extends Uvcb>, Codec> BY_TYPE = Map.ofEntries(
            entry(QueryUvInfo.class, new Codec(QueryUvInfo.SIZE, QueryUvInfo::decode)),
            entry(InitUv.class, new Codec(InitUv.SIZE, InitUv::decode)),
            entry(CreateSecConf.class, new Codec(CreateSecConf.SIZE, CreateSecConf::decode)),
            entry(CreateSecCpu.class, new Codec(CreateSecCpu.SIZE, CreateSecCpu::decode)),
            entry(NoData.class, new Codec(NoData.SIZE, NoData::decode)),
            entry(DestroyFast.class, new Codec(DestroyFast.SIZE, DestroyFast::decode)),
            entry(ConvertToSecure.class, new Codec(ConvertToSecure.SIZE, ConvertToSecure::decode)),
            entry(ConvertFromSecure.class, new Codec(ConvertFromSecure.SIZE, ConvertFromSecure::decode)),
            entry(SetSecConfParams.class, new Codec(SetSecConfParams.SIZE, SetSecConfParams::decode)),
            entry(Unpack.class, new Codec(Unpack.SIZE, Unpack::decode)),
            entry(CpuSetState.class, new Codec(CpuSetState.SIZE, CpuSetState::decode)),
            entry(Share.class, new Codec(Share.SIZE, Share::decode)),
            entry(Attest.class, new Codec(Attest.SIZE, Attest::decode)),
            entry(DumpCpu.class, new Codec(DumpCpu.SIZE, DumpCpu::decode)),
            entry(DumpStorState.class, new Codec(DumpStorState.SIZE, DumpStorState::decode)),
            entry(DumpComplete.class, new Codec(DumpComplete.SIZE, DumpComplete::decode)),
            entry(GuestAddr.class, new Codec(GuestAddr.SIZE, GuestAddr::decode)),
            entry(ListSecrets.class, new Codec(ListSecrets.SIZE, ListSecrets::decode)),
            entry(RetrieveSecret.class, new Codec(RetrieveSecret.SIZE, RetrieveSecret::decode)),
            entry(RawUvcb.class, new Codec(UvcbHeader.SIZE, RawUvcb::decode)));

    private UvcbCodecs() {
    }

    static Codec of(Class<? extends Uvcb> type) {
        Codec c = BY_TYPE.get(type);
        if (c == null) {
            throw new IllegalArgumentException("not a UVCB type: " + type.getName());
        }
        return c;
    }
}
