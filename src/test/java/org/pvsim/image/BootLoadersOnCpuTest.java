package org.pvsim.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pvsim.machine.cpu.DiagnoseHandler;
import org.pvsim.machine.cpu.Machine;
import org.pvsim.machine.cpu.ProgramLoader;
import org.pvsim.machine.cpu.Psw;
import org.pvsim.machine.storage.Storage;

/**
 * Runs the shipped stage3a, stage3b and demo kernel on pvsim's own CPU model and SCLP: their failure
 * paths with the exact console lines (which the SCLP only prints after WRITE EVENT MASK), stage3b's
 * kernel move with the memory it leaves, and the demo kernel booted by stage3b. guests/boot/qemu-smoke
 * runs the same kinds of cases under QEMU TCG.
 */
class BootLoadersOnCpuTest {
    private static final long MEMORY = 2L << 20;
    private static final long MASK_64 = Psw.MASK_64BIT_DISABLED;
    private static final long WAIT_64 = Psw.WAIT | Psw.MASK_64BIT_DISABLED;
    private static final long STAGE3A_ARGS = BootLoaders.stage3aArgsAddress();
    /** Where the stage3a cases put the SE header and the IPIB (the C genprotimg layout). */
    private static final long SE_HEADER = 0x14000;
    private static final long SE_HEADER_SIZE = 0x280;
    private static final long IPIB = 0x13000;
    private static final long KERNEL_WAIT = 0xbeef0;
    private static final int PARM_AREA = 0x400;
    /** The WRITE EVENT MASK SCCB the loaders copy: length 28, mask length 4, ASCII in both CP masks. */
    private static final byte[] WEM_TEMPLATE = HexFormat.of().parseHex(
            "001c000000000000" + "00000004" + "00000040" + "00000040" + "00000000" + "00000000");

    private final StringBuilder console = new StringBuilder();

    private Machine machine(boolean unpackFacility) {
        return new Machine(new Machine.Options(MEMORY, 1, true, unpackFacility), console::append);
    }

    /** Runs from {@code psw} until the CPU stops; it must end in a disabled wait, whose PSW is returned. */
    private static Psw run(Machine m, Psw psw) {
        m.ipl(psw);
        Machine.Result r = m.run(10_000_000);
        m.sclp().flush();
        assertThat(r.ending()).as(r.detail()).isEqualTo(Machine.Ending.DISABLED_WAIT);
        assertThat(r.waitPsws()).hasSize(1);
        return r.waitPsws().get(0);
    }

    private static void put(Machine m, long address, byte[] bytes) {
        m.storage().write(address, bytes, 0, bytes.length, Storage.HOST);
    }

    // ---- stage3a ---------------------------------------------------------------------------------

    private static byte[] stage3a() {
        return BootLoaders.stage3aWithArgs(SE_HEADER - STAGE3A_ARGS, SE_HEADER_SIZE, IPIB - STAGE3A_ARGS);
    }

    /** Loads stage3a as an image places it (IPL PSW at 0, program at 0x10000) and runs it from its IPL PSW. */
    private Psw runStage3a(Machine m, byte[] stage3a) {
        byte[] image = new byte[(int) SE_HEADER + (int) SE_HEADER_SIZE];
        ByteBuffer.wrap(image).putLong(0x0008000180000000L | BootLoaders.STAGE3A_ENTRY);
        System.arraycopy(stage3a, 0, image, (int) BootLoaders.STAGE3A_LOAD_ADDRESS, stage3a.length);
        Arrays.fill(image, (int) SE_HEADER, image.length, (byte) 0x5e);
        return run(m, ProgramLoader.load(image, "stage3a image", m.storage()));
    }

    @Test
    void stage3aWithoutTheUnpackFacilityReportsIt() {
        Machine m = machine(false);
        Psw wait = runStage3a(m, stage3a());

        assertThat(wait).isEqualTo(new Psw(WAIT_64, 0x3a10));
        assertThat(BootLoaders.BootFailure.ofWaitAddress("3a", wait.address()))
                .contains(BootLoaders.BootFailure.NO_UNPACK_FACILITY);
        assertThat(console).hasToString(
                "pvsim stage3a: secure unpack facility (161) is not installed: 0x0000000000000000\n");
        assertWriteCompleted(m, BootLoaders.STAGE3A_LOAD_ADDRESS + BootLoaders.stage3aArgsOffset() - 256);
    }

