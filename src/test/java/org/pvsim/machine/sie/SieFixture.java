package org.pvsim.machine.sie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pvsim.machine.SieBlock.*;

import java.security.interfaces.ECPublicKey;
import java.util.HexFormat;
import java.util.List;
import org.pvsim.machine.ProgramInterruption;
import org.pvsim.machine.cpu.Machine;
import org.pvsim.machine.storage.Storage;
import org.pvsim.machine.uv.HostKey;
import org.pvsim.machine.uv.MachineIdentity;
import org.pvsim.machine.uv.TestImages;
import org.pvsim.machine.uv.Ultravisor;
import org.pvsim.machine.uv.cb.ConvertToSecure;
import org.pvsim.machine.uv.cb.CpuSetState;
import org.pvsim.machine.uv.cb.CreateSecConf;
import org.pvsim.machine.uv.cb.CreateSecCpu;
import org.pvsim.machine.uv.cb.InitUv;
import org.pvsim.machine.uv.cb.NoData;
import org.pvsim.machine.uv.cb.QueryUvInfo;
import org.pvsim.machine.uv.cb.SetSecConfParams;
import org.pvsim.machine.uv.cb.UvCaller;
import org.pvsim.machine.uv.cb.UvCommand;
import org.pvsim.machine.uv.cb.Unpack;
import org.pvsim.machine.uv.cb.Uvcb;

/**
 * A host kernel in Java for SIE tests, as kvm-unit-tests' sie/snippet library is one in s390x: a machine
 * with one CPU, an Ultravisor and SIE; guest memory mapped by real DAT tables; format-2 and format-4 state
 * descriptions in host storage; and the snippet guests of {@link #SNIPPETS}, put into guest memory (format 2)
 * or encrypted into an SE image that the UV unpacks and verifies (format 4).
 */
final class SieFixture {
    static final MachineIdentity IDENTITY = MachineIdentity.generate(1);
    static final long SCRATCH = 0x10000;
    static final long INIT_ORIGIN = 1L << 31;
    static final long GUEST_SIZE = 16L << 20;
    /** Where the snippets live in guest memory; the guest's data page (UVCBs, SPX operand, secrets). */
    static final long CODE = 0x4000;
    static final long DATA = 0x30000;

