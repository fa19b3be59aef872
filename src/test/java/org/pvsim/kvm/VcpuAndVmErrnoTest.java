package org.pvsim.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pvsim.kvm.KvmUapi.*;

import org.junit.jupiter.api.Test;
import org.pvsim.machine.uv.cb.UvCommand;

/** The other uAPI restrictions for protected VMs and vCPUs (reference kernel-pv §1.7, §3.4, §3.5). */
class VcpuAndVmErrnoTest {
    private static final long REG_U64 = 0x5030_0000_0000_0004L; // KVM_REG_S390 | KVM_REG_SIZE_U64 | 4
    private final KvmFixture f = new KvmFixture();

    @Test
    void createVcpuChecksIdsAndDuplicates() {
        KvmFixture.Guest g = f.guest(1, 1);
        Expect.errno(Errno.EINVAL, () -> g.vm().createVcpu(-1));
        Expect.errno(Errno.EINVAL, () -> g.vm().createVcpu(KVM_MAX_VCPUS));
        Expect.errno(Errno.EEXIST, () -> g.vm().createVcpu(0));
    }

    @Test
    void vcpuCreatedOnProtectedVmBecomesSecureOrFailsWithEio() {
        KvmFixture.Guest g = f.guest(1, 1);
        g.pv(KVM_PV_ENABLE);
        f.machine.uvFaults().add("CREATE_SEC_CPU rc=0x0104 rrc=0x0009 once");
        Expect.errno(Errno.EIO, 0x0104, 0x0009, () -> g.vm().createVcpu(1));
        assertThat(g.vm().vcpus()).hasSize(1);
        assertThat(f.kvm.stats().outstandingDonation())
                .isEqualTo(f.kvm.stats().donatedBytes() - f.kvm.stats().reclaimedBytes());
        KvmVcpu v = g.vm().createVcpu(1);
        assertThat(v.isProtectedNow()).isTrue();
        assertThat(f.liveCpus).hasSize(2);
    }

    @Test
    void memorySlotsCannotChangeWhileProtected() {
        KvmFixture.Guest g = f.guest(1, 1);
        long more = g.mm().mmap(1 << 20);
        g.pv(KVM_PV_ENABLE);
        Expect.errno(Errno.EINVAL, () -> g.vm().setUserMemoryRegion(new KvmUserspaceMemoryRegion(1, 0, 16 << 20, 1 << 20, more)));
        Expect.errno(Errno.EINVAL, () -> g.vm().setUserMemoryRegion(new KvmUserspaceMemoryRegion(0, 0, 0, 0, 0)));
        g.pv(KVM_PV_DISABLE);
        g.vm().setUserMemoryRegion(new KvmUserspaceMemoryRegion(1, 0, 16 << 20, 1 << 20, more));
    }

    @Test
    void memorySlotChecks() {
        KvmVm vm = f.kvm.createVm();
        long m = f.kvm.mm().mmap(2 << 20);
        Expect.errno(Errno.EINVAL, () -> vm.setUserMemoryRegion(new KvmUserspaceMemoryRegion(32, 0, 0, 1 << 20, m)));
        Expect.errno(Errno.EINVAL, () -> vm.setUserMemoryRegion(new KvmUserspaceMemoryRegion(0, 2, 0, 1 << 20, m)));
        Expect.errno(Errno.EINVAL, () -> vm.setUserMemoryRegion(new KvmUserspaceMemoryRegion(0, 0, 0x1000, 1 << 20, m)));
        Expect.errno(Errno.EINVAL, () -> vm.setUserMemoryRegion(new KvmUserspaceMemoryRegion(0, 0, 0, 1 << 20, m + 0x1000)));
        Expect.errno(Errno.EFAULT, () -> vm.setUserMemoryRegion(new KvmUserspaceMemoryRegion(0, 0, 0, 4 << 20, m)));
        vm.setUserMemoryRegion(new KvmUserspaceMemoryRegion(0, 0, 0, 1 << 20, m));
        Expect.errno(Errno.EEXIST, () -> vm.setUserMemoryRegion(new KvmUserspaceMemoryRegion(1, 0, 0, 1 << 20, m + (1 << 20))));
    }

