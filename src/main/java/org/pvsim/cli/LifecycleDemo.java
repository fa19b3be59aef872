package org.pvsim.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.pvsim.image.SeImage;
import org.pvsim.image.SeImageReader;
import org.pvsim.kvm.Kvm;
import org.pvsim.kvm.KvmException;
import org.pvsim.kvm.KvmPvCmd;
import org.pvsim.kvm.KvmS390PvSecParm;
import org.pvsim.kvm.KvmS390PvUnp;
import org.pvsim.kvm.KvmStats;
import org.pvsim.kvm.KvmUapi;
import org.pvsim.kvm.KvmUserspaceMemoryRegion;
import org.pvsim.kvm.KvmVcpu;
import org.pvsim.kvm.KvmVm;
import org.pvsim.kvm.UserMemory;
import org.pvsim.machine.SimulatedMachine;
import org.pvsim.machine.uv.trace.UvCallEvent;
import org.pvsim.se.Ipib;
import org.pvsim.se.Pem;

/**
 * The protected-VM lifecycle on a simulated machine, driven through the KVM API as QEMU drives it: a VM with
 * memory and two vCPUs, ENABLE, SET_SEC_PARMS with the image's SE header, UNPACK of every IPIB component,
 * VERIFY, a vCPU hot-plugged afterwards, the host trying to read guest memory, the same image with one byte
 * flipped, DISABLE, and a table of every UV call made.
 */
public final class LifecycleDemo {
    private static final long MIB = 1L << 20;
    private static final long STORAGE = 4L << 30;

    private LifecycleDemo() {
    }

    /** One UV call kind: how often, and which rc/rrc pairs it answered. */
    private record Tally(Map<String, Integer> results) {
    }

    public static void run(PrintWriter out, Path imagePath, Path hostKeyPem) throws IOException {
        ECPrivateKey hostKey = Pem.readPrivateKey(Files.readAllBytes(hostKeyPem));
        SeImage image = SeImageReader.read(imagePath);
        byte[] imageBytes = Files.readAllBytes(imagePath);
        Ipib ipib = image.ipib();

        SimulatedMachine machine = SimulatedMachine.create(STORAGE, List.of(hostKey));
        Map<String, Tally> calls = new ConcurrentHashMap<>();
        machine.addUvListener(e -> tally(calls, e));
        Kvm kvm = Kvm.boot(machine.hostStorage(), machine.uvc());
        out.printf("host booted: KVM_CAP_S390_PROTECTED=%d, PROTECTED_DUMP=%d, PROTECTED_ASYNC_DISABLE=%d%n",
                kvm.checkExtension(KvmUapi.KVM_CAP_S390_PROTECTED), kvm.checkExtension(KvmUapi.KVM_CAP_S390_PROTECTED_DUMP),
                kvm.checkExtension(KvmUapi.KVM_CAP_S390_PROTECTED_ASYNC_DISABLE));
        if (kvm.checkExtension(KvmUapi.KVM_CAP_S390_PROTECTED) == 0) {
            throw new IllegalStateException("the simulated host could not initialise its Ultravisor");
        }
        long memSize = Math.max(16 * MIB, (imageBytes.length + 2 * MIB - 1) & -MIB);

        // ---- the guest, booted as QEMU does on diag 308 subcode 10
        Guest g = new Guest(kvm, memSize, 2);
        out.printf("VM created: %d MiB of memory in slot 0, vCPUs 0 and 1%n", memSize / MIB);
        g.mm.write(g.mem, imageBytes); // the IPL: the image, still encrypted, in guest memory
        g.pv(out, KvmUapi.KVM_PV_ENABLE, 0);
        byte[] header = g.mm.read(g.mem + ipib.headerAddress(), (int) ipib.headerSize());
        g.pv(out, KvmUapi.KVM_PV_SET_SEC_PARMS, g.mm.put(new KvmS390PvSecParm(g.mm.put(header), header.length).encode()));
        for (Ipib.Component c : ipib.components()) {
            KvmS390PvUnp unp = new KvmS390PvUnp(c.address(), (c.length() + 0xfff) & ~0xfffL, c.tweakPrefix());
            g.vm.pvCommand(KvmPvCmd.of(KvmUapi.KVM_PV_UNPACK, g.mm.put(unp.encode())));
            out.printf("  KVM_PV_UNPACK 0x%08x + 0x%x (tweak 0x%016x): ok%n", c.address(), unp.size(), c.tweakPrefix());
        }
        g.pv(out, KvmUapi.KVM_PV_VERIFY, 0);
        KvmVcpu hot = g.vm.createVcpu(2);
        out.printf("vCPU 2 hot-plugged after ENABLE: protected=%s%n", hot.isProtectedNow());
        g.vm.vcpus().get(0).setMpState(KvmUapi.KVM_MP_STATE_LOAD);
        out.println("vCPU 0 set to KVM_MP_STATE_LOAD (the UV loads the PSW from the SE header)");

        // ---- the host looks at guest memory
        Ipib.Component first = ipib.components().get(0);
        byte[] seen = g.mm.read(g.mem + first.address(), 32);
        byte[] written = java.util.Arrays.copyOfRange(imageBytes, (int) first.address(), (int) first.address() + 32);
        out.printf("host reads guest 0x%08x: %s%n", first.address(), HexFormat.of().formatHex(seen));
        out.printf("  the image had there:      %s%n", HexFormat.of().formatHex(written));
        out.println("  the page was secure: KVM exported it (CONV_FROM_SEC_STOR), the host sees the UV's ciphertext,");
        out.println("  neither the plaintext nor the image's own ciphertext");

        // ---- the same image with one byte flipped
        Guest bad = new Guest(kvm, memSize, 1);
        byte[] tampered = imageBytes.clone();
        long flipAt = first.address() + 0x100;
        tampered[(int) flipAt] ^= 0x01;
        bad.mm.write(bad.mem, tampered);
        out.printf("second VM, same image with the byte at 0x%x flipped:%n", flipAt);
        try {
            bad.pv(out, KvmUapi.KVM_PV_ENABLE, 0);
            bad.pv(out, KvmUapi.KVM_PV_SET_SEC_PARMS,
                    bad.mm.put(new KvmS390PvSecParm(bad.mm.put(header), header.length).encode()));
            for (Ipib.Component c : ipib.components()) {
                KvmS390PvUnp unp = new KvmS390PvUnp(c.address(), (c.length() + 0xfff) & ~0xfffL, c.tweakPrefix());
                bad.vm.pvCommand(KvmPvCmd.of(KvmUapi.KVM_PV_UNPACK, bad.mm.put(unp.encode())));
            }
            bad.pv(out, KvmUapi.KVM_PV_VERIFY, 0);
            out.println("  NOT refused: the flipped byte went unnoticed");
        } catch (KvmException e) {
            out.printf("  refused: errno %s (%d), UV rc 0x%04x rrc 0x%04x%n  %s%n", e.errno(), e.errno().number(),
                    e.rc(), e.rrc(), e.getMessage());
        }
        out.println("both VMs end protection and close:");
        bad.disable(out, "second VM (tampered)");
        bad.vm.destroy();
        g.disable(out, "first VM");
        g.vm.destroy();

        KvmStats s = kvm.stats();
        out.printf("storage: donated %d KiB, given back %d KiB, leaked %d KiB%n", s.donatedBytes() / 1024,
                s.reclaimedBytes() / 1024, s.totalLeaked() / 1024);
        out.println();
        out.printf("%-22s %6s  %s%n", "UV call", "count", "results (rc/rrc x count)");
        for (Map.Entry<String, Tally> e : new TreeMap<>(calls).entrySet()) {
            int n = e.getValue().results().values().stream().mapToInt(Integer::intValue).sum();
            out.printf("%-22s %6d  %s%n", e.getKey(), n, new TreeMap<>(e.getValue().results()));
        }
        explainExpectedFailures(out, calls);
        out.flush();
    }