    /**
     * A hypervisor that cannot unpack answers DIAG 308 subcode 8 with a specification exception (code 6),
     * as QEMU does for a CPU model without the unpack facility (the bare machine has its own diag 308).
     */
    @Test
    void stage3aReportsTheProgramInterruptionOfAnUnhandledDiag308() {
        Machine m = machine(true);
        m.setDiagnoseHandler((cpu, function, r1, r3) -> {
            if (function == 0x308) {
                throw new org.pvsim.machine.ProgramInterruption(org.pvsim.machine.ProgramInterruption.SPECIFICATION);
            }
            return false;
        });
        Psw wait = runStage3a(m, stage3a());

        // the first DIAG 308 in the code is subcode 8's
        long afterDiag = BootLoaders.STAGE3A_LOAD_ADDRESS + Collections.indexOfSubList(asList(stage3a()), asList(diag308())) + 4;
        assertThat(wait).isEqualTo(new Psw(WAIT_64, 0x3a20));
        assertThat(console).hasToString(String.format(
                "pvsim stage3a: program interruption (code, address): 0x%016x\n", 6L << 32 | afterDiag));
        // the IPIB was filled in before the DIAG
        assertThat(m.storage().readLong(IPIB + 120, Storage.HOST)).isEqualTo(SE_HEADER);
        assertThat(m.storage().readLong(IPIB + 128, Storage.HOST)).isEqualTo(SE_HEADER_SIZE);
    }

    @Test
    void stage3aReportsTheRcOfARefusedSetPvParameters() {
        Machine m = machine(true);
        List<Long> subcodes = new ArrayList<>();
        m.setDiagnoseHandler(diag308(subcodes, 0x0402, 0));
        Psw wait = runStage3a(m, stage3a());

        assertThat(subcodes).containsExactly(8L);
        assertThat(wait).isEqualTo(new Psw(WAIT_64, 0x3a80));
        assertThat(console).hasToString(
                "pvsim stage3a: diag 308 subcode 8 (set PV IPL parameters) failed, rc 0x0000000000000402\n");
    }

    @Test
    void stage3aReportsTheRcOfAnUnpackThatReturned() {
        Machine m = machine(true);
        List<Long> subcodes = new ArrayList<>();
        m.setDiagnoseHandler(diag308(subcodes, 1, 0x0a02));
        Psw wait = runStage3a(m, stage3a());

        assertThat(subcodes).containsExactly(8L, 10L);
        assertThat(wait).isEqualTo(new Psw(WAIT_64, 0x3aa0));
        assertThat(console).hasToString("pvsim stage3a: diag 308 subcode 10 (unpack PV) failed, rc 0x0000000000000a02\n");
    }

    /** An SCLP that refuses the event mask gets no write; the failure's wait is the same, r2 holds the rc. */
    @Test
    void stage3aStillStopsWithItsCodeWhenTheSclpRefusesTheMask() {
        byte[] a = stage3a();
        int wem = indexOf(a, WEM_TEMPLATE);
        a[wem + 11] = 0; // mask length 0: invalid
        Machine m = machine(false);
        Psw wait = runStage3a(m, a);

        long sccb = assertStoppedSilentlyWithRefusedRequest(m, wait, 0x3a10);
        assertThat(m.storage().readShort(sccb, Storage.HOST)).as("the SCCB still holds the mask request").isEqualTo(28);
    }

    /** The mask is accepted but enables nothing: the SCLP refuses the write; same wait, rc in r2. */
    @Test
    void stage3aStillStopsWithItsCodeWhenTheSclpRefusesTheWrite() {
        byte[] a = stage3a();
        int wem = indexOf(a, WEM_TEMPLATE);
        Arrays.fill(a, wem + 12, wem + 20, (byte) 0); // no event type enabled
        Machine m = machine(false);
        Psw wait = runStage3a(m, a);

        long sccb = assertStoppedSilentlyWithRefusedRequest(m, wait, 0x3a10);
        assertThat(m.storage().readByte(sccb + 10, Storage.HOST)).as("the SCCB holds the write").isEqualTo(0x1a);
    }

    /**
     * Asserts that stage3a stopped in the wait {@code code} with nothing on the console, the SCLP's refusal in
     * its SCCB's response code and in r2; returns the SCCB's address (the 256 bytes before the args).
     */
    private long assertStoppedSilentlyWithRefusedRequest(Machine m, Psw wait, long code) {
        assertThat(wait).isEqualTo(new Psw(WAIT_64, code));
        assertThat(console).isEmpty();
        long sccb = BootLoaders.STAGE3A_LOAD_ADDRESS + BootLoaders.stage3aArgsOffset() - 256;
        int rc = m.storage().readShort(sccb + 6, Storage.HOST);
        assertThat(rc).isNotEqualTo(0x0020);
        assertThat(m.cpu(0).gr[2]).isEqualTo(rc);
        return sccb;
    }

