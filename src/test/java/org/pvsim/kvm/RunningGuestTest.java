package org.pvsim.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.pvsim.image.BootLoaderBlobs;
import org.pvsim.image.ImageRandomness;
import org.pvsim.image.SeImage;
import org.pvsim.image.SeImageBuilder;
import org.pvsim.image.SeImageReader;
import org.pvsim.image.TestImages;
import org.pvsim.machine.ProgramInterruption;
import org.pvsim.machine.SieBlock;
import org.pvsim.machine.SimulatedMachine;
import org.pvsim.machine.storage.HostStorage;

/**
 * A protected guest that is running: it computes a secret, puts it into its GRs and FPRs and a page of its
 * memory, shows the host a receipt (the complement of the secret, through diag 0x500), then loops forever.
 * Another thread stops KVM_RUN with a kick (EINTR); then every byte the host can read is scanned: all of
 * storage through the host's view (frames that raise 0x3d are not the host's), the SD page and the SIDA,
 * and the registers KVM_RUN gave user space. The secret is never there.
 */
class RunningGuestTest {
    static final long SECRET = 0x5ec12e7c0ffee042L;
    /*
     * The kernel's code at 0x10800 (s390x-linux-gnu-as, binutils 2.40):
     *   llihf 3,0xa13ed183; oilf 3,0xf0011fbd; xihf 3,-1; xilf 3,-1      r3 = the secret, computed
     *   lgr 4..15,3; ldgr 0,3; ldgr 2,3 (no AFP control needed)          into GRs and FPRs
     *   llilh 1,0x20; lghi 2,512; fill: stg 3,0(1); la 1,8(1); brct 2,fill    a page at guest 2 MiB
     *   larl 1,here; stg 3,0(1)                                            and a word in the kernel
     *   lgr 1,3; xihf 1,-1; xilf 1,-1; lghi 2,0; lghi 3,0; lghi 4,0       the receipt ~secret in GR1 (diag
     *   diag 0,0,0x500                                                     0x500 shows the host GRs 1-4)
     *   lgr 1,6; lgr 2,6; lgr 3,6; lgr 4,6; forever: j forever
     */
    static final String CODE = "c03ea13ed183c03df0011fbdc036ffffffffc037ffffffffb9040043b9040053b9040063b9040073b9040083b9040093"
            + "b90400a3b90400b3b90400c3b90400d3b90400e3b90400f3b3c10003b3c10023a51e0020a7290200e330100000244110"
            + "1008a726fffbc01000000021e33010000024b9040013c016ffffffffc017ffffffffa7290000a7390000a74900008300"
            + "0500b9040016b9040026b9040036b9040046a7f40000070700000000000000000000000000000000";

    @TempDir
    static Path dir;
    static byte[] imageBytes;
    static SeImage image;

    @BeforeAll
    static void buildImage() throws Exception {
        byte[] k = new byte[0x11000];
        ByteBuffer b = ByteBuffer.wrap(k);
        b.putLong(0, 0x0008000180010000L); // the Linux image's IPL PSW (stage3b cuts the first 64 KiB)
        b.put(0x10000, HexFormat.of().parseHex("c0f400000400")); // jg entry
        b.put(0x10008, "S390EP".getBytes(StandardCharsets.US_ASCII));
        b.putLong(0x10430, 896); // COMMAND_LINE_SIZE
        b.put(0x10800, HexFormat.of().parseHex(CODE));
        Path kernel = TestImages.file(dir, "kernel", k);
        Path out = dir.resolve("secret.img");
        new SeImageBuilder(BootLoaderBlobs.standard(), ImageRandomness.secure(), null)
                .create(TestImages.spec(kernel, null, null, List.of(TestImage.HOST)), out, false);
        imageBytes = Files.readAllBytes(out);
        image = SeImageReader.read(out);
    }

    record Booted(SimulatedMachine machine, Kvm kvm, KvmVm vm, KvmVcpu vcpu, long mem) {
    }

    /** s390_machine_protect(), as KvmRunTest does it. */
    static Booted boot() {
        SimulatedMachine machine = SimulatedMachine.create((2L << 30) + (128L << 20), List.of(TestImage.hostKey())); // room for the UV at 2 GiB;
        Kvm kvm = Kvm.boot(machine, Kvm.Options.defaults());
        KvmVm vm = kvm.createVm();
        long mem = kvm.mm().mmap(16L << 20);
        vm.setUserMemoryRegion(new KvmUserspaceMemoryRegion(0, 0, 0, 16L << 20, mem));
        KvmVcpu vcpu = vm.createVcpu(0);
        kvm.mm().write(mem, imageBytes);
        vm.pvCommand(KvmPvCmd.of(KvmUapi.KVM_PV_ENABLE));
        long h = kvm.mm().put(image.header().bytes());
        vm.pvCommand(KvmPvCmd.of(KvmUapi.KVM_PV_SET_SEC_PARMS,
                kvm.mm().put(new KvmS390PvSecParm(h, image.header().bytes().length).encode())));
        for (var c : image.ipib().components()) {
            vm.pvCommand(KvmPvCmd.of(KvmUapi.KVM_PV_UNPACK, kvm.mm().put(
                    new KvmS390PvUnp(c.address(), (c.length() + 0xfff) & ~0xfffL, c.tweakPrefix()).encode())));
        }
        vm.pvCommand(KvmPvCmd.of(KvmUapi.KVM_PV_VERIFY));
        vcpu.setMpState(KvmUapi.KVM_MP_STATE_LOAD);
        vcpu.setMpState(KvmUapi.KVM_MP_STATE_OPERATING);
        return new Booted(machine, kvm, vm, vcpu, mem);
    }

