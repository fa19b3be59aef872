package org.pvsim.machine.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pvsim.machine.cpu.DatFixture.*;

import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pvsim.machine.SimulatedMachine;
import org.pvsim.machine.storage.Storage;
import org.pvsim.machine.uv.cb.UvCommand;
import org.pvsim.se.P521;

/**
 * uv-host 7 (reference userspace-and-tests §2.4): a host program with DAT on gives the UVCB as a
 * home-space virtual address; a UVCB on an invalid page is a page-translation exception for every host
 * command, and so is one whose header is valid but whose body crosses onto an invalid page. Nothing of
 * the UVCB is answered (the UV never saw it).
 */
class UvcTranslationTest {
    static final long UVCB_PAGE = 0x6000;
    static final long INVALID_PAGE = 0x7000;
    static final ECPrivateKey HOST_KEY = (ECPrivateKey) P521.generate(new SecureRandom()).getPrivate();

    final DatFixture f = new DatFixture(false, true);

    UvcTranslationTest() {
        SimulatedMachine.withCpus(f.m, List.of(HOST_KEY));
    }

    /** r2 = the UVCB's address; CR13 = CR1 (lctlg 13,13 from DATA); uvc 0,2,0; end. */
    void uvcAt(long asce, long uvcb) {
        f.write(DATA, asce);
        f.run(asce, load(2, uvcb) + "ebdd0000042f " /* lctlg 13,13,0x4000 */ + "b9a40002 " + END);
    }

    /** The host's commands (the guest's, from 0x1000 on, are invalid in the host: uv-host 3). */
    static java.util.stream.Stream<UvCommand> hostCommands() {
        return java.util.Arrays.stream(UvCommand.values()).filter(c -> c.code() < 0x1000);
    }

    @ParameterizedTest
    @MethodSource("hostCommands")
    void aUvcbOnAnInvalidPageIsAPageTranslationException(UvCommand cmd) {
        long asce = f.asce(0);
        f.identity(asce);
        f.map(asce, INVALID_PAGE, INVALID_PAGE, 0x400);
        f.storage().writeLong(INVALID_PAGE, (long) 0x40 << 48 | (long) cmd.code() << 32, Storage.HOST);
        uvcAt(asce, INVALID_PAGE);
        assertThat(f.pgmCode()).as("%s", cmd).isEqualTo(0x11);
        assertThat(f.teid() & ~0xfffL).isEqualTo(INVALID_PAGE);
        assertThat(f.storage().readShort(INVALID_PAGE + 4, Storage.HOST)).as("no rc").isZero();
    }

    @ParameterizedTest
    @MethodSource("hostCommands")
    void aUvcbWhoseBodyCrossesOntoAnInvalidPageIsAPageTranslationExceptionToo(UvCommand cmd) {
        long asce = f.asce(0);
        f.identity(asce);
        f.map(asce, INVALID_PAGE, INVALID_PAGE, 0x400);
        long uvcb = INVALID_PAGE - 8; // only the header is on a valid page
        f.storage().writeLong(uvcb, (long) 0x40 << 48 | (long) cmd.code() << 32, Storage.HOST);
        uvcAt(asce, uvcb);
        assertThat(f.pgmCode()).as("%s", cmd).isEqualTo(0x11);
        assertThat(f.teid() & ~0xfffL).isEqualTo(INVALID_PAGE);
        assertThat(f.storage().readShort(uvcb + 4, Storage.HOST)).as("no rc").isZero();
    }
}