    /** A hypervisor hook for DIAG 308 answering subcode 8 with {@code rcSet} and subcode 10 with {@code rcUnpack}. */
    private static DiagnoseHandler diag308(List<Long> subcodes, long rcSet, long rcUnpack) {
        return (cpu, function, r1, r3) -> {
            if (function != 0x308) {
                return false;
            }
            assertThat(cpu.gr[r1]).as("IPIB address in R1").isEqualTo(IPIB);
            long subcode = cpu.gr[r3];
            subcodes.add(subcode);
            cpu.gr[r1 + 1] = subcode == 8 ? rcSet : rcUnpack;
            return true;
        };
    }

    /** diag %r2,%r4,0x308: stage3a's DIAG 308 (R1 = IPIB, R3 = subcode). */
    private static byte[] diag308() {
        return new byte[] {(byte) 0x83, 0x24, 0x03, 0x08};
    }

    // ---- stage3b ---------------------------------------------------------------------------------

    /** A fake kernel image file: a 64 KiB header of 'H', then entry code that stops in a wait at KERNEL_WAIT. */
    private static byte[] fakeKernel(int size, long maxCmdline) {
        byte[] k = new byte[size];
        for (int i = 0; i < size; i++) {
            k[i] = (byte) (i < BootLoaders.KERNEL_HEADER_SIZE ? 'H' : i * 7 + 3);
        }
        if (size >= BootLoaders.KERNEL_HEADER_SIZE + 0x1000) {
            ByteBuffer b = ByteBuffer.wrap(k).slice((int) BootLoaders.KERNEL_HEADER_SIZE, 0x1000);
            // larl %r1,.+16; lpswe 0(%r1); 2 bytes fill; PSW {disabled wait, KERNEL_WAIT}
            b.put(HexFormat.of().parseHex("c01000000008b2b210000707")).putInt(0x07070707);
            b.putLong(WAIT_64).putLong(KERNEL_WAIT);
            b.position(PARM_AREA).put(new byte[0x80]);
            // the kernel's own initrd fields: stage3b must leave them alone without an initrd
            b.putLong(PARM_AREA + 8, 0x1111111111111111L).putLong(PARM_AREA + 16, 0x2222222222222222L);
            b.putLong(PARM_AREA + 0x30, maxCmdline);
        }
        return k;
    }

    private record Stage3bCase(long kernelSrc, byte[] kernel, long cmdlineSrc, byte[] cmdline, long stage3b,
                               long initrdSrc, long initrdSize) {
    }

    /** Places kernel, cmdline and the patched stage3b, and returns the memory before the run. */
    private static byte[] load(Machine m, Stage3bCase c) {
        put(m, c.kernelSrc, c.kernel);
        put(m, c.cmdlineSrc, c.cmdline);
        put(m, c.stage3b, BootLoaders.stage3bWithArgs(c.kernelSrc, c.kernel.length, c.cmdlineSrc, c.cmdline.length,
                c.initrdSrc, c.initrdSize, MASK_64, BootLoaders.KERNEL_ADDRESS));
        return m.storage().read(0, (int) MEMORY, Storage.HOST);
    }

    @ParameterizedTest(name = "kernel file at {0}, size {1}, cmdline at {2}, stage3b at {4}, initrd size {5}")
    @CsvSource({
        // the C genprotimg layout
        "0x15000, 0x14000, 0x5f000, root=/dev/ram0 console=ttysclp0, 0x79000, 0x1234",
        // the kernel file overlaps its new place: backward moves, distance 0x1000 and 1
        "0x1000,  0x19001, 0x50000, abc,                             0x80000, 0x1234",
        "0x1,     0x12fff, 0x50000, x,                               0x80000, 0x1234",
        // already in place; disjoint; no initrd: INITRD_START/SIZE keep the kernel's values
        "0x0,     0x14000, 0x50000, in place,                        0x80000, 0x1234",
        "0x40000, 0x13000, 0x60000, short,                           0x80000, 0",
    })
    void stage3bMovesTheKernelAndEntersIt(String kernelSrc, String kernelSize, String cmdlineSrc, String cmdline,
                                           String stage3b, String initrdSize) {
        byte[] cmd = (cmdline + "\0").getBytes(StandardCharsets.US_ASCII);
        Stage3bCase c = new Stage3bCase(Long.decode(kernelSrc), fakeKernel(Integer.decode(kernelSize), 0),
                Long.decode(cmdlineSrc), cmd, Long.decode(stage3b), 0x150000, Long.decode(initrdSize));
        Machine m = machine(false);
        byte[] before = load(m, c);

        Psw wait = run(m, new Psw(MASK_64, c.stage3b));

        // stage3b's semantics (s390-tools stage3b.c): cut the header, then cmdline, then initrd
        byte[] expected = before.clone();
        int body = c.kernel.length - (int) BootLoaders.KERNEL_HEADER_SIZE;
        System.arraycopy(c.kernel, (int) BootLoaders.KERNEL_HEADER_SIZE, expected, 0x10000, body);
        System.arraycopy(cmd, 0, expected, 0x10480, cmd.length);
        if (c.initrdSize > 0) {
            ByteBuffer.wrap(expected).putLong(0x10408, c.initrdSrc).putLong(0x10410, c.initrdSize);
        }
        byte[] after = m.storage().read(0, (int) MEMORY, Storage.HOST);
        assertThat(wait).as("the fake kernel's own wait").isEqualTo(new Psw(WAIT_64, KERNEL_WAIT));
        assertThat(firstDifference(after, expected, 0x10000)).as("first differing byte from 0x10000").isEqualTo(-1);
        assertThat(console).isEmpty();
    }