    @Test
    void oneRegIsRefusedForProtectedVcpus() {
        KvmFixture.Guest g = f.guest(1, 1);
        KvmVcpu v = g.vm().vcpus().get(0);
        long buf = g.mm().put(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        v.setOneReg(new KvmOneReg(REG_U64, buf));
        long out = g.mm().mmap(8);
        v.getOneReg(new KvmOneReg(REG_U64, out));
        assertThat(g.mm().read(out, 8)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        g.pv(KVM_PV_ENABLE);
        Expect.errno(Errno.EINVAL, () -> v.setOneReg(new KvmOneReg(REG_U64, buf)));
        Expect.errno(Errno.EINVAL, () -> v.getOneReg(new KvmOneReg(REG_U64, out)));
    }

    @Test
    void absoluteMemOpIsRefusedOnProtectedVm() {
        KvmFixture.Guest g = f.guest(1, 1);
        long buf = g.mm().put("hello guest".getBytes());
        assertThat(g.vm().memOp(KvmS390MemOp.absolute(KVM_S390_MEMOP_ABSOLUTE_WRITE, 0x3000, 11, buf))).isZero();
        long back = g.mm().mmap(11);
        assertThat(g.vm().memOp(KvmS390MemOp.absolute(KVM_S390_MEMOP_ABSOLUTE_READ, 0x3000, 11, back))).isZero();
        assertThat(new String(g.mm().read(back, 11))).isEqualTo("hello guest");
        assertThat(g.vm().memOp(KvmS390MemOp.absolute(KVM_S390_MEMOP_ABSOLUTE_READ, 8 << 20, 11, back))).isEqualTo(5);
        Expect.errno(Errno.E2BIG, () -> g.vm().memOp(KvmS390MemOp.absolute(KVM_S390_MEMOP_ABSOLUTE_READ, 0, 65537, back)));
        Expect.errno(Errno.EINVAL, () -> g.vm().memOp(new KvmS390MemOp(0, 2, 8, KVM_S390_MEMOP_ABSOLUTE_READ, back, 0, 0, 0)));
        g.pv(KVM_PV_ENABLE);
        Expect.errno(Errno.EINVAL, () -> g.vm().memOp(KvmS390MemOp.absolute(KVM_S390_MEMOP_ABSOLUTE_READ, 0x3000, 11, back)));
        Expect.errno(Errno.EINVAL, () -> g.vm().memOp(KvmS390MemOp.absolute(KVM_S390_MEMOP_ABSOLUTE_WRITE, 0x3000, 11, buf)));
    }

    @Test
    void logicalMemOpIsRefusedOnProtectedVcpu() {
        KvmFixture.Guest g = f.guest(1, 1);
        KvmVcpu v = g.vm().vcpus().get(0);
        g.pv(KVM_PV_ENABLE);
        long buf = g.mm().mmap(16);
        Expect.errno(Errno.EINVAL, () -> v.memOp(new KvmS390MemOp(0, 0, 8, KVM_S390_MEMOP_LOGICAL_READ, buf, 0, 0, 0)));
        Expect.errno(Errno.EINVAL, () -> v.memOp(new KvmS390MemOp(0, 0, 8, KVM_S390_MEMOP_LOGICAL_WRITE, buf, 0, 0, 0)));
    }

    @Test
    void sidaOpChecksInTheKernelsOrder() {
        KvmFixture.Guest g = f.guest(1, 1);
        KvmVcpu v = g.vm().vcpus().get(0);
        long buf = g.mm().mmap(8192);
        // not protected: sidad is gbea (1) = two pages, so the size check passes and protection fails
        Expect.errno(Errno.EINVAL, () -> v.memOp(KvmS390MemOp.sida(KVM_S390_MEMOP_SIDA_READ, 0, 8192, buf)));
        Expect.errno(Errno.E2BIG, () -> v.memOp(KvmS390MemOp.sida(KVM_S390_MEMOP_SIDA_READ, 1, 8192, buf)));
        g.pv(KVM_PV_ENABLE);
        Expect.errno(Errno.EINVAL, () -> v.memOp(new KvmS390MemOp(0, 1, 8, KVM_S390_MEMOP_SIDA_READ, buf, 0, 0, 0)));
        Expect.errno(Errno.EINVAL, () -> v.memOp(KvmS390MemOp.sida(KVM_S390_MEMOP_SIDA_READ, 0, 0, buf)));
        Expect.errno(Errno.EINVAL, () -> v.memOp(KvmS390MemOp.sida(KVM_S390_MEMOP_SIDA_READ, -16, 32, buf)));
        Expect.errno(Errno.E2BIG, () -> v.memOp(KvmS390MemOp.sida(KVM_S390_MEMOP_SIDA_READ, 4000, 100, buf)));
        Expect.errno(Errno.EFAULT, () -> v.memOp(KvmS390MemOp.sida(KVM_S390_MEMOP_SIDA_READ, 0, 16, 0x10)));
        g.mm().write(buf, "sccb".getBytes());
        v.memOp(KvmS390MemOp.sida(KVM_S390_MEMOP_SIDA_WRITE, 100, 4, buf));
        long back = g.mm().mmap(4);
        v.memOp(KvmS390MemOp.sida(KVM_S390_MEMOP_SIDA_READ, 100, 4, back));
        assertThat(new String(g.mm().read(back, 4))).isEqualTo("sccb");
    }

    @Test
    void mpStates() {
        KvmFixture.Guest g = f.guest(2, 1);
        KvmVcpu v = g.vm().vcpus().get(0);
        Expect.errno(Errno.ENXIO, () -> v.setMpState(KVM_MP_STATE_LOAD));
        Expect.errno(Errno.ENXIO, () -> v.setMpState(KVM_MP_STATE_CHECK_STOP));
        Expect.errno(Errno.ENXIO, () -> v.setMpState(99));
        v.setMpState(KVM_MP_STATE_OPERATING); // not protected: no UV call
        v.setMpState(KVM_MP_STATE_STOPPED);
        assertThat(f.calls(UvCommand.CPU_SET_STATE)).isEmpty();
        g.boot();
        v.setMpState(KVM_MP_STATE_LOAD);
        assertThat(f.calls(UvCommand.CPU_SET_STATE)).singleElement().matches(e -> e.cc() == 0);
        v.setMpState(KVM_MP_STATE_OPERATING);
        f.machine.uvFaults().add("CPU_SET_STATE rc=0x0101 once");
        Expect.errno(Errno.EINVAL, 0x0101, 0, () -> v.setMpState(KVM_MP_STATE_STOPPED));
        assertThat(v.isStopped()).isFalse();
        v.setMpState(KVM_MP_STATE_STOPPED);
        assertThat(v.isStopped()).isTrue();
    }

    @Test
    void resetsIssueTheUvCpuResetsForProtectedVcpus() {
        KvmFixture.Guest g = f.guest(1, 1);
        KvmVcpu v = g.vm().vcpus().get(0);
        v.normalReset();
        v.initialReset();
        v.clearReset();
        assertThat(f.calls(UvCommand.CPU_RESET)).isEmpty();
        g.pv(KVM_PV_ENABLE);
        v.normalReset();
        v.initialReset();
        v.clearReset();
        assertThat(f.calls(UvCommand.CPU_RESET)).hasSize(1);
        assertThat(f.calls(UvCommand.CPU_RESET_INITIAL)).hasSize(1);
        assertThat(f.calls(UvCommand.CPU_RESET_CLEAR)).hasSize(1);
        f.machine.uvFaults().add("CPU_RESET rc=0x0021 once").add("CPU_RESET_INITIAL rc=0x0021 once")
                .add("CPU_RESET_CLEAR rc=0x0021 rrc=5 once");
        Expect.errno(Errno.EINVAL, 0x21, 0, v::normalReset);
        Expect.errno(Errno.EINVAL, 0x21, 0, v::initialReset);
        Expect.errno(Errno.EINVAL, 0x21, 5, v::clearReset);
    }

    @Test
    void runOnAHostBootedWithoutTheMachinesSieIsEnosysAndSaysSo() {
        KvmVcpu v = f.guest(1, 1).vm().vcpus().get(0);
        KvmException e = Expect.errno(Errno.ENOSYS, () -> v.run(new KvmRun()));
        assertThat(e.getMessage()).contains("SIE");
    }

    @Test
    void destroyedVmAnswersEbadf() {
        KvmFixture.Guest g = f.guest(1, 1);
        KvmVcpu v = g.vm().vcpus().get(0);
        g.vm().destroy();
        Expect.errno(Errno.EBADF, () -> g.pv(KVM_PV_ENABLE));
        Expect.errno(Errno.EBADF, () -> g.vm().createVcpu(3));
        Expect.errno(Errno.EBADF, v::normalReset);
    }
}