    /**
     * The UV calls in the table that did not answer rc 1 although nothing went wrong: KVM makes them as
     * Linux does, and Linux expects these answers (arch/s390/kernel/uv.c, arch/s390/kvm/pv.c).
     */
    private static void explainExpectedFailures(PrintWriter out, Map<String, Tally> calls) {
        Tally destroy = calls.get("DESTR_SEC_STOR");
        if (destroy != null && destroy.results().containsKey("0x0107/0x000d")) {
            out.println("DESTR_SEC_STOR 0x0107/0x000d: after DESTROY_SEC_CONF, which made every guest page non-secure, KVM still"
                    + " destroys each page it flagged as possibly secure (Linux's s390_uv_destroy_range); \"not secure\" is"
                    + " older firmware's answer, which Linux's uv_destroy_page takes as done");
        }
        Tally pin = calls.get("PIN_PAGE_SHARED");
        if (pin != null && pin.results().containsKey("0x0102/0x0000")) {
            out.println("PIN_PAGE_SHARED 0x0102: the host's read of a secure page first tries to pin it shared (Linux's"
                    + " arch_make_page_accessible), which the UV refuses for a page the guest did not share; KVM then"
                    + " exports it (CONV_FROM_SEC_STOR)");
        }
    }

    private static void tally(Map<String, Tally> calls, UvCallEvent e) {
        Tally t = calls.computeIfAbsent(e.name(), k -> new Tally(new ConcurrentHashMap<>()));
        t.results().merge(String.format("0x%04x/0x%04x", e.rc(), e.rrc()), 1, Integer::sum);
    }

    /** A VM with its memory. */
    private static final class Guest {
        final KvmVm vm;
        final UserMemory mm;
        final long mem;

        Guest(Kvm kvm, long size, int cpus) {
            vm = kvm.createVm();
            mm = kvm.mm();
            mem = mm.mmap(size);
            vm.setUserMemoryRegion(new KvmUserspaceMemoryRegion(0, 0, 0, size, mem));
            for (int i = 0; i < cpus; i++) {
                vm.createVcpu(i);
            }
        }

        /** KVM_PV_DISABLE, reported with the VM's name (the two VMs' lines come one after the other). */
        void disable(PrintWriter out, String name) {
            KvmPvCmd r = vm.pvCommand(KvmPvCmd.of(KvmUapi.KVM_PV_DISABLE, 0));
            out.printf("  %-22s KVM_PV_DISABLE ok (rc 0x%04x rrc 0x%04x)%n", name + ":", r.rc(), r.rrc());
        }

        void pv(PrintWriter out, int cmd, long data) {
            KvmPvCmd r = vm.pvCommand(KvmPvCmd.of(cmd, data));
            out.printf("  %-22s ok (rc 0x%04x rrc 0x%04x)%n", KvmUapi.pvCommandName(cmd), r.rc(), r.rrc());
        }
    }
}
