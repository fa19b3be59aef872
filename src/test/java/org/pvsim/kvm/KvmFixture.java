package org.pvsim.kvm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.pvsim.machine.SimulatedMachine;
import org.pvsim.machine.uv.cb.UvCommand;
import org.pvsim.machine.uv.trace.UvCallEvent;
import org.pvsim.se.Ipib;

/**
 * A booted host on a simulated machine, with a UV call trace (the only way the tests learn what the UV
 * did), and helpers that drive the lifecycle the way QEMU does.
 */
final class KvmFixture {
    static final long MIB = 1L << 20;

    final SimulatedMachine machine;
    final Kvm kvm;
    final List<UvCallEvent> trace = java.util.Collections.synchronizedList(new ArrayList<>());
    /** Live secure configurations according to the trace (created minus destroyed). */
    final Map<Long, Boolean> liveConfigs = new ConcurrentHashMap<>();
    final Map<Long, Long> liveCpus = new ConcurrentHashMap<>(); // cpu handle -> config handle
    /** Storage each live UV object holds, from the CREATE blocks in the trace. */
    final Map<Long, Long> liveDonation = new ConcurrentHashMap<>();
    final AtomicLong failedCalls = new AtomicLong();
    volatile boolean recordTrace = true;

    KvmFixture() {
        this(4L << 30, Kvm.Options.defaults());
    }

    KvmFixture(long storage, Kvm.Options options) {
        machine = SimulatedMachine.create(storage, List.of(TestImage.hostKey()));
        machine.addUvListener(this::onCall);
        kvm = Kvm.boot(machine.hostStorage(), machine.uvc(), options);
    }

    private void onCall(UvCallEvent e) {
        if (recordTrace) {
            trace.add(e);
        }
        if (e.cc() != 0 && e.cc() != 2 && e.cc() != 3) {
            failedCalls.incrementAndGet();
        }
        boolean created = e.cc() == 0 || (e.cc() == 1 && (e.rc() & 0x8000) != 0);
        if (e.command() == UvCommand.CREATE_SEC_CONF && created) {
            liveConfigs.put(e.handle(), true);
            var q = kvm == null ? null : kvm.uvInfo();
            long msl = ((org.pvsim.machine.uv.cb.CreateSecConf) e.block()).guestStorLen();
            long var = ((q.confVirtVarStorLen() * (msl >>> 20) + 0xfff) & ~0xfffL) + q.confBaseVirtStorLen();
            liveDonation.put(e.handle(), q.confBasePhysStorLen() + var);
        } else if ((e.command() == UvCommand.DESTROY_SEC_CONF || e.command() == UvCommand.DESTROY_SEC_CONF_FAST)
                && e.cc() == 0) {
            liveConfigs.remove(e.handle());
            liveDonation.remove(e.handle());
        } else if (e.command() == UvCommand.CREATE_SEC_CPU && e.cc() == 0) {
            liveCpus.put(e.handle(), ((org.pvsim.machine.uv.cb.CreateSecCpu) e.block()).guestHandle());
            liveDonation.put(e.handle(), kvm.uvInfo().cpuStorLen());
        } else if (e.command() == UvCommand.DESTROY_SEC_CPU && e.cc() == 0) {
            liveCpus.remove(e.handle());
            liveDonation.remove(e.handle());
        }
    }

    /** Donated storage the UV holds according to the trace (INIT's base storage not included). */
    long uvHeldDonation() {
        return liveDonation.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The accounting invariant: what the UV holds is what the host still expects back, or has written off. */
    void assertDonationBalanced() {
        KvmStats s = kvm.stats();
        org.assertj.core.api.Assertions.assertThat(s.outstandingDonation() + s.leakedDonation())
                .as("outstanding %d + leaked %d vs UV-held %d", s.outstandingDonation(), s.leakedDonation(), uvHeldDonation())
                .isEqualTo(uvHeldDonation());
        org.assertj.core.api.Assertions.assertThat(s.bytesInUse().get(HostFrameAllocator.Use.UV_DONATION))
                .isEqualTo(kvm.uvInfo().uvBaseStorLen() + s.outstandingDonation() + s.leakedDonation());
    }

    List<UvCallEvent> calls(UvCommand c) {
        synchronized (trace) {
            return trace.stream().filter(e -> e.command() == c).toList();
        }
    }

    /** A VM with {@code mib} MiB of guest memory at guest address 0 and {@code cpus} vCPUs. */
    Guest guest(long mib, int cpus) {
        KvmVm vm = kvm.createVm();
        long mem = kvm.mm().mmap(mib * MIB);
        vm.setUserMemoryRegion(new KvmUserspaceMemoryRegion(0, 0, 0, mib * MIB, mem));
        for (int i = 0; i < cpus; i++) {
            vm.createVcpu(i);
        }
        return new Guest(this, vm, mem);
    }

    /** A VM and the user memory backing its guest memory. */
    record Guest(KvmFixture f, KvmVm vm, long mem) {
        UserMemory mm() {
            return f.kvm.mm();
        }

        KvmPvCmd pv(int cmd) {
            return vm.pvCommand(KvmPvCmd.of(cmd));
        }

        KvmPvCmd pv(int cmd, byte[] struct) {
            return vm.pvCommand(KvmPvCmd.of(cmd, mm().put(struct)));
        }

        /** The IPL: the whole image file written into guest memory at 0 by the VMM. */
        void loadImage(byte[] image) {
            mm().write(mem, image);
        }

        KvmPvCmd setSecParms(byte[] header) {
            long h = mm().put(header);
            return pv(KvmUapi.KVM_PV_SET_SEC_PARMS, new KvmS390PvSecParm(h, header.length).encode());
        }

        KvmPvCmd unpack(long addr, long size, long tweak) {
            return pv(KvmUapi.KVM_PV_UNPACK, new KvmS390PvUnp(addr, size, tweak).encode());
        }

        void unpackAll(Ipib ipib) {
            for (Ipib.Component c : ipib.components()) {
                unpack(c.address(), (c.length() + 0xfff) & ~0xfffL, c.tweakPrefix());
            }
        }

        /** ENABLE, SET_SEC_PARMS, UNPACK of every component, VERIFY with the test image. */
        void boot() {
            boot(TestImage.BYTES, TestImage.IMAGE);
        }

        void boot(byte[] bytes, org.pvsim.image.SeImage image) {
            loadImage(bytes);
            pv(KvmUapi.KVM_PV_ENABLE);
            setSecParms(image.header().bytes());
            unpackAll(image.ipib());
            pv(KvmUapi.KVM_PV_VERIFY);
        }
    }
}
