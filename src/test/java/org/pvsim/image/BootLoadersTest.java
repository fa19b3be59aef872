package org.pvsim.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * Layout facts of the shipped boot loaders and the args patching. Position independence of stage3b is
 * not visible in a flat binary; guests/Makefile proves it at build time by linking stage3b at 0 and at
 * 0x7ff000 and requiring identical bytes (any absolute address would differ), and CI reruns that build.
 */
class BootLoadersTest {
    private static final int STAGE3A_ENTRY_OFFSET = (int) (BootLoaders.STAGE3A_ENTRY - BootLoaders.STAGE3A_LOAD_ADDRESS);

    @Test
    void resourcesLoadAndEveryCallReturnsAFreshCopy() {
        byte[] a = BootLoaders.stage3a();
        byte[] b = BootLoaders.stage3b();
        assertThat(a).isNotEmpty();
        assertThat(b).isNotEmpty();

        Arrays.fill(a, (byte) 0x55);
        Arrays.fill(b, (byte) 0x55);
        assertThat(BootLoaders.stage3a()).isNotEqualTo(a);
        assertThat(BootLoaders.stage3b()).isNotEqualTo(b);
    }

    @Test
    void stage3aFitsBetweenItsLoadAddressAnd0x13000() {
        byte[] a = BootLoaders.stage3a();
        assertThat(BootLoaders.STAGE3A_LOAD_ADDRESS + a.length).isLessThanOrEqualTo(0x13000L);
        assertThat(a.length).isGreaterThan(STAGE3A_ENTRY_OFFSET + BootLoaders.STAGE3A_ARGS_SIZE);
    }

    @Test
    void stage3aLeaves0x10400To0x10800Free() {
        byte[] a = BootLoaders.stage3a();
        assertThat(Arrays.copyOfRange(a, 0x400, 0x800)).containsOnly(0);
    }

    @Test
    void stage3aEntryIsWhereItsCodeStarts() {
        byte[] a = BootLoaders.stage3a();
        // z/Architecture has no opcode 0x00, so a zero first byte would mean fill, not an instruction.
        assertThat(a[STAGE3A_ENTRY_OFFSET]).isNotZero();
        // The bytes just before the entry are fill: the code starts at the entry, not before it.
        assertThat(Arrays.copyOfRange(a, 0x800, STAGE3A_ENTRY_OFFSET)).containsOnly(0);
        // Offset 0 holds an instruction as well (a branch to the entry, for a start at the load address).
        assertThat(a[0]).isNotZero();
    }

    @Test
    void stage3bEntryAtOffsetZeroIsAnInstruction() {
        assertThat(BootLoaders.stage3b()[0]).isNotZero();
    }

    @Test
    void argsAreTheLastBytesDoublewordAlignedAndShippedAsZero() {
        byte[] a = BootLoaders.stage3a();
        byte[] b = BootLoaders.stage3b();
        assertThat(BootLoaders.stage3aArgsOffset()).isEqualTo(a.length - 24);
        assertThat(BootLoaders.stage3bArgsOffset()).isEqualTo(b.length - 64);
        // Doubleword alignment: stage3b LPSWEs its PSW straight from the args.
        assertThat(BootLoaders.stage3aArgsOffset() % 8).isZero();
        assertThat(BootLoaders.stage3bArgsOffset() % 8).isZero();
        assertThat(Arrays.copyOfRange(a, a.length - 24, a.length)).containsOnly(0);
        assertThat(Arrays.copyOfRange(b, b.length - 64, b.length)).containsOnly(0);
        assertThat(BootLoaders.stage3aArgsAddress())
                .isEqualTo(BootLoaders.STAGE3A_LOAD_ADDRESS + BootLoaders.stage3aArgsOffset());
    }