    /** Runs to the guest's diag 0x500 (its receipt), then into its endless loop until another thread kicks. */
    static KvmRun runUntilKicked(Booted g) {
        KvmRun run = new KvmRun();
        g.vcpu().run(run);
        assertThat(run.exitReason).isEqualTo(KvmRun.KVM_EXIT_S390_SIEIC);
        assertThat(run.icptcode).isEqualTo(SieBlock.ICPT_PV_INSTRUCTION);
        assertThat(run.ipa).isEqualTo(0x8302);
        assertThat(run.gprs[5]).isEqualTo(0x500);
        assertThat(run.gprs[1]).as("the guest's receipt: it did compute the secret").isEqualTo(~SECRET);
        Thread kicker = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            g.vcpu().kick();
        });
        kicker.start();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> g.vcpu().run(run)).isInstanceOfSatisfying(KvmException.class,
                e -> assertThat(e.errno()).isEqualTo(Errno.EINTR));
        assertThat(System.nanoTime() - t0).as("KVM_RUN ran the loop until the kick").isGreaterThan(250_000_000L);
        assertThat(run.exitReason).isEqualTo(KvmRun.KVM_EXIT_INTR);
        return run;
    }

    @Test
    @Timeout(60)
    void aProtectedGuestThatLoopsForeverIsStoppedFromAnotherThreadWithAKick_andRunsOnAfterwards() throws Exception {
        Booted g = boot();
        runUntilKicked(g);
        // the kick is spent: the next KVM_RUN enters the guest again, until the next kick
        KvmRun run = new KvmRun();
        Thread kicker = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            g.vcpu().kick();
        });
        kicker.start();
        assertThatThrownBy(() -> g.vcpu().run(run)).isInstanceOfSatisfying(KvmException.class,
                e -> assertThat(e.errno()).isEqualTo(Errno.EINTR));
        kicker.join();
    }

    @Test
    @Timeout(60)
    void immediateExitIsEintrWithoutEnteringTheGuest() {
        Booted g = boot();
        KvmRun run = new KvmRun();
        run.immediateExit = true;
        assertThatThrownBy(() -> g.vcpu().run(run)).isInstanceOfSatisfying(KvmException.class,
                e -> assertThat(e.errno()).isEqualTo(Errno.EINTR));
        assertThat(g.machine().sieExits()).isZero();
    }

    @Test
    @Timeout(120)
    void theSecretOfARunningGuestIsInNoHostVisibleByteNorInAnyRegisterTheHostCanRead() {
        Booted g = boot();
        KvmRun run = runUntilKicked(g);
        byte[] be = ByteBuffer.allocate(8).putLong(SECRET).array();
        byte[] le = ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(SECRET).array();
        // every frame of storage, as the host sees it
        HostStorage hs = g.machine().hostStorage();
        byte[] page = new byte[HostStorage.PAGE_SIZE];
        long secure = 0;
        long hits = 0;
        for (long a = 0; a < hs.size(); a += HostStorage.PAGE_SIZE) {
            try {
                hs.read(a, page, 0, page.length);
            } catch (ProgramInterruption e) {
                assertThat(e.code()).isEqualTo(ProgramInterruption.SECURE_STORAGE_ACCESS);
                secure++;
                continue;
            }
            if (ConfidentialityTest.contains(page, be) || ConfidentialityTest.contains(page, le)) {
                hits++;
            }
        }
        assertThat(secure).as("the guest's secure pages were skipped, not read").isPositive();
        assertThat(hits).as("host-visible pages holding the secret").isZero();
        // the state description (its page holds the PV GR save area) and the SIDA, field by field
        SieControlBlock sd = g.vcpu().sd;
        for (int off = 0; off + 8 <= HostStorage.PAGE_SIZE; off += 4) {
            assertThat(sd.u64(off)).as("SD + 0x%x", off).isNotEqualTo(SECRET);
        }
        for (long r : sd.pvGrregs()) {
            assertThat(r).isNotEqualTo(SECRET);
        }
        // what KVM_RUN gave user space
        for (long r : run.gprs) {
            assertThat(r).isNotEqualTo(SECRET);
        }
        for (long r : run.crs) {
            assertThat(r).isNotEqualTo(SECRET);
        }
        assertThat(run.pswMask).isNotEqualTo(SECRET);
        assertThat(run.pswAddr).isNotEqualTo(SECRET);
        // the secret is there, in the guest: user space's VMM reading guest RAM exports the page, encrypted
        byte[] ram = g.kvm().mm().read(g.mem() + 0x200000, HostStorage.PAGE_SIZE);
        assertThat(ConfidentialityTest.contains(ram, be)).isFalse();
    }
}
