package org.pvsim.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pvsim.kvm.KvmUapi.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.pvsim.machine.uv.cb.UvCommand;
import org.pvsim.machine.uv.trace.UvCallEvent;

/**
 * For every UV call each command makes, a run in which exactly that call fails: the command's errno and
 * rc/rrc, the VM's protection afterwards, and the storage accounting (what the UV holds according to the
 * call trace equals what the host still expects back plus what it wrote off). Then the VM is torn down
 * without faults and the accounting is checked again.
 */
class FaultInjectionTest {
    private static final int RC = 0x0103;
    private static final int RRC = 0x00ab;

    /** A command under test: how to set up, what to run, and what a failure of each UV call must give. */
    record Scenario(String name, Function<KvmFixture, KvmFixture.Guest> setup, Consumer<KvmFixture.Guest> command,
            Map<UvCommand, Outcome> outcomes) {
    }

    /** errno null = the command still succeeds; protectedAfter = the VM's state after the failure. */
    record Outcome(Errno errno, boolean protectedAfter, boolean reportsInjectedRc) {
    }

    private static Outcome fails(Errno e, boolean prot) {
        return new Outcome(e, prot, true);
    }

    private static Outcome succeeds(boolean prot) {
        return new Outcome(null, prot, false);
    }

    private static KvmFixture.Guest plain(KvmFixture f) {
        KvmFixture.Guest g = f.guest(2, 2);
        g.loadImage(TestImage.BYTES);
        return g;
    }

    private static KvmFixture.Guest enabled(KvmFixture f) {
        KvmFixture.Guest g = plain(f);
        g.pv(KVM_PV_ENABLE);
        return g;
    }

    private static KvmFixture.Guest withParams(KvmFixture f) {
        KvmFixture.Guest g = enabled(f);
        g.setSecParms(TestImage.header());
        return g;
    }

    private static KvmFixture.Guest booted(KvmFixture f) {
        KvmFixture.Guest g = withParams(f);
        g.unpackAll(TestImage.IMAGE.ipib());
        g.pv(KVM_PV_VERIFY);
        return g;
    }

    static List<Scenario> scenarios() {
        var first = TestImage.IMAGE.ipib().components().get(0);
        List<Scenario> s = new ArrayList<>();
        s.add(new Scenario("ENABLE", FaultInjectionTest::plain, g -> g.pv(KVM_PV_ENABLE), Map.of(
                UvCommand.CREATE_SEC_CONF, fails(Errno.EIO, false),
                UvCommand.CREATE_SEC_CPU, fails(Errno.EIO, false))));
        s.add(new Scenario("DISABLE", FaultInjectionTest::booted, g -> g.pv(KVM_PV_DISABLE), Map.of(
                UvCommand.DESTROY_SEC_CPU, fails(Errno.EIO, true),
                UvCommand.DESTROY_SEC_CONF, fails(Errno.EIO, true),
                UvCommand.DESTR_SEC_STOR, succeeds(false))));
        s.add(new Scenario("SET_SEC_PARMS", FaultInjectionTest::enabled, g -> g.setSecParms(TestImage.header()), Map.of(
                UvCommand.SET_SEC_CONF_PARAMS, fails(Errno.EINVAL, true))));
        s.add(new Scenario("UNPACK", FaultInjectionTest::withParams,
                g -> g.unpack(first.address(), (first.length() + 0xfff) & ~0xfffL, first.tweakPrefix()), Map.of(
                UvCommand.UNPACK_IMG, fails(Errno.EINVAL, true))));
        s.add(new Scenario("VERIFY", f -> {
            KvmFixture.Guest g = withParams(f);
            g.unpackAll(TestImage.IMAGE.ipib());
            return g;
        }, g -> g.pv(KVM_PV_VERIFY), Map.of(UvCommand.VERIFY_IMG, fails(Errno.EINVAL, true))));
        s.add(new Scenario("PREP_RESET", FaultInjectionTest::booted, g -> g.pv(KVM_PV_PREP_RESET), Map.of(
                UvCommand.PREPARE_RESET, fails(Errno.EINVAL, true))));
        s.add(new Scenario("UNSHARE_ALL", FaultInjectionTest::booted, g -> g.pv(KVM_PV_UNSHARE_ALL), Map.of(
                UvCommand.SET_UNSHARE_ALL, fails(Errno.EINVAL, true))));
        s.add(new Scenario("CREATE_VCPU (hotplug)", FaultInjectionTest::booted, g -> g.vm().createVcpu(7), Map.of(
                UvCommand.CREATE_SEC_CPU, fails(Errno.EIO, true))));
        s.add(new Scenario("CLEAR_RESET", FaultInjectionTest::booted, g -> g.vm().vcpus().get(1).clearReset(), Map.of(
                UvCommand.CPU_RESET_CLEAR, fails(Errno.EINVAL, true))));
        s.add(new Scenario("MP_STATE LOAD", FaultInjectionTest::booted,
                g -> g.vm().vcpus().get(0).setMpState(KVM_MP_STATE_LOAD), Map.of(
                UvCommand.CPU_SET_STATE, fails(Errno.EINVAL, true))));
        s.add(new Scenario("ASYNC_CLEANUP_PREPARE", FaultInjectionTest::booted, g -> g.pv(KVM_PV_ASYNC_CLEANUP_PREPARE),
                Map.of(UvCommand.DESTROY_SEC_CPU, fails(Errno.EIO, true),
                        UvCommand.DESTROY_SEC_CONF_FAST, fails(Errno.EIO, true),
                        UvCommand.DESTR_SEC_STOR, succeeds(false))));
        s.add(new Scenario("host read of guest memory (export)", FaultInjectionTest::booted,
                g -> g.mm().read(g.mem() + first.address(), 16), Map.of(
                UvCommand.PIN_PAGE_SHARED, succeeds(true), // the page is not shared: pin fails anyway
                UvCommand.CONV_FROM_SEC_STOR, new Outcome(Errno.EFAULT, true, false)))); // a user copy has no rc
        s.add(new Scenario("VM destroy", FaultInjectionTest::booted, g -> g.vm().destroy(), Map.of(
                UvCommand.DESTROY_SEC_CPU, succeeds(false),
                UvCommand.DESTROY_SEC_CONF, succeeds(false),
                UvCommand.DESTR_SEC_STOR, succeeds(false))));
        return s;
    }

