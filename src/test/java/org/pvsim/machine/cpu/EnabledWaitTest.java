package org.pvsim.machine.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.pvsim.machine.Lowcore;
import org.pvsim.machine.storage.Storage;

/** A guest that waits enabled for an interruption that can never be delivered must end the run. */
class EnabledWaitTest {
    static final long CODE = 0x2000;
    static final long WAIT_PSW = 0xf00;
    static final long SCCB = 0x3000;

    /**
     * lgfi r1,0x00780005 (WRITE EVENT MASK); lghi r2,0x3000; servc r1,r2; lpswe 0xf00 (an enabled
     * wait); then the guest would only go on from the service-signal interruption, but CR0 still has
     * its reset value with bit 54 (service-signal subclass) off.
     */
    static Machine serviceSignalGuest(boolean deterministic, long cr0) {
        Machine m = new Machine(new Machine.Options(1 << 20, 1, deterministic, false), s -> { });
        Storage st = m.storage();
        byte[] code = {
            (byte) 0xc0, 0x11, 0x00, 0x78, 0x00, 0x05, // lgfi r1,0x00780005
            (byte) 0xa7, 0x29, 0x30, 0x00, // lghi r2,0x3000
            (byte) 0xb2, 0x20, 0x00, 0x12, // servc r1,r2
            (byte) 0xb2, (byte) 0xb2, 0x0f, 0x00, // lpswe 0xf00
            0x07, 0x07, // nopr (never reached)
        };
        st.write(CODE, code, 0, code.length, Storage.HOST);
        st.writeLong(WAIT_PSW, 0x0102000180000000L, Storage.HOST); // EXT + wait, 64-bit
        st.writeLong(WAIT_PSW + 8, 0x2100, Storage.HOST);
        st.writeShort(SCCB, 32, Storage.HOST);
        st.writeShort(SCCB + 10, 4, Storage.HOST);
        // the external new PSW: a disabled wait at 0xfff (clean end) if the signal is ever delivered
        st.writeLong(Lowcore.EXT_NEW_PSW, 0x0002000180000000L, Storage.HOST);
        st.writeLong(Lowcore.EXT_NEW_PSW + 8, 0xfff, Storage.HOST);
        m.ipl(new Psw(0x0000000180000000L, CODE));
        m.cpu(0).cr[0] = cr0;
        return m;
    }

    @Test
    void aServiceSignalThatCannotBeDeliveredEndsTheRun() {
        for (boolean deterministic : new boolean[] {true, false}) {
            Machine m = serviceSignalGuest(deterministic, 0xe0L);
            Machine.Result r = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> m.run(1_000_000));
            assertThat(r.ending()).isEqualTo(Machine.Ending.ENABLED_WAIT_FOREVER);
            assertThat(r.instructions()).isEqualTo(4);
            assertThat(r.waitPsws()).containsExactly(new Psw(0x0102000180000000L, 0x2100));
            assertThat(r.detail()).contains("service signal is pending").contains("CR0 bit 54");
            assertThat(r.success()).isFalse();
        }
    }

    @Test
    void withTheSubclassOnTheSignalIsDelivered() {
        Machine m = serviceSignalGuest(true, 0xe0L | Interruptions.CR0_SERVICE_SIGNAL);
        Machine.Result r = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> m.run(1_000_000));
        assertThat(r.ending()).isEqualTo(Machine.Ending.DISABLED_WAIT);
        assertThat(r.success()).isTrue();
    }

    @Test
    void aWaitForAFarTimerEndsAtTheTimeLimit() {
        Machine m = serviceSignalGuest(false, 0xe0L | Interruptions.CR0_CLOCK_COMPARATOR);
        m.cpu(0).timers.clockComparator = m.clocks().peekTod() + (3600L << 32); // hours away
        Machine.Result r = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> m.run(1_000_000, 200_000_000L));
        assertThat(r.ending()).isEqualTo(Machine.Ending.TIME_LIMIT);
        assertThat(r.detail()).contains("time limit");
    }
}
