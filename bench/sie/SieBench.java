import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.List;
import org.pvsim.image.BootLoaderBlobs;
import org.pvsim.image.ImageRandomness;
import org.pvsim.image.ImageSpec;
import org.pvsim.image.SeImage;
import org.pvsim.image.SeImageBuilder;
import org.pvsim.image.SeImageReader;
import org.pvsim.kvm.Kvm;
import org.pvsim.kvm.KvmException;
import org.pvsim.kvm.KvmPvCmd;
import org.pvsim.kvm.KvmRun;
import org.pvsim.kvm.KvmS390PvSecParm;
import org.pvsim.kvm.KvmS390PvUnp;
import org.pvsim.kvm.KvmUapi;
import org.pvsim.kvm.KvmUserspaceMemoryRegion;
import org.pvsim.kvm.KvmVcpu;
import org.pvsim.kvm.KvmVm;
import org.pvsim.machine.Lpar;
import org.pvsim.machine.SimulatedMachine;
import org.pvsim.se.P521;

/**
 * SIE: entries+exits per second of a guest that does diag 0x44 in a loop (KVM resumes it in the kernel),
 * normal and protected; and guest MIPS of the benchmark loop (guests/tests/loop.S) run as a normal guest
 * through KVM_RUN against the same loop on the machine's own CPU, measured in the same run (target ratio
 * >= 0.8). Usage: bench/sie/run [seconds-per-phase]
 */
public class SieBench {
    static final long MEM = 64L << 20;
    /** diag 0,0,0x44 ; j .-4 */
    static final byte[] DIAG44_LOOP = {(byte) 0x83, 0, 0, 0x44, (byte) 0xa7, (byte) 0xf4, (byte) 0xff, (byte) 0xfe};

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        KeyPair host = P521.generate(new SecureRandom());
        List<ECPrivateKey> keys = List.of((ECPrivateKey) host.getPrivate());

