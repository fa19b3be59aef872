package org.pvsim.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.pvsim.machine.uv.cb.UvCommand;

class LifecycleTest {
    private final KvmFixture f = new KvmFixture();

    @Test
    void bootsTheImageAndTearsItDown() {
        assertThat(f.kvm.checkExtension(KvmUapi.KVM_CAP_S390_PROTECTED)).isEqualTo(1);
        KvmFixture.Guest g = f.guest(2, 2);
        g.boot();
        assertThat(g.vm().isProtectedNow()).isTrue();
        assertThat(g.vm().vcpus()).allMatch(KvmVcpu::isProtectedNow);
        assertThat(f.liveConfigs).hasSize(1);
        assertThat(f.liveCpus).hasSize(2);
        assertThat(f.calls(UvCommand.UNPACK_IMG)).allMatch(e -> e.cc() == 0);
        assertThat(f.calls(UvCommand.VERIFY_IMG)).singleElement().matches(e -> e.cc() == 0);

        KvmVcpu hot = g.vm().createVcpu(5);
        assertThat(hot.isProtectedNow()).isTrue();
        assertThat(f.liveCpus).hasSize(3);

        KvmPvCmd r = g.pv(KvmUapi.KVM_PV_DISABLE);
        assertThat(r.rc()).isEqualTo(1);
        assertThat(g.vm().isProtectedNow()).isFalse();
        assertThat(f.liveConfigs).isEmpty();
        assertThat(f.liveCpus).isEmpty();
        KvmStats s = f.kvm.stats();
        assertThat(s.outstandingDonation()).isZero();
        assertThat(s.totalLeaked()).isZero();
        g.vm().destroy();
        assertThat(f.kvm.stats().bytesInUse().get(HostFrameAllocator.Use.UV_DONATION))
                .isEqualTo(f.kvm.uvInfo().uvBaseStorLen());
    }

    @Test
    void enableTwiceIsEinval() {
        KvmFixture.Guest g = f.guest(1, 1);
        g.pv(KvmUapi.KVM_PV_ENABLE);
        assertThatThrownBy(() -> g.pv(KvmUapi.KVM_PV_ENABLE)).isInstanceOfSatisfying(KvmException.class,
                e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
    }
}