    @Test
    void stage3aArgsAreWrittenBigEndianAtTheArgsOffset() {
        long ipibOffs = 0x13000 - BootLoaders.stage3aArgsAddress();
        byte[] patched = BootLoaders.stage3aWithArgs(0x0102030405060708L, 0x280, ipibOffs);
        int at = BootLoaders.stage3aArgsOffset();
        assertThat(Arrays.copyOfRange(patched, at, at + 8))
                .containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(Arrays.copyOfRange(patched, at + 8, at + 16))
                .containsExactly(0, 0, 0, 0, 0, 0, 2, (byte) 0x80);
        assertThat(ByteBuffer.wrap(patched, at + 16, 8).getLong()).isEqualTo(ipibOffs);
    }

    @Property(tries = 200)
    void stage3aPatchChangesOnlyTheArgs(@ForAll long hdrOffs,
                                        @ForAll @LongRange(min = 1, max = 8192) long hdrSize,
                                        @ForAll @LongRange(min = -16, max = 1 << 20) long ipibPage) {
        long ipibOffs = (ipibPage << 12) - BootLoaders.stage3aArgsAddress();
        byte[] original = BootLoaders.stage3a();
        byte[] patched = BootLoaders.stage3aWithArgs(hdrOffs, hdrSize, ipibOffs);
        int at = BootLoaders.stage3aArgsOffset();

        assertThat(patched).hasSameSizeAs(original);
        assertThat(Arrays.copyOf(patched, at)).isEqualTo(Arrays.copyOf(original, at));
        ByteBuffer args = ByteBuffer.wrap(patched, at, 24);
        assertThat(args.getLong()).isEqualTo(hdrOffs);
        assertThat(args.getLong()).isEqualTo(hdrSize);
        assertThat(args.getLong()).isEqualTo(ipibOffs);
    }

    @Property(tries = 200)
    void stage3bPatchChangesOnlyTheArgs(@ForAll @LongRange(min = 0) long kernelSrc,
                                        @ForAll @LongRange(min = 0) long kernelSize,
                                        @ForAll @LongRange(min = 0) long cmdlineSrc,
                                        @ForAll @LongRange(min = 0) long cmdlineSize,
                                        @ForAll @LongRange(min = 0) long initrdSrc,
                                        @ForAll @LongRange(min = 0) long initrdSize,
                                        @ForAll long pswMask, @ForAll long pswAddr) {
        byte[] original = BootLoaders.stage3b();
        byte[] patched = BootLoaders.stage3bWithArgs(kernelSrc, kernelSize, cmdlineSrc, cmdlineSize,
                initrdSrc, initrdSize, pswMask, pswAddr);
        int at = BootLoaders.stage3bArgsOffset();

        assertThat(patched).hasSameSizeAs(original);
        assertThat(Arrays.copyOf(patched, at)).isEqualTo(Arrays.copyOf(original, at));
        ByteBuffer args = ByteBuffer.wrap(patched, at, 64);
        assertThat(new long[] {args.getLong(), args.getLong(), args.getLong(), args.getLong(),
                args.getLong(), args.getLong(), args.getLong(), args.getLong()})
                .containsExactly(kernelSrc, kernelSize, cmdlineSrc, cmdlineSize,
                        initrdSrc, initrdSize, pswMask, pswAddr);
    }

    @Test
    void stage3bArgsAreWrittenBigEndianInTheirOrder() {
        byte[] patched = BootLoaders.stage3bWithArgs(0x15000, 0x4a000, 0x5f000, 0x20, 0x60000, 0x19000,
                0x0000000180000000L, 0x10000);
        int at = BootLoaders.stage3bArgsOffset();
        assertThat(Arrays.copyOfRange(patched, at + 48, at + 64)).containsExactly(
                0, 0, 0, 1, (byte) 0x80, 0, 0, 0,
                0, 0, 0, 0, 0, 1, 0, 0);
        assertThat(Arrays.copyOfRange(patched, at, at + 8)).containsExactly(0, 0, 0, 0, 0, 1, 0x50, 0);
    }

    @Test
    void stage3aRejectsAHeaderSizeOutOfRange() {
        long ipibOffs = 0x13000 - BootLoaders.stage3aArgsAddress();
        assertThatThrownBy(() -> BootLoaders.stage3aWithArgs(0x2c80, 0, ipibOffs))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stage3a args: SE header size 0 is not within 1..8192");
        assertThatThrownBy(() -> BootLoaders.stage3aWithArgs(0x2c80, 8193, ipibOffs))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stage3a args: SE header size 8193 is not within 1..8192");
    }

