package org.pvsim.machine.uv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pvsim.machine.uv.HostCallConformanceTest.expect;
import static org.pvsim.machine.uv.cb.UvCommand.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pvsim.machine.storage.Storage;
import org.pvsim.machine.uv.cb.ConvertToSecure;
import org.pvsim.machine.uv.cb.CreateSecConf;
import org.pvsim.machine.uv.trace.UvCallEvent;
import org.pvsim.machine.uv.trace.UvFaultRules;

class FaultsAndEventsTest {
    @Test
    void parsesTheExamplesOfTheSyntax() {
        UvFaultRules r = UvFaultRules.parse("""
                # comments and blank lines are fine

                CREATE_SEC_CPU rc=0x0104 once
                CONV_TO_SEC_STOR cc=2 every=3
                DESTROY_SEC_CONF always; 0x0100 rc=0x8105 rrc=7 times=2 after=1
                """);
        assertThat(r.rules()).hasSize(4);
        assertThat(r.rules().get(0)).isEqualTo(new UvFaultRules.Rule(CREATE_SEC_CPU,
                new UvFaultRules.Injection(1, 0x104, 0), UvFaultRules.Mode.ONCE, 0, 0));
        assertThat(r.rules().get(1).injection()).isEqualTo(new UvFaultRules.Injection(2, 0, 0));
        assertThat(r.rules().get(2).injection().rc()).isEqualTo(0x0003);
        assertThat(r.rules().get(3)).isEqualTo(new UvFaultRules.Rule(CREATE_SEC_CONF,
                new UvFaultRules.Injection(1, 0x8105, 7), UvFaultRules.Mode.TIMES, 2, 1));
    }

    @Test
    void badRulesSayWhatIsWrong() {
        assertThatThrownBy(() -> UvFaultRules.parseRule("CREATE_SEC_CUP once"))
                .hasMessageContaining("unknown UV command 'CREATE_SEC_CUP'");
        assertThatThrownBy(() -> UvFaultRules.parseRule("0x0999 once")).hasMessageContaining("0x0999");
        assertThatThrownBy(() -> UvFaultRules.parseRule("QUI rc=0x104")).hasMessageContaining("say when");
        assertThatThrownBy(() -> UvFaultRules.parseRule("QUI rc=0x1 once")).hasMessageContaining("not an error");
        assertThatThrownBy(() -> UvFaultRules.parseRule("QUI cc=0 once")).hasMessageContaining("cc=0");
        assertThatThrownBy(() -> UvFaultRules.parseRule("QUI cc=2 rc=5 once")).hasMessageContaining("busy");
        assertThatThrownBy(() -> UvFaultRules.parseRule("QUI rc=0x10000 once")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> UvFaultRules.parseRule("QUI rc=zz once")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> UvFaultRules.parseRule("QUI every=0")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> UvFaultRules.parseRule("QUI once always")).hasMessageContaining("more than one");
        assertThatThrownBy(() -> UvFaultRules.parseRule("QUI once loudly")).hasMessageContaining("unknown word 'loudly'");
    }

    @Test
    void createCpuFailsOnceThenWorks() {
        UvFixture m = new UvFixture();
        m.init();
        var g = m.createGuest(1L << 20);
        m.uv.faults().add("CREATE_SEC_CPU rc=0x0104 once");
        var first = m.call(m.cscBlock(g.handle(), 0));
        expect(first, 0x0104);
        assertThat(first.cb().cpuHandle()).isZero();
        var csc = m.cscBlock(g.handle(), 0);
        expect(m.call(csc), 1);
    }

