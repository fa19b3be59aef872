package org.pvsim.vmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.pvsim.kvm.Kvm;

/**
 * {@code -kernel} ELF files with hostile headers: whatever the program-header offset, count, entry size or a
 * segment's offset, size and address say, the IPL either loads the file or refuses it with one VmmException,
 * never a Java exception (the ELF loader of user space, as the machine's own has its fuzz target).
 */
class IplElfProperties {
    static final Kvm KVM = Vmm.bootKvm(Vmm.hostMachine(VmmFixture.MEMORY, List.of(VmmFixture.hostKey())));
    static final GuestMachine M = GuestMachine.create(KVM, VmConfig.of(VmmFixture.MEMORY, 1, false, null), Trace.OFF);
    static final byte[] ELF = resource("/guests/tests/hello-O2.elf");

    static byte[] resource(String name) {
        try (InputStream in = IplElfProperties.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A header field of the ELF header or of the first program header, by offset and width. */
    @Provide
    Arbitrary<Tuple.Tuple2<Integer, Integer>> field() {
        int phoff = (int) ByteBuffer.wrap(ELF).getLong(32);
        return Arbitraries.of(Tuple.of(32, 8), Tuple.of(54, 2), Tuple.of(56, 2), Tuple.of(phoff, 4),
                Tuple.of(phoff + 8, 8), Tuple.of(phoff + 24, 8), Tuple.of(phoff + 32, 8));
    }

    @Property(tries = 300)
    void aHostileHeaderValueLoadsOrIsRefusedInOneMessage(@ForAll("field") Tuple.Tuple2<Integer, Integer> field,
            @ForAll long value) {
        byte[] elf = ELF.clone();
        ByteBuffer b = ByteBuffer.wrap(elf);
        switch (field.get2()) {
            case 2 -> b.putShort(field.get1(), (short) value);
            case 4 -> b.putInt(field.get1(), (int) value);
            default -> b.putLong(field.get1(), value);
        }
        try {
            new Ipl(elf, null).load(M);
        } catch (VmmException e) {
            assertThat(e.getMessage()).doesNotContain("\n");
        }
    }

    @Example
    void aSegmentWhoseOffsetAndSizeWouldWrapIsRefused() {
        byte[] elf = ELF.clone();
        int ph = (int) ByteBuffer.wrap(elf).getLong(32);
        ByteBuffer.wrap(elf).putLong(ph + 8, Long.MAX_VALUE).putLong(ph + 32, 16);
        assertThatThrownBy(() -> new Ipl(elf, null).load(M)).isInstanceOf(VmmException.class)
                .hasMessageContaining("reaches beyond the end of the file");
    }

    @Example
    void aSegmentAtAnAddressThatWouldWrapIsRefused() {
        byte[] elf = ELF.clone();
        int ph = (int) ByteBuffer.wrap(elf).getLong(32);
        ByteBuffer.wrap(elf).putLong(ph + 24, Long.MAX_VALUE - 8);
        assertThatThrownBy(() -> new Ipl(elf, null).load(M)).isInstanceOf(VmmException.class)
                .hasMessageContaining("outside the");
    }
}
