package org.pvsim.machine.uv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pvsim.machine.storage.Storage;
import org.pvsim.machine.uv.cb.*;

/**
 * The Java records against the bytes s390x-linux-gnu-gcc lays out for the kernel's UVCB structs
 * (guests/tests/uvcb-layouts.c, built into /guests/tests/uvcb-layouts.bin): same sizes, same offsets.
 */
class UvcbLayoutTest {
    static byte[] bin;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = UvcbLayoutTest.class.getResourceAsStream("/guests/tests/uvcb-layouts.bin")) {
            bin = in.readAllBytes();
        }
    }

    static int offset;

    static byte[] next(int size) {
        byte[] b = Arrays.copyOfRange(bin, offset, offset + size);
        offset += size;
        return b;
    }

    @Test
    void everyBlockDecodesAsGccLaidItOutAndEncodesBackToTheSameBytes() {
        offset = 0;
        byte[] b = next(QueryUvInfo.SIZE);
        QueryUvInfo qui = QueryUvInfo.decode(b);
        assertThat(qui.header()).isEqualTo(new UvcbHeader(QueryUvInfo.SIZE, 1, 1, 0));
        assertThat(qui.installed(0)).isTrue();
        assertThat(qui.instCalls()).containsExactly(0x8000000000000000L, 2, 3, 4);
        assertThat(qui.uvBaseStorLen()).isEqualTo(0x100000);
        assertThat(qui.confBasePhysStorLen()).isEqualTo(0x8000);
        assertThat(qui.confBaseVirtStorLen()).isEqualTo(0x4000);
        assertThat(qui.confVirtVarStorLen()).isEqualTo(0x40);
        assertThat(qui.cpuStorLen()).isEqualTo(0x1000);
        assertThat(qui.maxNumSecConf()).isEqualTo(1024);
        assertThat(qui.maxGuestStorAddr()).isEqualTo(0x3ffffffffffL);
        assertThat(qui.maxGuestCpuId()).isEqualTo(247);
        assertThat(qui.hasFeature(0)).isTrue();
        assertThat(qui.suppSeHdrPcf()).isEqualTo(0x30000000f2L);
        assertThat(qui.confDumpStorageStateLen()).isEqualTo(0x2000);
        assertThat(qui.confDumpFinalizeLen()).isEqualTo(0x100);
        assertThat(qui.suppAttPflags()).isEqualTo(0x7000000000000000L);
        assertThat(qui.encode()).isEqualTo(b);

        b = next(InitUv.SIZE);
        assertThat(InitUv.decode(b)).isEqualTo(InitUv.of(0x80000000L, 0x100000));
        assertThat(InitUv.of(0x80000000L, 0x100000).encode()).isEqualTo(b);

        b = next(CreateSecConf.SIZE);
        CreateSecConf cgc = new CreateSecConf(new UvcbHeader(0x80, 0x100, 1, 0), 0x1111222233334444L, 0x104000,
                0x108000, 3, 0, 42L << 20, 0x110000, 0x120103);
        assertThat(CreateSecConf.decode(b)).isEqualTo(cgc);
        assertThat(cgc.encode()).isEqualTo(b);

        b = next(CreateSecCpu.SIZE);
        CreateSecCpu csc = CreateSecCpu.of(0x5555666677778888L, 0x1111222233334444L, 0x130000, 7, 0x131000);
        assertThat(CreateSecCpu.decode(b)).isEqualTo(csc);
        assertThat(csc.encode()).isEqualTo(b);

        b = next(ConvertToSecure.SIZE);
        ConvertToSecure cts = new ConvertToSecure(new UvcbHeader(0x28, 0x200, 0x10a, 0), 0x1111222233334444L, 0x7000);
        assertThat(ConvertToSecure.decode(b)).isEqualTo(cts);
        assertThat(cts.encode()).isEqualTo(b);

        b = next(ConvertFromSecure.SIZE);
        ConvertFromSecure cfs = new ConvertFromSecure(new UvcbHeader(0x20, 0x201, 0x107, 0xd), 0x200000);
        assertThat(ConvertFromSecure.decode(b)).isEqualTo(cfs);
        assertThat(cfs.encode()).isEqualTo(b);

        b = next(SetSecConfParams.SIZE);
        SetSecConfParams ssc = new SetSecConfParams(new UvcbHeader(0x50, 0x300, 0x108, 5), 0x1111222233334444L,
                0x140000, 640);
        assertThat(SetSecConfParams.decode(b)).isEqualTo(ssc);
        assertThat(ssc.encode()).isEqualTo(b);

        b = next(Unpack.SIZE);
        Unpack unp = Unpack.of(0x1111222233334444L, 0x15000, 0x0028abcdef012345L, 0x3000);
        assertThat(Unpack.decode(b)).isEqualTo(unp);
        assertThat(unp.encode()).isEqualTo(b);

        b = next(CpuSetState.SIZE);
        assertThat(CpuSetState.decode(b)).isEqualTo(CpuSetState.of(0x5555666677778888L, 5));
        assertThat(CpuSetState.of(0x5555666677778888L, 5).encode()).isEqualTo(b);

        b = next(NoData.SIZE);
        NoData nd = new NoData(new UvcbHeader(0x40, 0x302, 0x102, 0x1b), 0x1111222233334444L);
        assertThat(NoData.decode(b)).isEqualTo(nd);
        assertThat(nd.encode()).isEqualTo(b);

        b = next(DestroyFast.SIZE);
        assertThat(DestroyFast.decode(b)).isEqualTo(DestroyFast.of(0x1111222233334444L));
        assertThat(DestroyFast.of(0x1111222233334444L).encode()).isEqualTo(b);

        b = next(Share.SIZE);
        Share sh = new Share(new UvcbHeader(0x30, 0x1000, 0x101, 0), 0x9000);
        assertThat(Share.decode(b)).isEqualTo(sh);
        assertThat(sh.encode()).isEqualTo(b);

        b = next(Attest.SIZE);
        Attest at = Attest.decode(b);
        assertThat(at.header()).isEqualTo(UvcbHeader.of(UvCommand.RETR_ATTEST));
        assertThat(at.arcbAddr()).isEqualTo(0x801000);
        assertThat(at.userDataLen()).isEqualTo(5);
        assertThat(new String(at.userData(), 0, 5)).isEqualTo("hello");
        assertThat(at.measLen()).isEqualTo(64);
        assertThat(at.measAddr()).isEqualTo(0x803000);
        assertThat(at.configUid()[0]).isEqualTo((byte) 0xc0);
        assertThat(at.configUid()[15]).isEqualTo((byte) 0x42);
        assertThat(at.addDataLen()).isEqualTo(32);
        assertThat(at.addDataAddr()).isEqualTo(0x804000);
        assertThat(at.encode()).isEqualTo(b);

        b = next(DumpCpu.SIZE);
        assertThat(DumpCpu.decode(b)).isEqualTo(DumpCpu.of(0x5555666677778888L, 0x150000));
        b = next(DumpStorState.SIZE);
        assertThat(DumpStorState.decode(b)).isEqualTo(DumpStorState.of(0x1111222233334444L, 0x160000, 0x100000));
        b = next(DumpComplete.SIZE);
        assertThat(DumpComplete.decode(b)).isEqualTo(DumpComplete.of(0x1111222233334444L, 0x170000));
        b = next(GuestAddr.SIZE);
        var add = GuestAddr.decode(b);
        assertThat(add.withHeader(UvcbHeader.of(UvCommand.ADD_SECRET)))
                .isEqualTo(GuestAddr.of(UvCommand.ADD_SECRET, 0x801000));
        assertThat(add.header().rc()).isEqualTo(0x0107);
        assertThat(add.encode()).isEqualTo(b);
        b = next(ListSecrets.SIZE);
        var list = ListSecrets.decode(b);
        assertThat(list.withHeader(UvcbHeader.of(UvCommand.LIST_SECRETS)))
                .isEqualTo(ListSecrets.of(85, 0x80a000));
        assertThat(list.encode()).isEqualTo(b);
        b = next(RetrieveSecret.SIZE);
        var retr = RetrieveSecret.decode(b);
        assertThat(retr.withHeader(UvcbHeader.of(UvCommand.RETR_SECRET)))
                .isEqualTo(RetrieveSecret.of(3, 8192, 0x80c000));
        assertThat(retr.encode()).isEqualTo(b);
        assertThat(offset).as("every byte accounted for").isEqualTo(bin.length);
    }

    @Test
    void theSizesAreTheCommandLengths() {
        for (UvCommand c : UvCommand.values()) {
            assertThat(Uvcb.sizeOf(c.blockType())).as(c.name()).isEqualTo(c.size());
        }
    }

    /** The firmware answers through the records: only rc/rrc and the command's outputs change in storage. */
    @Test
    void anAnswerChangesOnlyTheOutputsAndLeavesReservedBytesAsTheCallerLeftThem() {
        UvFixture m = new UvFixture();
        m.init();
        UvFixture.Guest g = m.createGuest(1L << 20);
        byte[] in = m.cscBlock(g.handle(), 3).encode();
        for (int off : new int[] {0x08, 0x10, 0x30, 0x40, 0x48, 0x50, 0x58}) {
            in[off] = (byte) 0xa5; // reserved: the UV must not clear them
        }
        long at = m.alloc(4096, 4096);
        m.storage.write(at, in, 0, in.length, Storage.HOST);
        assertThat(m.uv.call(at, Storage.HOST)).isZero();
        byte[] out = m.storage.read(at, in.length, Storage.HOST);
        for (int i = 0; i < in.length; i++) {
            boolean output = (i >= 4 && i < 8) || (i >= 0x18 && i < 0x20); // rc/rrc, cpu_handle
            if (!output) {
                assertThat(out[i]).as("byte 0x%x", i).isEqualTo(in[i]);
            }
        }
        assertThat(CreateSecCpu.decode(out).cpuHandle()).isNotZero();

        byte[] qui = QueryUvInfo.request().encode();
        qui[0x30] = qui[0x48] = qui[0x70] = qui[0xf8] = 0x5a;
        m.storage.write(at, qui, 0, qui.length, Storage.HOST);
        assertThat(m.uv.call(at, Storage.HOST)).isZero();
        byte[] answered = m.storage.read(at, qui.length, Storage.HOST);
        assertThat(new byte[] {answered[0x30], answered[0x48], answered[0x70], answered[0xf8]}).containsOnly(0x5a);
        assertThat(QueryUvInfo.decode(answered).encode()).as("every output as before").isEqualTo(m.qui.encode());
    }

    @Test
    void aGccBuiltBlockInStorageGetsTheSameAnswerAsAJavaBuiltOne() {
        UvFixture m = new UvFixture();
        m.init();
        UvFixture.Guest g = m.createGuest(1L << 20);
        int cpuBlock = QueryUvInfo.SIZE + InitUv.SIZE + CreateSecConf.SIZE;
        byte[] gccCsc = Arrays.copyOfRange(bin, cpuBlock, cpuBlock + CreateSecCpu.SIZE);
        java.nio.ByteBuffer.wrap(gccCsc).putLong(0x18, 0).putLong(0x20, g.handle() + 1); // a wrong handle
        long at = m.alloc(4096, 4096);
        m.storage.write(at, gccCsc, 0, gccCsc.length, Storage.HOST);
        assertThat(m.uv.call(at, Storage.HOST)).isOne();
        assertThat(m.storage.readShort(at + 4, Storage.HOST)).isEqualTo(0x20);
        var java = m.call(CreateSecCpu.of(0, g.handle() + 1, 0x130000, 7, 0x131000));
        assertThat(java.rc()).isEqualTo(0x20);
    }
}