        byte[] loop = resource("/guests/tests/loop.bin");
        long iterations = 100_000_000;
        ByteBuffer.wrap(loop).putLong(0x1f00, iterations);
        double nativeIps = 0;
        for (int i = 0; i < 2; i++) { // the first pass warms up the JIT
            double[] nat = nativeLoop(loop);
            double[] sie = sieLoop(keys, loop);
            nativeIps = nat[0] / nat[1];
            if (i == 1) {
                System.out.printf("tight loop, machine CPU:   %,.0f instructions in %.3f s = %.1f MIPS%n", nat[0], nat[1], nat[0] / nat[1] / 1e6);
                System.out.printf("tight loop, guest on SIE:  %,.0f instructions in %.3f s = %.1f MIPS%n", nat[0], sie[1], nat[0] / sie[1] / 1e6);
                System.out.printf("ratio SIE / native: %.2f (target >= 0.8)%n", nat[1] / sie[1]);
            }
        }
        double normal = diagLoopNormal(keys, seconds);
        double protectedGuest = diagLoopProtected(host, keys, seconds);
        // A round trip's cost in the currency a guest author thinks in: bare guest instructions forgone.
        System.out.printf("diag 0x44 loop, normal guest:    %,.0f SIE entries+exits per second = one per %,.0f instructions of bare guest execution%n",
                normal, nativeIps / normal);
        System.out.printf("diag 0x44 loop, protected guest: %,.0f SIE entries+exits per second = one per %,.0f instructions of bare guest execution%n",
                protectedGuest, nativeIps / protectedGuest);
        System.out.printf("ratio protected / normal round trips: %.2f%n", protectedGuest / normal);
    }

    static byte[] resource(String name) throws Exception {
        try (InputStream in = SieBench.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " missing: run from the project with target/classes");
            }
            return in.readAllBytes();
        }
    }

    /** {instructions, seconds} of the loop on the machine's CPU (translated, real clocks). */
    static double[] nativeLoop(byte[] image) {
        Lpar m = Lpar.ipl(new Lpar.Options(MEM, 1, false, false, true), image, "loop", s -> { });
        long t0 = System.nanoTime();
        Lpar.Outcome r = m.run(Long.MAX_VALUE, Long.MAX_VALUE);
        double s = (System.nanoTime() - t0) / 1e9;
        if (!r.success()) {
            throw new IllegalStateException("loop did not end cleanly: " + r.detail());
        }
        return new double[] {r.instructions(), s};
    }

    record Guest(Kvm kvm, KvmVm vm, KvmVcpu vcpu, long mem) {
    }

    static Guest guest(List<ECPrivateKey> keys, byte[] image) {
        Kvm kvm = Kvm.boot(SimulatedMachine.create(4L << 30, keys), Kvm.Options.defaults());
        KvmVm vm = kvm.createVm();
        long mem = kvm.mm().mmap(MEM);
        vm.setUserMemoryRegion(new KvmUserspaceMemoryRegion(0, 0, 0, MEM, mem));
        KvmVcpu vcpu = vm.createVcpu(0);
        kvm.mm().write(mem, image);
        return new Guest(kvm, vm, vcpu, mem);
    }

    /** {0, seconds} of the same loop run as a normal guest through KVM_RUN until its disabled wait. */
    static double[] sieLoop(List<ECPrivateKey> keys, byte[] image) {
        Guest g = guest(keys, image);
        KvmRun run = new KvmRun();
        long psw = ByteBuffer.wrap(image).getLong(0);
        run.pswMask = psw & 0xfff7ffff80000000L;
        run.pswAddr = psw & 0x7fffffffL;
        long t0 = System.nanoTime();
        g.vcpu().run(run);
        double s = (System.nanoTime() - t0) / 1e9;
        if (run.icptcode != 0x1c || (run.pswAddr & 0xfff) != 0xfff) {
            throw new IllegalStateException(String.format("loop under SIE ended with icpt 0x%x at 0x%x", run.icptcode, run.pswAddr));
        }
        return new double[] {0, s};
    }

    static double diagLoopNormal(List<ECPrivateKey> keys, double seconds) {
        byte[] image = new byte[0x10010];
        System.arraycopy(DIAG44_LOOP, 0, image, 0x10000, DIAG44_LOOP.length);
        Guest g = guest(keys, image);
        KvmRun run = new KvmRun();
        run.pswMask = 0x0000000180000000L;
        run.pswAddr = 0x10000;
        g.vcpu().setMpState(KvmUapi.KVM_MP_STATE_OPERATING);
        return exitsPerSecond(g, run, seconds);
    }

    static double diagLoopProtected(KeyPair host, List<ECPrivateKey> keys, double seconds) throws Exception {
        Path dir = Files.createTempDirectory("pvsim-sie-bench");
        try {
            byte[] kernel = new byte[0x11000];
            ByteBuffer.wrap(kernel).putLong(0, 0x0008000180010000L); // short PSW: 64-bit, at 0x10000
            ByteBuffer.wrap(kernel).putLong(0x10430, 896); // the command line size a kernel accepts
            System.arraycopy(DIAG44_LOOP, 0, kernel, 0x10000, DIAG44_LOOP.length);
            System.arraycopy("S390EP".getBytes(), 0, kernel, 0x10008, 6);
            Path k = Files.write(dir.resolve("kernel"), kernel);
            Path out = dir.resolve("loop.img");
            new SeImageBuilder(BootLoaderBlobs.standard(), ImageRandomness.secure(), null).create(new ImageSpec(k, null, null,
                    List.of((ECPublicKey) host.getPublic()), ImageSpec.DEFAULT_PCF, 0, null, null, null, null, true), out, false);
            byte[] bytes = Files.readAllBytes(out);
            SeImage image = SeImageReader.read(out);
            Guest g = guest(keys, bytes);
            KvmVm vm = g.vm();
            vm.pvCommand(KvmPvCmd.of(KvmUapi.KVM_PV_ENABLE));
            byte[] hdr = image.header().bytes();
            vm.pvCommand(KvmPvCmd.of(KvmUapi.KVM_PV_SET_SEC_PARMS,
                    g.kvm().mm().put(new KvmS390PvSecParm(g.kvm().mm().put(hdr), hdr.length).encode())));
            for (var c : image.ipib().components()) {
                vm.pvCommand(KvmPvCmd.of(KvmUapi.KVM_PV_UNPACK, g.kvm().mm().put(
                        new KvmS390PvUnp(c.address(), (c.length() + 0xfff) & ~0xfffL, c.tweakPrefix()).encode())));
            }
            vm.pvCommand(KvmPvCmd.of(KvmUapi.KVM_PV_VERIFY));
            g.vcpu().setMpState(KvmUapi.KVM_MP_STATE_LOAD);
            g.vcpu().setMpState(KvmUapi.KVM_MP_STATE_OPERATING);
            return exitsPerSecond(g, new KvmRun(), seconds);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }

    /** Runs the vCPU for a warm-up and then {@code seconds}, each ended by a kick from another thread. */
    static double exitsPerSecond(Guest g, KvmRun run, double seconds) {
        runFor(g, run, Math.min(1, seconds));
        long before = g.kvm().stats().event("exit_0x04") + g.kvm().stats().event("exit_0x6c");
        long t0 = System.nanoTime();
        runFor(g, run, seconds);
        double s = (System.nanoTime() - t0) / 1e9;
        long exits = g.kvm().stats().event("exit_0x04") + g.kvm().stats().event("exit_0x6c") - before;
        return exits / s;
    }

    static void runFor(Guest g, KvmRun run, double seconds) {
        Thread kicker = new Thread(() -> {
            try {
                Thread.sleep((long) (seconds * 1000));
            } catch (InterruptedException e) {
                return;
            }
            g.vcpu().kick();
        });
        kicker.start();
        try {
            g.vcpu().run(run);
            throw new IllegalStateException(String.format("the diag loop left KVM_RUN: icpt 0x%x", run.icptcode));
        } catch (KvmException e) {
            if (run.exitReason != KvmRun.KVM_EXIT_INTR) {
                throw e;
            }
        }
    }
}
