package org.pvsim.kvm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The VM's pending service signal: how injections merge, and what a protected guest may get while masked. */
class FloatingServiceSignalTest {
    final Interrupts.Floating f = new Interrupts.Floating();

    @Test
    void theEventBitAddsToAPendingSignalAndASecondSccbIsDropped() {
        f.post(Interrupts.EVENT_PENDING);
        assertThat(f.serviceSignal.get()).as("an attention alone").isEqualTo(1);
        f.post(0x7000);
        assertThat(f.serviceSignal.get()).as("an SCCB's answer keeps the attention").isEqualTo(0x7001);
        f.post(0x8000);
        assertThat(f.serviceSignal.get()).as("a superfluous SCCB is dropped, as the kernel does").isEqualTo(0x7001);
        f.serviceSignal.set(0x9000);
        f.post(Interrupts.EVENT_PENDING);
        assertThat(f.serviceSignal.get()).isEqualTo(0x9001);
    }

    @Test
    void aMaskedGuestGetsTheAttentionOfAnEventButNoSccbAnswer() {
        assertThat(Interrupts.Floating.deliverable(-1, false)).as("nothing pending").isFalse();
        assertThat(Interrupts.Floating.deliverable(0x7000, false)).isTrue();
        assertThat(Interrupts.Floating.deliverable(0x7000, true)).as("before the SERVC notification").isFalse();
        assertThat(Interrupts.Floating.deliverable(0x7001, true)).as("the SCCB holds the attention back too").isFalse();
        assertThat(Interrupts.Floating.deliverable(Interrupts.EVENT_PENDING, true)).as("IRQ_PEND_EXT_SERVICE_EV").isTrue();
    }
}