    @Test
    void everyThirdImportIsBusyAndARetryGetsThrough() {
        UvFixture m = new UvFixture();
        m.init();
        var g = m.createGuest(1L << 20);
        m.uv.faults().add("CONV_TO_SEC_STOR cc=2 every=3");
        List<Integer> ccs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ccs.add(m.host.once(ConvertToSecure.of(CONV_TO_SEC_STOR, g.handle(), i * 4096L)).cc());
        }
        assertThat(ccs).containsExactly(0, 0, 2, 0, 0, 2);
        assertThat(m.stateOf(g.mem().host(2 * 4096))).as("busy: nothing done").isEqualTo(Storage.STATE_HOST);
        assertThat(m.host.call(ConvertToSecure.of(CONV_TO_SEC_STOR, g.handle(), 2 * 4096L)).ok()).isTrue();
    }

    @Test
    void destroyAlwaysFailingLeaksTheStorageOnPurpose() {
        UvFixture m = new UvFixture();
        m.init();
        var g = m.createGuest(1L << 20);
        m.uv.faults().add("DESTROY_SEC_CONF rc=0x0104 always");
        expect(m.nodata(DESTROY_SEC_CONF, g.handle()), 0x0104);
        expect(m.nodata(DESTROY_SEC_CONF, g.handle()), 0x0104);
        assertThat(m.stateOf(g.cgc().confBaseStorOrigin())).isEqualTo(Storage.STATE_UV);
        m.uv.faults().clear();
        expect(m.nodata(DESTROY_SEC_CONF, g.handle()), 1);
    }

    @Test
    void needDestroyCreatesTheConfigurationAndReportsFailure() {
        UvFixture m = new UvFixture();
        m.init();
        m.uv.faults().add("CREATE_SEC_CONF rc=0x8105 once");
        CreateSecConf cgc = m.cgcBlock(m.guestMemory(1L << 20));
        var a = m.call(cgc);
        assertThat(a.cc()).isOne();
        assertThat(a.rc() & 0x8000).isNotZero();
        assertThat(a.cb().guestHandle()).as("the handle to destroy").isNotZero();
        assertThat(m.stateOf(cgc.confBaseStorOrigin())).isEqualTo(Storage.STATE_UV);
        expect(m.nodata(DESTROY_SEC_CONF, a.cb().guestHandle()), 1);
        assertThat(m.stateOf(cgc.confBaseStorOrigin())).isEqualTo(Storage.STATE_HOST);
    }

    @Test
    void afterLetsCallsThrough() {
        UvFixture m = new UvFixture();
        m.init();
        m.uv.faults().add("QUI rc=0x0003 times=2 after=1");
        List<Integer> rcs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            rcs.add(m.call(org.pvsim.machine.uv.cb.QueryUvInfo.request()).rc());
        }
        assertThat(rcs).containsExactly(1, 3, 3, 1);
    }

    @Test
    void everyCallIsReportedWithHandlesResultsAndDuration() {
        UvFixture m = new UvFixture();
        List<UvCallEvent> events = new ArrayList<>();
        m.uv.addListener(events::add);
        m.init();
        var g = m.createGuest(1L << 20);
        m.uv.faults().add("CONV_TO_SEC_STOR cc=2 once");
        m.host.call(ConvertToSecure.of(CONV_TO_SEC_STOR, g.handle(), 0));
        m.call(org.pvsim.machine.uv.cb.RawUvcb.of(0x4242, 8));
        assertThat(events).extracting(UvCallEvent::name).containsExactly("INIT_UV", "CREATE_SEC_CONF",
                "CONV_TO_SEC_STOR", "CONV_TO_SEC_STOR", "0x4242");
        UvCallEvent cgc = events.get(1);
        assertThat(cgc.cc()).isZero();
        assertThat(cgc.rc()).isEqualTo(1);
        assertThat(cgc.handle()).isEqualTo(g.handle());
        assertThat(cgc.domain()).isEqualTo(Storage.HOST);
        assertThat(cgc.durationNanos()).isPositive();
        assertThat(((CreateSecConf) cgc.block()).guestAsce()).isEqualTo(g.mem().asce());
        assertThat(events.get(2).cc()).isEqualTo(2);
        assertThat(events.get(2).injected()).isTrue();
        assertThat(events.get(3).cc()).isZero();
        assertThat(events.get(4).rc()).isEqualTo(2);
        assertThat(events.get(1).toString()).contains("CREATE_SEC_CONF host", "cc 0 rc 0x0001");
    }

    @Test
    void alwaysBusyDoesNotHangTheHostCaller() {
        UvFixture m = new UvFixture();
        m.uv.faults().add("QUI cc=2 always");
        assertThatThrownBy(() -> m.host.call(org.pvsim.machine.uv.cb.QueryUvInfo.request()))
                .hasMessageContaining("UVC 0x0001 still busy (cc 2) after 100000 tries");
    }

    @Test
    void donatingTheStorageThatHoldsTheBlockIsRefused() {
        UvFixture m = new UvFixture();
        long at = UvFixture.INIT_ORIGIN + 0x800;
        org.pvsim.machine.uv.cb.InitUv.of(UvFixture.INIT_ORIGIN, m.qui.uvBaseStorLen()).write(m.storage, at, 0);
        assertThat(m.uv.call(at, Storage.HOST)).isOne();
        assertThat(m.storage.readShort(at + 4, Storage.HOST)).isEqualTo(0x0107);
        assertThat(m.stateOf(UvFixture.INIT_ORIGIN)).isEqualTo(Storage.STATE_HOST);
    }
}
