package org.pvsim.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pvsim.kvm.KvmUapi.*;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.pvsim.se.Ipib;

/**
 * Several threads issue thousands of random commands on a few VMs, with UV failures injected now and then.
 * Afterwards the UV (seen only through its call trace) must agree with KVM: one configuration per protected
 * VM, no secure CPU without its configuration, donated storage balanced except what was written off.
 */
class PvStressTest {
    private static final int THREADS = 4;
    private static final int VMS = 3;
    private static final int OPS = 3000;

    private final KvmFixture f = new KvmFixture();
    private final Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();

    @Test
    void randomCommandsKeepKvmAndTheUvInAgreement() throws Exception {
        f.recordTrace = false;
        f.machine.uvFaults().add("CREATE_SEC_CPU rc=0x0105 every=37")
                .add("UNPACK_IMG cc=2 every=5")
                .add("DESTROY_SEC_CPU rc=0x0103 once after=400") // leaves one VM stuck protected, as the kernel would
                .add("CONV_FROM_SEC_STOR cc=2 every=7");
        List<KvmFixture.Guest> guests = new ArrayList<>();
        for (int i = 0; i < VMS; i++) {
            KvmFixture.Guest g = f.guest(2, 2);
            g.loadImage(TestImage.BYTES);
            guests.add(g);
        }
        long hdr = f.kvm.mm().put(TestImage.header());
        long secParm = f.kvm.mm().put(new KvmS390PvSecParm(hdr, TestImage.header().length).encode());
        Ipib.Component c0 = TestImage.IMAGE.ipib().components().get(0);
        long unp = f.kvm.mm().put(new KvmS390PvUnp(c0.address(), 4096, c0.tweakPrefix()).encode());

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            long seed = 1000 + t;
            done.add(pool.submit(() -> {
                Random rnd = new Random(seed);
                for (int i = 0; i < OPS / THREADS; i++) {
                    KvmFixture.Guest g = guests.get(rnd.nextInt(VMS));
                    step(g, rnd.nextInt(100), rnd, secParm, unp);
                }
                return null;
            }));
        }
        for (Future<?> d : done) {
            d.get(); // rethrows anything that is not a KvmException
        }
        pool.shutdown();

        checkAgreement(guests);
        assertThat(outcomes).containsKeys("KVM_PV_ENABLE OK", "KVM_PV_DISABLE OK", "KVM_PV_ENABLE EINVAL",
                "KVM_PV_ENABLE EIO", "KVM_PV_UNPACK OK", "KVM_PV_ASYNC_CLEANUP OK", "host read OK", "KVM_CREATE_VCPU OK");

        f.machine.uvFaults().clear();
        for (KvmFixture.Guest g : guests) {
            g.vm().destroy();
        }
        KvmStats s = f.kvm.stats();
        f.assertDonationBalanced();
        assertThat(s.outstandingDonation()).isZero();
        assertThat(f.liveCpus.keySet()).as("only CPUs whose destroy failed remain")
                .hasSize((int) (s.leaked(KvmStats.LeakReason.CPU_DESTROY_FAILED) / f.kvm.uvInfo().cpuStorLen()));
    }

    private void step(KvmFixture.Guest g, int dice, Random rnd, long secParm, long unp) {
        String name = "?";
        try {
            if (dice < 20) {
                name = "KVM_PV_ENABLE";
                g.pv(KVM_PV_ENABLE);
            } else if (dice < 35) {
                name = "KVM_PV_DISABLE";
                g.pv(KVM_PV_DISABLE);
            } else if (dice < 38) {
                name = "KVM_PV_SET_SEC_PARMS";
                g.vm().pvCommand(KvmPvCmd.of(KVM_PV_SET_SEC_PARMS, secParm));
            } else if (dice < 48) {
                name = "KVM_PV_UNPACK";
                g.vm().pvCommand(KvmPvCmd.of(KVM_PV_UNPACK, unp));
            } else if (dice < 52) {
                name = "KVM_PV_VERIFY";
                g.pv(KVM_PV_VERIFY);
            } else if (dice < 58) {
                name = "KVM_PV_UNSHARE_ALL";
                g.pv(rnd.nextBoolean() ? KVM_PV_UNSHARE_ALL : KVM_PV_PREP_RESET);
            } else if (dice < 66) {
                name = "KVM_CREATE_VCPU";
                g.vm().createVcpu(rnd.nextInt(8));
            } else if (dice < 74) {
                name = "reset";
                List<KvmVcpu> cpus = g.vm().vcpus();
                KvmVcpu v = cpus.get(rnd.nextInt(cpus.size()));
                switch (rnd.nextInt(3)) {
                    case 0 -> v.normalReset();
                    case 1 -> v.clearReset();
                    default -> v.setMpState(rnd.nextBoolean() ? KVM_MP_STATE_OPERATING : KVM_MP_STATE_STOPPED);
                }
            } else if (dice < 82) {
                name = "host read";
                g.mm().read(g.mem() + ((long) rnd.nextInt(512) << 12), 64);
            } else if (dice < 88) {
                name = "KVM_PV_ASYNC_CLEANUP";
                g.pv(KVM_PV_ASYNC_CLEANUP_PREPARE);
                Thread t = new Thread(() -> { // QEMU's "async_cleanup" thread
                    try {
                        g.pv(KVM_PV_ASYNC_CLEANUP_PERFORM);
                        count("KVM_PV_ASYNC_CLEANUP_PERFORM OK");
                    } catch (KvmException e) {
                        count("KVM_PV_ASYNC_CLEANUP_PERFORM " + e.errno());
                    }
                });
                t.start();
                t.join();
            } else if (dice < 94) {
                name = "KVM_S390_MEM_OP";
                long buf = g.mm().mmap(64);
                g.vm().memOp(KvmS390MemOp.absolute(KVM_S390_MEMOP_ABSOLUTE_READ, 0x2000, 64, buf));
                g.mm().munmap(buf);
            } else {
                name = "KVM_PV_INFO";
                g.pv(KVM_PV_INFO, new KvmS390PvInfo.Header(KVM_PV_INFO_VM, 80, 0).encode());
            }
            count(name + " OK");
        } catch (KvmException e) {
            assertThat(EnumSet.of(Errno.EINVAL, Errno.EIO, Errno.EEXIST, Errno.EFAULT, Errno.EAGAIN))
                    .as(e.getMessage()).contains(e.errno());
            count(name + " " + e.errno());
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private void count(String key) {
        outcomes.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    private void checkAgreement(List<KvmFixture.Guest> guests) {
        Set<Long> protectedHandles = new HashSet<>();
        for (KvmFixture.Guest g : guests) {
            KvmVm vm = g.vm();
            vm.lock.lock();
            try {
                boolean p = vm.pv.isProtected();
                if (p) {
                    protectedHandles.add(vm.pv.handle());
                }
                for (KvmVcpu v : vm.vcpus) {
                    v.lock.lock();
                    try {
                        if (v.isProtected()) {
                            assertThat(p).as("a secure vCPU in a non-protected VM").isTrue();
                            assertThat(f.liveCpus).as("vCPU %d is secure in the UV", v.id).containsEntry(v.pvHandle, vm.pv.handle());
                        }
                    } finally {
                        v.lock.unlock();
                    }
                }
            } finally {
                vm.lock.unlock();
            }
        }
        assertThat(f.liveConfigs.keySet()).as("UV configurations == protected VMs").isEqualTo(protectedHandles);
        assertThat(f.liveConfigs.keySet()).as("no secure CPU without its configuration")
                .containsAll(new HashSet<>(f.liveCpus.values()));
        f.assertDonationBalanced();
    }
}
