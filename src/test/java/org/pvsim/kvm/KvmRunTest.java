package org.pvsim.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.pvsim.image.BootLoaderBlobs;
import org.pvsim.image.ImageRandomness;
import org.pvsim.image.SeImage;
import org.pvsim.image.SeImageBuilder;
import org.pvsim.image.SeImageReader;
import org.pvsim.image.TestImages;
import org.pvsim.machine.SieBlock;
import org.pvsim.machine.SimulatedMachine;

/**
 * KVM_RUN of a protected guest: the demo image (pvsim's stage3b and demo kernel, real s390x code) is
 * unpacked and verified as QEMU does it, then run on the machine's SIE. This test is the user space: it
 * serves the guest's SCLP requests over the SIDA and injects the service signal, and expects the kernel's
 * console line and its clean disabled wait.
 */
class KvmRunTest {
    @TempDir
    Path dir;

    private static final int SCLP_WRITE_EVENT_MASK = 0x00780005;
    private static final int SCLP_WRITE_EVENT_DATA = 0x00760005;

    @Test
    @Timeout(60)
    void aProtectedGuestUnpackedByKvmPrintsThroughSclpOverTheSidaAndEndsInACleanDisabledWait() throws Exception {
        SimulatedMachine machine = SimulatedMachine.create(4L << 30, List.of(TestImage.hostKey()));
        Kvm kvm = Kvm.boot(machine, Kvm.Options.defaults());
        java.util.Set<Integer> exitCodes = java.util.concurrent.ConcurrentHashMap.newKeySet();
        machine.addSieListener(e -> {
            assertThat(e.secure()).isTrue();
            exitCodes.add(e.icptcode());
        });
        SeImage image = demoImage("pvsim-run-test");
        KvmVm vm = kvm.createVm();
        long mem = kvm.mm().mmap(16L << 20);
        vm.setUserMemoryRegion(new KvmUserspaceMemoryRegion(0, 0, 0, 16L << 20, mem));
        KvmVcpu vcpu = vm.createVcpu(0);
        bootProtected(kvm, vm, mem, image);
        assertThat(vcpu.isProtectedNow()).isTrue();

        StringBuilder console = new StringBuilder();
        KvmRun run = new KvmRun();
        for (int exits = 0; ; exits++) {
            assertThat(exits).as("exits to user space").isLessThan(100);
            vcpu.run(run);
            assertThat(run.exitReason).isEqualTo(KvmRun.KVM_EXIT_S390_SIEIC);
            if (run.icptcode == SieBlock.ICPT_WAIT) {
                break;
            }
            assertThat(run.icptcode).isEqualTo(SieBlock.ICPT_PV_INSTRUCTION);
            assertThat(run.ipa).isEqualTo(0xb220);
            serveSclp(kvm, vcpu, vm, run, console);
        }
        assertThat(console.toString()).contains("Hello from a protected guest! Command line: pvsim-run-test");
        assertThat(run.pswMask & 0x0002000000000000L).as("wait bit").isNotZero();
        assertThat(run.pswAddr & 0xfff).as("the demo kernel's clean-shutdown code").isEqualTo(0xfff);
        assertThat(kvm.stats().event("exit_0x70")).as("the prefix pages were imported").isPositive();
        assertThat(machine.sieExits()).isGreaterThan(3);
        assertThat(exitCodes).as("prefix import, SERVC, its completion notification, wait").contains(
                SieBlock.ICPT_PV_PREFIX, SieBlock.ICPT_PV_INSTRUCTION, SieBlock.ICPT_PV_NOTIFICATION, SieBlock.ICPT_WAIT);
    }