    @TestFactory
    Stream<DynamicTest> everyUvCallOfEveryCommandFails() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Scenario sc : scenarios()) {
            // a clean run tells which UV calls the command makes, and how many were made before it
            KvmFixture probe = new KvmFixture();
            KvmFixture.Guest g0 = sc.setup().apply(probe);
            int before = probe.trace.size();
            sc.command().accept(g0);
            List<UvCallEvent> made = new ArrayList<>(probe.trace.subList(before, probe.trace.size()));
            assertThat(made).as(sc.name() + " makes UV calls").isNotEmpty();
            Map<UvCommand, Integer> seen = new LinkedHashMap<>();
            for (UvCallEvent e : made) {
                int k = seen.merge(e.command(), 1, Integer::sum);
                long total = made.stream().filter(x -> x.command() == e.command()).count();
                if (k > 2 && k != total) {
                    continue; // of a long run of the same call, the first, second and last
                }
                Outcome o = sc.outcomes().get(e.command());
                assertThat(o).as("%s: expected outcome for a failing %s", sc.name(), e.command()).isNotNull();
                int after = k - 1; // the rule counts calls from when it is added
                tests.add(DynamicTest.dynamicTest(sc.name() + ": " + e.command() + " #" + k + " fails",
                        () -> runWithFault(sc, e.command(), after, o)));
            }
        }
        return tests.stream();
    }

    private static void runWithFault(Scenario sc, UvCommand failing, int after, Outcome o) {
        KvmFixture f = new KvmFixture();
        KvmFixture.Guest g = sc.setup().apply(f);
        f.machine.uvFaults().add(failing.name() + " rc=0x" + Integer.toHexString(RC) + " rrc=0x"
                + Integer.toHexString(RRC) + " once after=" + after);
        if (o.errno() == null) {
            sc.command().accept(g);
        } else if (o.reportsInjectedRc()) {
            Expect.errno(o.errno(), RC, RRC, () -> sc.command().accept(g));
        } else {
            Expect.errno(o.errno(), () -> sc.command().accept(g));
        }
        assertThat(f.calls(failing).stream().filter(UvCallEvent::injected)).as("the fault fired").hasSize(1);
        if (!g.vm().isClosed()) {
            assertThat(g.vm().isProtectedNow()).as("protected after the failure").isEqualTo(o.protectedAfter());
        }
        f.assertDonationBalanced();
        // tear down without faults: nothing may be lost beyond what the statistics wrote off
        f.machine.uvFaults().clear();
        if (!g.vm().isClosed()) {
            g.vm().destroy();
        }
        f.assertDonationBalanced();
        assertThat(f.kvm.stats().outstandingDonation()).isZero();
        KvmStats s = f.kvm.stats();
        assertThat(s.bytesInUse().get(HostFrameAllocator.Use.DAT)).isEqualTo(s.leaked(KvmStats.LeakReason.ASCE_SET_ASIDE));
    }
}