    @Test
    void stage3bBootsTheDemoKernelWhichPrintsItsCommandLine() throws Exception {
        byte[] kernel;
        try (InputStream in = getClass().getResourceAsStream("/guests/demo/kernel.bin")) {
            assertThat(in).isNotNull();
            kernel = in.readAllBytes();
        }
        byte[] cmd = "root=/dev/ram0 console=ttysclp0\0".getBytes(StandardCharsets.US_ASCII);
        Machine m = machine(false);
        load(m, new Stage3bCase(0x20000, kernel, 0x5f000, cmd, 0x79000, 0x150000, 0x1234));

        Psw wait = run(m, new Psw(MASK_64, 0x79000));

        assertThat(console).hasToString("Hello from a protected guest! Command line: root=/dev/ram0 console=ttysclp0\n");
        assertThat(wait).isEqualTo(new Psw(WAIT_64, 0xfff));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "kernel smaller than its header | 0xffff  | 0  | abc\\0 | 0x3b10 | invalid kernel: size below its 0x10000-byte header: 0x000000000000ffff",
        "cmdline of 33 bytes, max 32    | 0x13000 | 32 | 012345678901234567890123456789yz\\0 | 0x3b20 | command line is too large for the kernel: size 0x0000000000000021",
        "cmdline without NUL            | 0x13000 | 0  | abc    | 0x3b30 | command line is not NUL-terminated: last byte 0x0000000000000063",
    })
    void stage3bFailuresStopWithTheirCodeAndConsoleLine(String name, String kernelSize, long maxCmdline,
                                                        String cmdline, String code, String message) {
        byte[] cmd = cmdline.replace("\\0", "\0").getBytes(StandardCharsets.US_ASCII);
        Machine m = machine(false);
        long stage3b = 0x80000;
        load(m, new Stage3bCase(0x20000, fakeKernel(Integer.decode(kernelSize), maxCmdline), 0x50000, cmd,
                stage3b, 0x150000, 0x1234));

        Psw wait = run(m, new Psw(MASK_64, stage3b));

        assertThat(wait).isEqualTo(new Psw(WAIT_64, Long.decode(code)));
        assertThat(BootLoaders.BootFailure.ofWaitAddress("3b", wait.address())).isPresent();
        assertThat(console).hasToString("pvsim stage3b: " + message + "\n");
        assertWriteCompleted(m, stage3b + BootLoaders.stage3bArgsOffset() - 256);
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** The console line's SCCB (the 256 bytes before the args): a completed ASCII-console write. */
    private static void assertWriteCompleted(Machine m, long sccb) {
        Storage s = m.storage();
        assertThat(s.readShort(sccb + 6, Storage.HOST)).as("response code").isEqualTo(0x0020);
        assertThat(s.readByte(sccb + 10, Storage.HOST)).as("event type").isEqualTo(0x1a);
        assertThat(s.readByte(sccb + 11, Storage.HOST) & 0x80).as("buffer processed").isEqualTo(0x80);
        assertThat(m.cpu(0).gr[2]).as("r2: response code").isEqualTo(0x0020);
    }

    /** Where {@code needle} occurs in {@code haystack}; it must occur exactly once. */
    private static int indexOf(byte[] haystack, byte[] needle) {
        int first = Collections.indexOfSubList(asList(haystack), asList(needle));
        int last = Collections.lastIndexOfSubList(asList(haystack), asList(needle));
        assertThat(first).as("pattern %s", HexFormat.of().formatHex(needle)).isNotNegative().isEqualTo(last);
        return first;
    }

    private static List<Byte> asList(byte[] bytes) {
        List<Byte> list = new ArrayList<>(bytes.length);
        for (byte b : bytes) {
            list.add(b);
        }
        return list;
    }

    private static int firstDifference(byte[] a, byte[] b, int from) {
        int i = Arrays.mismatch(a, from, a.length, b, from, b.length);
        return i < 0 ? -1 : from + i;
    }
}
