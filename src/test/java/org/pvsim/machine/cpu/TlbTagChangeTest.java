package org.pvsim.machine.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;
import org.pvsim.machine.ProgramInterruption;
import org.pvsim.machine.storage.Storage;

/**
 * A TLB hit no longer reads the frame's owner tag, only the storage's tag generation: a tag changed after
 * the TLB (and the per-width last pages in front of it) were filled must still be seen by the next access,
 * also when another thread changed it (the Ultravisor runs on the host's threads), with the exception an
 * access through the unchanged entry raised before.
 */
class TlbTagChangeTest {
    static final long PAGE = 0x3000;
    static final long FRAME = PAGE >>> Storage.PAGE_SHIFT;

    final Machine m = new Machine(new Machine.Options(1L << 20, 1, true, false), s -> { });
    final Cpu c = m.cpu(0);
    final Storage storage = m.storage();

    /** Every load and store width, at a different offset of the page. */
    final List<LongConsumer> accesses = List.of(
            a -> c.load8(a + 1), a -> c.load16(a + 2), a -> c.load32(a + 4), a -> c.load64(a + 8),
            a -> c.store8(a + 0x11, 1), a -> c.store16(a + 0x12, 2), a -> c.store32(a + 0x14, 3),
            a -> c.store64(a + 0x18, 4));

    @Test
    void aPageMadeSecureByAnotherThreadFaultsTheHostsNextAccess() throws InterruptedException {
        c.store64(PAGE, 42); // the frame holds bytes, so that reads enter the TLB too
        touchAll();
        inAnotherThread(() -> storage.setTag(FRAME, Storage.tag(1, Storage.STATE_SECURE)));
        assertEveryAccessRaises(ProgramInterruption.SECURE_STORAGE_ACCESS);

        inAnotherThread(() -> storage.setTag(FRAME, 0)); // exported back to the host
        touchAll();
        assertThat(c.load64(PAGE)).isEqualTo(42);
    }

    @Test
    void aGuestsPageTakenByAnotherConfigurationOrExportedFaultsItsNextAccess() throws InterruptedException {
        storage.setTag(FRAME, Storage.tag(1, Storage.STATE_SECURE));
        c.setDomain(1);
        c.store64(PAGE, 7);
        touchAll();

        inAnotherThread(() -> storage.setTag(FRAME, Storage.tag(2, Storage.STATE_SECURE)));
        assertEveryAccessRaises(Storage.SECURE_STORAGE_VIOLATION);

        inAnotherThread(() -> storage.setTag(FRAME, 0));
        assertEveryAccessRaises(ProgramInterruption.NON_SECURE_STORAGE_ACCESS);

        inAnotherThread(() -> storage.casTag(FRAME, 0, Storage.tag(1, Storage.STATE_SHARED)));
        touchAll();
        assertThat(c.load64(PAGE)).isEqualTo(7);
    }

    @Test
    void aTagChangeInTheCpusOwnThreadIsSeenByItsNextAccess() {
        c.store64(PAGE, 42);
        touchAll();
        storage.setTag(FRAME, Storage.tag(3, Storage.STATE_UV));
        assertEveryAccessRaises(ProgramInterruption.SECURE_STORAGE_ACCESS);
    }

    private void touchAll() {
        for (LongConsumer access : accesses) {
            access.accept(PAGE);
        }
    }

    /** Each access raises {@code code} at its own address, and raises it again when repeated. */
    private void assertEveryAccessRaises(int code) {
        for (int k = 0; k < 2; k++) {
            for (LongConsumer access : accesses) {
                ProgramInterruption pi = catchThrowableOfType(() -> access.accept(PAGE), ProgramInterruption.class);
                assertThat(pi).as("access %d", accesses.indexOf(access)).isNotNull();
                assertThat(pi.code()).isEqualTo(code);
                assertThat(pi.address() & ~Storage.PAGE_MASK).isEqualTo(PAGE);
            }
        }
    }

    /** The change happens-before what follows (Thread.join), as a UV call on a host thread and a kick would. */
    private static void inAnotherThread(Runnable change) throws InterruptedException {
        Thread t = new Thread(change, "tag change");
        t.start();
        t.join();
    }
}