    @Test
    @Timeout(60)
    void theSameImageRunsAsANormalGuestUntilStage3aAsksForProtectedModeWithDiag308() throws Exception {
        SimulatedMachine machine = SimulatedMachine.create(4L << 30, List.of(TestImage.hostKey()));
        Kvm kvm = Kvm.boot(machine, Kvm.Options.defaults());
        SeImage image = demoImage("normal");
        KvmVm vm = kvm.createVm();
        long mem = kvm.mm().mmap(16L << 20);
        vm.setUserMemoryRegion(new KvmUserspaceMemoryRegion(0, 0, 0, 16L << 20, mem));
        KvmVcpu vcpu = vm.createVcpu(0);
        kvm.mm().write(mem, imageBytes);
        KvmRun run = new KvmRun();
        long shortPsw = ByteBuffer.wrap(imageBytes).getLong(0); // QEMU's load_normal
        run.pswMask = shortPsw & 0xfff7ffff80000000L;
        run.pswAddr = shortPsw & 0x7fffffffL;
        vcpu.setMpState(KvmUapi.KVM_MP_STATE_OPERATING);

        vcpu.run(run);
        assertThat(run.exitReason).isEqualTo(KvmRun.KVM_EXIT_S390_SIEIC);
        assertThat(run.icptcode).as("instruction interception").isEqualTo(SieBlock.ICPT_INSTRUCTION);
        assertThat(run.ipa).as("diag %r2,%r4").isEqualTo(0x8324);
        assertThat(run.ipb).as("function 0x308").isEqualTo(0x03080000);
        assertThat(run.gprs[4]).as("subcode 8, set PV IPL parameters").isEqualTo(8);
        long ipib = run.gprs[2];
        assertThat(ipib).isEqualTo(image.ipibAddress());
        byte[] hdrAddr = new byte[8];
        long buf = kvm.mm().mmap(1L << 20);
        vm.memOp(new KvmS390MemOp(ipib + 120, 0, 8, KvmUapi.KVM_S390_MEMOP_ABSOLUTE_READ, buf, 0, 0, 0));
        System.arraycopy(kvm.mm().read(buf, 8), 0, hdrAddr, 0, 8);
        assertThat(ByteBuffer.wrap(hdrAddr).getLong()).as("stage3a set the IPIB's header address")
                .isEqualTo(image.headerAddress());

        run.gprs[3] = 1; // DIAG_308_RC_OK
        vcpu.run(run);
        assertThat(run.ipa).isEqualTo(0x8324);
        assertThat(run.gprs[4]).as("subcode 10, start protected").isEqualTo(10);
        assertThat(kvm.stats().event("diagnose_0x308")).isEqualTo(2);
        assertThat(vcpu.isProtectedNow()).isFalse();
    }

    @Test
    @Timeout(30)
    void aGuestThatLoopsForEverIsKickedOutOfKvmRunByAnotherThreadWithEintr() throws Exception {
        SimulatedMachine machine = SimulatedMachine.create(1L << 31, List.of(TestImage.hostKey()));
        Kvm kvm = Kvm.boot(machine, Kvm.Options.defaults());
        KvmVm vm = kvm.createVm();
        long mem = kvm.mm().mmap(1L << 20);
        vm.setUserMemoryRegion(new KvmUserspaceMemoryRegion(0, 0, 0, 1L << 20, mem));
        KvmVcpu vcpu = vm.createVcpu(0);
        byte[] loop = new byte[0x10004];
        loop[0x10000] = (byte) 0xa7; // j . (brc 15,0)
        loop[0x10001] = (byte) 0xf4;
        kvm.mm().write(mem, loop);
        vcpu.setMpState(KvmUapi.KVM_MP_STATE_OPERATING);
        KvmRun run = new KvmRun();
        run.pswMask = 0x0000000180000000L;
        run.pswAddr = 0x10000;
        Thread kicker = new Thread(() -> {
            // kick once the guest has been in SIE (a kick before KVM_RUN would end it before any entry)
            while (machine.sieExits() == 0) {
                Thread.onSpinWait();
            }
            vcpu.kick();
        });
        kicker.setDaemon(true);
        kicker.start();
        assertThatThrownBy(() -> vcpu.run(run)).isInstanceOfSatisfying(KvmException.class,
                e -> assertThat(e.errno()).isEqualTo(Errno.EINTR));
        kicker.join();
        assertThat(run.exitReason).isEqualTo(KvmRun.KVM_EXIT_INTR);
        assertThat(run.pswAddr).as("still in its loop").isEqualTo(0x10000);
        assertThat(machine.sieExits()).isPositive();
    }