    @Test
    void stage3aRejectsAnIpibOffPageBoundary() {
        long ipibOffs = 0x13008 - BootLoaders.stage3aArgsAddress();
        assertThatThrownBy(() -> BootLoaders.stage3aWithArgs(0x2c80, 0x280, ipibOffs))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(String.format(
                        "stage3a args: IPIB offset 0x%x puts the IPIB at 0x13008, which is not 4K aligned", ipibOffs));
    }

    @Test
    void stage3bRejectsSizesAndAddressesBeyond2To63() {
        assertThatThrownBy(() -> BootLoaders.stage3bWithArgs(0x15000, -1, 0, 0, 0, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stage3b args: kernel size 0xffffffffffffffff is beyond 2^63");
        assertThatThrownBy(() -> BootLoaders.stage3bWithArgs(0, 0, 0, 0, Long.MIN_VALUE, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stage3b args: initrd source 0x8000000000000000 is beyond 2^63");
    }

    /**
     * The documented wait codes are the ones the binary uses: stage3a loads each with
     * {@code lghi %r12,code} (A7C9 followed by the 16-bit code) before it reports.
     */
    @Test
    void everyDocumentedFailureCodeIsLoadedByStage3a() {
        byte[] code = Arrays.copyOfRange(BootLoaders.stage3a(), STAGE3A_ENTRY_OFFSET, BootLoaders.stage3aArgsOffset());
        for (BootLoaders.BootFailure failure : failuresOf("3a")) {
            byte[] lghi = HexFormat.of().parseHex(String.format("a7c9%04x", failure.waitAddress()));
            assertThat(contains(code, lghi)).as("lghi %%r12,0x%x in stage3a", failure.waitAddress()).isTrue();
            assertThat(BootLoaders.BootFailure.ofWaitAddress("3a", failure.waitAddress())).contains(failure);
        }
        assertThat(BootLoaders.BootFailure.ofWaitAddress("3a", 0xfff)).isEmpty();
    }

    /** Same for stage3b, whose code ends where its data (messages, SCCB) begins, before the args. */
    @Test
    void everyDocumentedFailureCodeIsLoadedByStage3b() {
        byte[] code = Arrays.copyOf(BootLoaders.stage3b(), BootLoaders.stage3bArgsOffset());
        for (BootLoaders.BootFailure failure : failuresOf("3b")) {
            byte[] lghi = HexFormat.of().parseHex(String.format("a7c9%04x", failure.waitAddress()));
            assertThat(contains(code, lghi)).as("lghi %%r12,0x%x in stage3b", failure.waitAddress()).isTrue();
            assertThat(BootLoaders.BootFailure.ofWaitAddress("3b", failure.waitAddress())).contains(failure);
            assertThat(BootLoaders.BootFailure.ofWaitAddress("3a", failure.waitAddress())).isEmpty();
        }
        assertThat(BootLoaders.BootFailure.ofWaitAddress("3b", 0x3a10)).isEmpty();
    }

    private static List<BootLoaders.BootFailure> failuresOf(String stage) {
        List<BootLoaders.BootFailure> of = Arrays.stream(BootLoaders.BootFailure.values())
                .filter(f -> f.stage().equals(stage)).toList();
        assertThat(of).as("stage " + stage + " documents its failures").isNotEmpty();
        return of;
    }

    @Test
    void stage3bConsoleMessagesAreInTheBinary() {
        String text = new String(BootLoaders.stage3b(), StandardCharsets.US_ASCII);
        assertThat(text).contains("pvsim stage3b: ", "invalid kernel", "command line is too large",
                "command line is not NUL-terminated");
    }

    @Test
    void aMissingResourceIsAPackagingErrorThatSaysHowToFixIt() {
        assertThatThrownBy(() -> BootLoaders.load("/guests/boot/nonexistent.bin"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("/guests/boot/nonexistent.bin is missing from the class path "
                        + "(build it with 'make -C guests')");
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }
}