    /*
     * The snippets, assembled at 0x4000 with s390x-linux-gnu-as/ld (binutils 2.40) from:
     *   0x00 diag44:  diag 0,0,0x44; j diag44
     *   0x10 diag9c:  lghi 1,42; diag 1,0,0x9c; j diag9c
     *   0x20 diag288: lghi 0,1; lghi 1,2; lghi 2,3; diag 0,2,0x288; j diag288
     *   0x40 diag500: lghi 1,1; lghi 2,2; lghi 3,3; lghi 4,4; diag 0,0,0x500; j diag500
     *   0x60 pgm:     llgh 0,0x8e; diag 0,0,0x9c; lpswe 0x150     (program new PSW: the code to the host in GR0)
     *   0x80 secret:  lgrl 3,sec; lgr 4,3; lgr 9,3; llilh 1,3; stg 3,0(1); stg 3,8(1); diag 0,0,0x44; j .
     *         sec:    .quad 0x5ec12e7c0ffee042
     *   0xc0 spx:     llilh 1,3; spx 0(1); diag 0,0,0x44; j .-4
     *   0xe0 loop:    j loop
     *  0x100 ipl:     diag 0,0,0x500 (the host puts the subcode in GR2); larl 1,done; oihf 1,0x00080001;
     *                 oilh 1,0x8000; stg 1,0 (the reset PSW); diag 0,2,0x308; j .
     *  0x122 done:    lghi 1,42; diag 1,0,0x9c; j done
     *  0x140 prob:    larl 1,ppsw; lpswe 0(1)   ppsw: problem state, at prob2
     *  0x14a prob2:   llilh 2,3; uvc 0,2,0; aghi 2,0x100; j prob2+4   (one UVCB every 0x100 bytes at DATA)
     *  0x180 share:   llilh 2,3; uvc 0,2,0; diag 0,0,0x44; aghi 2,0x100; uvc 0,2,0; diag 0,0,0x44; j .-4
     *  0x1c0 touch:   llilh 1,0x10; lg 2,0(1); diag 0,0,0x44; j .-4   (reads guest 1 MiB)
     */
    static final byte[] SNIPPETS = HexFormat.of().parseHex(
            "83000044a7f4fffe0000000000000000a719002a8310009ca7f4fffc00000000a7090001a7190002a729000383020288"
            + "a7f4fff8000000000000000000000000a7190001a7290002a7390003a749000483000500a7f4fff60000000000000000"
            + "e300008e00918300009cb2b20150000000000000000000000000000000000000c43800000014b9040043b9040093a51e"
            + "0003e33010000024e3301008002483000044a7f4000007075ec12e7c0ffee04200000000000000000000000000000000"
            + "a51e0003b210100083000044a7f4fffe00000000000000000000000000000000a7f40000000000000000000000000000"
            + "0000000000000000000000000000000083000500c0100000000fc01c00080001a51a8000e3100000002483020308a7f4"
            + "0000a719002a8310009ca7f4fffc000000000000000000000000000000000000c01000000010b2b21000a52e0003b9a4"
            + "0002a72b0100a7f4fffc0707070707070001000180000000000000000000414a00000000000000000000000000000000"
            + "a52e0003b9a4000283000044a72b0100b9a4000283000044a7f4fffe0000000000000000000000000000000000000000"
            + "00000000000000000000000000000000a51e0010e3201000000483000044a7f4fffe070707070707");
    static final long DIAG44 = CODE, DIAG9C = CODE + 0x10, DIAG288 = CODE + 0x20, DIAG500 = CODE + 0x40,
            PGM_HANDLER = CODE + 0x60, SECRET = CODE + 0x80, SPX = CODE + 0xc0, LOOP = CODE + 0xe0, IPL = CODE + 0x100,
            IPL_DONE = CODE + 0x122, PROBLEM_STATE_UVC = CODE + 0x140, SHARE = CODE + 0x180, TOUCH = CODE + 0x1c0;
    static final long SECRET_VALUE = 0x5ec12e7c0ffee042L;
    static final long PSW_64 = 0x0000000180000000L;

    final Machine machine;
    final Storage storage;
    final Ultravisor uv;
    final Sie sie;
    final UvCaller host;
    final QueryUvInfo qui;
    final Sie.HostRegisters regs = Sie.HostRegisters.fresh();
    private long next = 0x100000;

    SieFixture() {
        machine = new Machine(new Machine.Options(Storage.DEFAULT_SIZE, 1, false, true), s -> { });
        storage = machine.storage();
        uv = new Ultravisor(storage, IDENTITY);
        sie = new Sie(machine, uv);
        machine.setUvcHandler(uv::call); // as SimulatedMachine wires them
        machine.setSieHandler(sie::execute);
        host = new UvCaller(storage.hostView(), uv, SCRATCH);
        qui = host.call(QueryUvInfo.request()).cb();
    }

    long alloc(long len, long align) {
        next = (next + align - 1) & -align;
        long a = next;
        next += (len + 0xfff) & ~0xfffL;
        return a;
    }

    <T extends Uvcb> UvCaller.Answer<T> call(T cb) {
        return host.call(cb);
    }

    <T extends Uvcb> T ok(T cb) {
        var a = call(cb);
        assertThat(a.ok()).as("%s", a).isTrue();
        return a.cb();
    }

    /** The snippet page at guest {@code gaddr} (lowcore with the program new PSW, the code at 0x4000). */
    static byte[] snippetPage(long gaddr) {
        byte[] p = new byte[4096];
        if (gaddr == 0) {
            java.nio.ByteBuffer.wrap(p).putLong(0x1d0, PSW_64).putLong(0x1d8, PGM_HANDLER);
        } else if (gaddr == CODE) {
            System.arraycopy(SNIPPETS, 0, p, 0, SNIPPETS.length);
        }
        return p;
    }

    // ---- guest memory --------------------------------------------------------------------------------

    /** Guest storage: host frames from hostBase, mapped 0..size by a segment table and 4K page tables. */
    record GuestMemory(long hostBase, long size, long asce, long segmentTable) {
        long host(long gaddr) {
            return hostBase + gaddr;
        }
    }