    @Test
    void kvmRunOnAStoppedVcpuUnderUserCpuStateControlIsEinval() {
        SimulatedMachine machine = SimulatedMachine.create(1L << 31, List.of(TestImage.hostKey()));
        KvmVm vm = Kvm.boot(machine, Kvm.Options.defaults()).createVm();
        KvmVcpu stopped = vm.createVcpu(0);
        stopped.setMpState(KvmUapi.KVM_MP_STATE_STOPPED);
        assertThatThrownBy(() -> stopped.run(new KvmRun())).isInstanceOfSatisfying(KvmException.class,
                e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
    }

    // ---- what QEMU does ------------------------------------------------------------------------------

    private SeImage demoImage(String cmdline) throws Exception {
        byte[] kernel;
        try (InputStream in = getClass().getResourceAsStream("/guests/demo/kernel.bin")) {
            kernel = in.readAllBytes();
        }
        Path k = TestImages.file(dir, "kernel", kernel);
        Path p = TestImages.file(dir, "parm", cmdline.getBytes(StandardCharsets.US_ASCII));
        Path out = dir.resolve("demo.img");
        new SeImageBuilder(BootLoaderBlobs.standard(), ImageRandomness.secure(), null)
                .create(TestImages.spec(k, null, p, List.of(TestImage.HOST)), out, false);
        imageBytes = Files.readAllBytes(out);
        return SeImageReader.read(out);
    }

    private byte[] imageBytes;

    /** s390_machine_protect(): ENABLE, SET_SEC_PARMS, UNPACK, VERIFY, then the IPL CPU loaded and operating. */
    private void bootProtected(Kvm kvm, KvmVm vm, long mem, SeImage image) {
        kvm.mm().write(mem, imageBytes);
        vm.pvCommand(KvmPvCmd.of(KvmUapi.KVM_PV_ENABLE));
        long h = kvm.mm().put(image.header().bytes());
        vm.pvCommand(KvmPvCmd.of(KvmUapi.KVM_PV_SET_SEC_PARMS, kvm.mm().put(new KvmS390PvSecParm(h, image.header().bytes().length).encode())));
        for (var c : image.ipib().components()) {
            vm.pvCommand(KvmPvCmd.of(KvmUapi.KVM_PV_UNPACK, kvm.mm().put(
                    new KvmS390PvUnp(c.address(), (c.length() + 0xfff) & ~0xfffL, c.tweakPrefix()).encode())));
        }
        vm.pvCommand(KvmPvCmd.of(KvmUapi.KVM_PV_VERIFY));
        KvmVcpu cpu = vm.vcpus().get(0);
        cpu.setMpState(KvmUapi.KVM_MP_STATE_LOAD);
        cpu.setMpState(KvmUapi.KVM_MP_STATE_OPERATING);
    }

    /** QEMU's sclp_service_call_protected(): the SCCB from the SIDA, the answer back, the service signal. */
    private static void serveSclp(Kvm kvm, KvmVcpu vcpu, KvmVm vm, KvmRun run, StringBuilder console) {
        int r1 = run.ipb >>> 20 & 0xf;
        int command = (int) run.gprs[r1];
        long buf = kvm.mm().mmap(1L << 20);
        vcpu.memOp(new KvmS390MemOp(0, 0, 4096, KvmUapi.KVM_S390_MEMOP_SIDA_READ, buf, 0, 0, 0));
        ByteBuffer sccb = ByteBuffer.wrap(kvm.mm().read(buf, 4096));
        int len = sccb.getShort(0) & 0xffff;
        if (command == SCLP_WRITE_EVENT_MASK) {
            int maskLen = sccb.getShort(10) & 0xffff;
            sccb.putInt(12 + 2 * maskLen, 0x40000040); // the SCLP receives and sends ASCII and messages
            sccb.putInt(12 + 3 * maskLen, 0x40000040);
        } else if (command == SCLP_WRITE_EVENT_DATA) {
            for (int off = 8; off < len; ) {
                int evLen = sccb.getShort(off) & 0xffff;
                if (evLen < 6) {
                    break;
                }
                if ((sccb.get(off + 2) & 0xff) == 0x1a) {
                    console.append(new String(sccb.array(), off + 6, evLen - 6, StandardCharsets.US_ASCII));
                }
                off += evLen;
            }
        }
        sccb.putShort(6, (short) 0x0020);
        kvm.mm().write(buf, sccb.array());
        vcpu.memOp(new KvmS390MemOp(0, 0, len, KvmUapi.KVM_S390_MEMOP_SIDA_WRITE, buf, 0, 0, 0));
        kvm.mm().munmap(buf);
        vm.injectFloating(KvmUapi.KVM_S390_INT_SERVICE, 0x4000); // SCLP_PV_DUMMY_ADDR: the UV names the SCCB
    }
}
