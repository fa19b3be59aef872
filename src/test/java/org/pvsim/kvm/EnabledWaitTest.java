package org.pvsim.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pvsim.machine.SieBlock.*;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pvsim.machine.SimulatedMachine;
import org.pvsim.machine.storage.Storage;

/** An enabled wait sleeps until the guest's next timer or until something is made pending for it. */
class EnabledWaitTest {
    static final long EXT_WAIT = 0x0102000180000000L; // EXT enabled, wait, 64-bit
    static final long TOD = 0x00e0_0000_0000_0000L;

    final SieControlBlock sd = new SieControlBlock(new Storage(1 << 20).hostView(), 0x8000);

    @Test
    void theDeadlineIsTheEarlierOfTheTimersTheGuestIsEnabledFor() {
        sd.put64(GPSW, EXT_WAIT);
        sd.put64(GCR, 0);
        assertThat(EnabledWait.sleepNanos(sd, false, TOD)).as("no timer subclass").isEqualTo(EnabledWait.UNTIL_WOKEN);

        sd.put64(GCR, 0x800);
        sd.put64(CKC, TOD + 4096 * 1000); // one millisecond ahead
        assertThat(EnabledWait.sleepNanos(sd, false, TOD)).isEqualTo(1_000_001);
        sd.put64(CKC, TOD);
        assertThat(EnabledWait.sleepNanos(sd, false, TOD)).as("pending once the clock is past it").isEqualTo(1);
        sd.put64(CKC, TOD - 1);
        assertThat(EnabledWait.sleepNanos(sd, false, TOD)).as("due").isZero();
        sd.put64(CKC, -1L);
        assertThat(EnabledWait.sleepNanos(sd, false, TOD)).as("a comparator of all ones never comes").isEqualTo(EnabledWait.UNTIL_WOKEN);

        sd.put64(GCR, 0xc00);
        sd.put64(CPUTM, 4096 * 10 - 1); // ten microseconds
        assertThat(EnabledWait.sleepNanos(sd, false, TOD)).as("the CPU timer is earlier").isEqualTo(10_000);
        sd.put64(CPUTM, -5);
        assertThat(EnabledWait.sleepNanos(sd, false, TOD)).as("negative: pending").isZero();
        sd.put64(CPUTM, Long.MAX_VALUE);
        sd.put64(CKC, TOD + 4096);
        assertThat(EnabledWait.sleepNanos(sd, false, TOD)).as("the comparator is earlier").isEqualTo(1001);
    }

    @Test
    void withoutExternalInterruptionsOnlyAWakeUpEndsItAndAProtectedVcpuPolls() {
        sd.put64(GCR, 0xc00);
        sd.put64(CKC, TOD - 1);
        sd.put64(GPSW, EXT_WAIT & ~(1L << 56) | 1L << 57); // I/O only
        assertThat(EnabledWait.sleepNanos(sd, false, TOD)).isEqualTo(EnabledWait.UNTIL_WOKEN);
        sd.put64(GPSW, EXT_WAIT);
        assertThat(EnabledWait.sleepNanos(sd, true, TOD)).as("the UV keeps its timers")
                .isEqualTo(EnabledWait.PROTECTED_POLL_NANOS);
    }

    /*
     * At 0x10000: lctlg 0,0,0x300 (CR0: the service-signal subclass); lpswe 0x310 (an enabled wait).
     * The external new PSW is a disabled wait at 0xabc.
     */
    static final String CODE = "eb000300002f b2b20310";

    @Test
    @Timeout(60)
    void aServiceSignalWakesAVcpuThatSleepsWithoutADeadline() throws Exception {
        Guest g = new Guest(0x200);
        CompletableFuture<KvmRun> done = CompletableFuture.supplyAsync(g::run);
        Thread vcpuThread = g.awaitSleeping();
        assertThat(vcpuThread.getState()).as("no timer: no deadline").isEqualTo(Thread.State.WAITING);

        g.vm.injectFloating(KvmUapi.KVM_S390_INT_SERVICE, 0x1234);
        KvmRun run = done.get(30, TimeUnit.SECONDS);
        assertThat(run.pswAddr).as("the external new PSW's disabled wait").isEqualTo(0xabc);
        assertThat(ByteBuffer.wrap(g.kvm.mm().read(g.mem + 0x86, 2)).getShort()).as("service signal").isEqualTo((short) 0x2401);
        assertThat(ByteBuffer.wrap(g.kvm.mm().read(g.mem + 0x80, 4)).getInt()).isEqualTo(0x1234);
    }

    @Test
    @Timeout(60)
    void aKickEndsTheSleepWithEintr() throws Exception {
        Guest g = new Guest(0);
        CompletableFuture<KvmRun> done = CompletableFuture.supplyAsync(g::run);
        g.awaitSleeping();
        g.vcpu.kick();
        assertThatThrownBy(() -> done.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(KvmException.class)
                .cause().hasMessageContaining("EINTR");
    }

    /** A normal guest that loads CR0 and enters an enabled wait. */
    static final class Guest {
        final Kvm kvm = Kvm.boot(SimulatedMachine.create(1L << 31, List.of(TestImage.hostKey())), Kvm.Options.defaults());
        final KvmVm vm = kvm.createVm();
        final long mem = kvm.mm().mmap(1L << 20);
        final KvmVcpu vcpu;
        private volatile Thread thread;

        Guest(long cr0) {
            vm.setUserMemoryRegion(new KvmUserspaceMemoryRegion(0, 0, 0, 1L << 20, mem));
            vcpu = vm.createVcpu(0);
            byte[] image = new byte[0x10100];
            ByteBuffer.wrap(image).putLong(0x1b0, 0x0002000180000000L).putLong(0x1b8, 0xabc)
                    .putLong(0x300, cr0).putLong(0x310, EXT_WAIT).putLong(0x318, 0x10000);
            byte[] code = HexFormat.of().parseHex(CODE.replace(" ", ""));
            System.arraycopy(code, 0, image, 0x10000, code.length);
            kvm.mm().write(mem, image);
            vcpu.setMpState(KvmUapi.KVM_MP_STATE_OPERATING);
        }

        KvmRun run() {
            thread = Thread.currentThread();
            KvmRun run = new KvmRun();
            run.pswMask = 0x0000000180000000L;
            run.pswAddr = 0x10000;
            vcpu.run(run);
            return run;
        }

        /** The vCPU's thread once it sleeps in the enabled wait (parked by KVM, not in SIE). */
        Thread awaitSleeping() throws InterruptedException {
            while (true) {
                Thread t = thread;
                if (t != null && (t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING)
                        && LockSupport.getBlocker(t) == vcpu) {
                    return t;
                }
                Thread.sleep(1);
            }
        }
    }
}