    GuestMemory guestMemory(long size) {
        long base = alloc(size, 1L << 20);
        long segTable = alloc(4 * 4096, 4 * 4096);
        for (long seg = 0; seg < 2048; seg++) {
            long pt = seg < size >>> 20 ? alloc(2048, 4096) : -1;
            storage.writeLong(segTable + seg * 8, pt < 0 ? 0x20 : pt, Storage.HOST);
            for (int p = 0; pt >= 0 && p < 256; p++) {
                storage.writeLong(pt + p * 8L, base + (seg << 20) + ((long) p << 12), Storage.HOST);
            }
        }
        return new GuestMemory(base, size, segTable | 0x3 | 0x100, segTable);
    }

    /** Marks the page-table entry of guest page {@code gaddr} invalid (as the host does before it maps it). */
    void unmap(GuestMemory mem, long gaddr) {
        long pt = storage.readLong(mem.segmentTable() + (gaddr >>> 20) * 8, Storage.HOST) & ~0x7ffL;
        long pte = pt + ((gaddr >>> 12) & 0xff) * 8;
        storage.writeLong(pte, storage.readLong(pte, Storage.HOST) | 0x400, Storage.HOST);
    }

    void map(GuestMemory mem, long gaddr) {
        long pt = storage.readLong(mem.segmentTable() + (gaddr >>> 20) * 8, Storage.HOST) & ~0x7ffL;
        long pte = pt + ((gaddr >>> 12) & 0xff) * 8;
        storage.writeLong(pte, storage.readLong(pte, Storage.HOST) & ~0x400L, Storage.HOST);
    }

    // ---- a format-2 guest ----------------------------------------------------------------------------

    /** A normal guest: snippets copied to guest memory, an SD with MSO 0 (the host tables map the guest). */
    final class NormalSnippet {
        final GuestMemory mem = guestMemory(GUEST_SIZE);
        final long sd = alloc(4096, 4096);
        /** The state description as SIE reads it; tests read and write its fields through it. */
        final StateDescription block = new StateDescription(storage, sd);

        NormalSnippet(long entry) {
            storage.write(mem.host(0), snippetPage(0), 0, 4096, Storage.HOST);
            storage.write(mem.host(CODE), SNIPPETS, 0, SNIPPETS.length, Storage.HOST);
            block.put32(CPUFLAGS, CPUSTAT_ZARCH);
            block.put64(MSO, 0);
            block.put64(MSL, GUEST_SIZE - 1);
            block.put32(ICTL, ICTL_OPEREXC | ICTL_PINT);
            block.put64(GPSW, PSW_64);
            block.put64(GPSW + 8, entry);
        }

        Interception run() {
            return sie.run(sd, mem.asce(), regs, 100_000);
        }

    }

    // ---- a format-4 guest ----------------------------------------------------------------------------

    /**
     * A secure guest booted as KVM boots one: INIT_UV, CREATE_SEC_CONF, SET_SEC_CONF_PARAMS with the header
     * of an SE image of the snippet pages 0..4, UNPACK, VERIFY, CREATE_SEC_CPU with the SD as its state
     * origin, CPU_SET_STATE(OPR_LOAD); the SD in format 4 with handles and a SIDA.
     */
    final class SecureSnippet {
        final GuestMemory mem;
        final long configHandle;
        long cpuHandle;
        long sd;
        final long sida;
        final int domain;
        long asce;
        long cpuTimer = 1L << 50;

        SecureSnippet(long entry) {
            ok(InitUv.of(INIT_ORIGIN, qui.uvBaseStorLen()));
            mem = guestMemory(GUEST_SIZE);
            asce = mem.asce();
            long base = alloc(qui.confBasePhysStorLen(), 0x4000);
            long var = alloc(qui.confBaseVirtStorLen() + (GUEST_SIZE >>> 20) * qui.confVirtVarStorLen(), 4096);
            long sca = alloc(0x4000, 0x4000);
            configHandle = ok(CreateSecConf.of(0, base, var, 0, 0, GUEST_SIZE, sca, mem.asce())).guestHandle();
            domain = storage.ownerOf(base >>> 12);
            List<ECPublicKey> keys = IDENTITY.hostKeys().stream().map(HostKey::publicKey).toList();
            byte[] r6 = new byte[6];
            long prefix = org.pvsim.se.Tweak.prefix(0, r6);
            var component = new TestImages.Component(0, prefix, 5);
            TestImages.Image image = TestImages.build(storage, mem::host, keys, 0xe0, List.of(component),
                    SieFixture::snippetPage, entry);
            byte[] h = image.headerBytes();
            long hdr = alloc(h.length, 4096);
            storage.write(hdr, h, 0, h.length, Storage.HOST);
            ok(SetSecConfParams.of(configHandle, hdr, h.length));
            for (int p = 0; p < 5; p++) {
                ok(Unpack.of(configHandle, p * 4096L, prefix, p * 4096L));
            }
            ok(NoData.of(UvCommand.VERIFY_IMG, configHandle));
            sida = alloc(4096, 4096);
            createCpu();
        }

        /** CREATE_SEC_CPU with a fresh SD, CPU_SET_STATE(OPR_LOAD), the SD in format 4 with handles and SIDA. */
        void createCpu() {
            sd = alloc(4096, 4096);
            cpuHandle = ok(CreateSecCpu.of(0, configHandle, alloc(qui.cpuStorLen(), 4096), 0, sd)).cpuHandle();
            ok(CpuSetState.of(cpuHandle, 5 /* operating with load */));
            storage.writeInt(sd + CPUFLAGS, CPUSTAT_ZARCH, Storage.HOST);
            storage.writeByte(sd + SDF, SDF_FORMAT4, Storage.HOST);
            storage.writeLong(sd + PV_HANDLE_CPU, cpuHandle, Storage.HOST);
            storage.writeLong(sd + PV_HANDLE_CONFIG, configHandle, Storage.HOST);
            storage.writeLong(sd + SIDAD, sida, Storage.HOST);
        }

        /** One SIE entry as it is: whatever it ends with (an interception, or the host's exception). */
        Interception enter() {
            storage.writeLong(sd + CPUTM, cpuTimer, Storage.HOST);
            try {
                return sie.run(sd, asce, regs, 1_000_000);
            } finally {
                cpuTimer = storage.readLong(sd + CPUTM, Storage.HOST);
            }
        }

        /** Entries until an interception the host kernel would not resolve by itself (0x70, 0x3e: import). */
        Interception run() {
            for (int i = 0; i < 100; i++) {
                try {
                    Interception x = enter();
                    if (x.code() == ICPT_PV_PREFIX) {
                        long prefix = storage.readInt(sd + PREFIX, Storage.HOST) & 0x7fffe000L;
                        importPage(prefix);
                        importPage(prefix + 0x1000);
                        continue;
                    }
                    if (x.code() != ICPT_NONE) {
                        return x;
                    }
                } catch (ProgramInterruption pi) {
                    assertThat(pi.code()).as("host exception %s", pi).isEqualTo(ProgramInterruption.NON_SECURE_STORAGE_ACCESS);
                    importPage(pi.address());
                }
            }
            throw new AssertionError("the guest does not exit");
        }

        void importPage(long gaddr) {
            ok(ConvertToSecure.of(UvCommand.CONV_TO_SEC_STOR, configHandle, gaddr & ~0xfffL));
        }

        /** Writes bytes as the guest would (the page imported first): firmware access, for test set-up only. */
        void guestWrite(long gaddr, byte[] b) {
            importPage(gaddr);
            storage.write(mem.host(gaddr), b, 0, b.length, domain);
        }

        byte[] guestRead(long gaddr, int len) {
            return storage.read(mem.host(gaddr), len, domain);
        }

        long grreg(int n) {
            return storage.readLong(sd + PV_GRREGS + 8 * n, Storage.HOST);
        }

        void setGrreg(int n, long v) {
            storage.writeLong(sd + PV_GRREGS + 8 * n, v, Storage.HOST);
        }

        void iictl(int code) {
            storage.writeByte(sd + IICTL, code, Storage.HOST);
        }

        int sidaWord() {
            return storage.readInt(sida, Storage.HOST);
        }

        int validityReason(Interception x) {
            assertThat(x.code()).as("%s", x).isEqualTo(ICPT_VALIDITY);
            return x.ipb() >>> 16;
        }
    }

    static Interception diag(int code) {
        return new Interception(code, 0x8302, 0x50000000);
    }
}
