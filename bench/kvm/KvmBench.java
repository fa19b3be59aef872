import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.pvsim.kvm.Kvm;
import org.pvsim.kvm.KvmPvCmd;
import org.pvsim.kvm.KvmS390PvSecParm;
import org.pvsim.kvm.KvmS390PvUnp;
import org.pvsim.kvm.KvmUapi;
import org.pvsim.kvm.KvmUserspaceMemoryRegion;
import org.pvsim.kvm.KvmVm;
import org.pvsim.kvm.UserMemory;
import org.pvsim.machine.SimulatedMachine;
import org.pvsim.machine.storage.HostStorage;
import org.pvsim.machine.uv.cb.CreateSecConf;
import org.pvsim.machine.uv.cb.CreateSecCpu;
import org.pvsim.machine.uv.cb.InitUv;
import org.pvsim.machine.uv.cb.NoData;
import org.pvsim.machine.uv.cb.QueryUvInfo;
import org.pvsim.machine.uv.cb.SetSecConfParams;
import org.pvsim.machine.uv.cb.Unpack;
import org.pvsim.machine.uv.cb.UvCaller;
import org.pvsim.machine.uv.cb.UvCommand;
import org.pvsim.se.P521;
import org.pvsim.se.PageDigests;
import org.pvsim.se.SeHeader;
import org.pvsim.se.SeHeaderBuilder;
import org.pvsim.se.SeHeaderSecrets;
import org.pvsim.se.Tweak;
import org.pvsim.se.Xts;

/**
 * Full protected-VM lifecycles per second through the KVM API, single-threaded and with two threads, and
 * the same sequence of UV calls issued directly by a bare host (no KVM: fixed storage, prebuilt tables) as
 * the reference measured in the same run. The ratio is KVM's overhead; the UV's own time per call kind
 * (from the UV call events) says where the time goes. Target: >= 10,000 lifecycles/s single-threaded.
 */
public class KvmBench {
    static final long GADDR = 0x10000;
    static final long PREFIX = Tweak.prefix(0, new byte[] {1, 2, 3, 4, 5, 6});

    /** Whether the UV call listener accounts calls for the breakdown. */
    static volatile boolean breakdown;

    record Image(byte[] header, byte[] page) {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        KeyPair host = P521.generate(new SecureRandom());
        Image img = image((ECPublicKey) host.getPublic());
        SimulatedMachine m = SimulatedMachine.create(4L << 30, List.of((ECPrivateKey) host.getPrivate()));
        Map<UvCommand, LongAdder> uvNanos = new ConcurrentHashMap<>();
        Map<UvCommand, LongAdder> uvCount = new ConcurrentHashMap<>();
        m.addUvListener(e -> {
            // only while the one-thread phase runs: shared adders updated on every call of two threads are
            // contention the bench would add to what it measures
            if (e.command() != null && breakdown) {
                uvNanos.computeIfAbsent(e.command(), k -> new LongAdder()).add(e.durationNanos());
                uvCount.computeIfAbsent(e.command(), k -> new LongAdder()).increment();
            }
        });
        Kvm kvm = Kvm.boot(m.hostStorage(), m.uvc());
        System.out.printf("KVM lifecycle bench: %.1f s per phase, %d CPUs, load average %.2f%n", seconds,
                Runtime.getRuntime().availableProcessors(), loadAverage());

        run("warm-up", seconds, 1, () -> lifecycle(kvm, img));
        reference("warm-up", m, img, seconds, 1, true);
        reference("warm-up", m, img, seconds, 2, true);
        run("warm-up", seconds, 2, () -> lifecycle(kvm, img));
        run("warm-up", seconds, 1, () -> leanLifecycle(kvm));
        reference("warm-up", m, img, seconds, 1, false);
        breakdown = true;
        double one = run("KVM, 1 thread", seconds, 1, () -> lifecycle(kvm, img));
        breakdown = false;
        Map<UvCommand, Long> nanos1 = snapshot(uvNanos);
        Map<UvCommand, Long> count1 = snapshot(uvCount);
        double ref = reference("bare UV calls, 1 thread (reference)", m, img, seconds, 1, true);
        double ref2 = reference("bare UV calls, 2 threads", m, img, seconds, 2, true);
        // without the image calls (whose cost is the UV's crypto), KVM's own share is visible
        double lean = run("KVM without image calls, 1 thread", seconds, 1, () -> leanLifecycle(kvm));
        double leanRef = reference("bare UV without image calls", m, img, seconds, 1, false);
        System.out.printf("ratio KVM/bare UV without image calls: %.2f%n", lean / leanRef);
        System.out.printf("ratio KVM/bare UV (1 thread): %.2f; target 10,000/s: %s%n", one / ref,
                one >= 10_000 ? "met" : "NOT met");
        System.out.printf("ratio bare UV 2 threads/1 thread (unpinned): %.2f%n", ref2 / ref);
        scaling(seconds, () -> lifecycle(kvm, img));
        System.out.printf("load average at the end: %.2f (the machine is shared: two threads only scale with a"
                + " free CPU; the CPU time per lifecycle above shows the cost that does not depend on the load)%n",
                loadAverage());

        long totalUv = nanos1.values().stream().mapToLong(Long::longValue).sum();
        long lifecycles = count1.getOrDefault(UvCommand.CREATE_SEC_CONF, 1L);
        double perLifecycleUs = 1e6 / one;
        System.out.printf("%nwhere the time goes (1 thread, %.1f us per lifecycle):%n", perLifecycleUs);
        System.out.printf("  %-22s %8s %12s %8s%n", "UV call", "calls/lc", "us/lifecycle", "share");
        for (Map.Entry<UvCommand, Long> e : new TreeMap<>(nanos1).entrySet()) {
            double us = e.getValue() / 1e3 / lifecycles;
            System.out.printf("  %-22s %8.1f %12.1f %7.1f%%%n", e.getKey(), count1.get(e.getKey()) / (double) lifecycles,
                    us, 100 * us / perLifecycleUs);
        }
        double uvUs = totalUv / 1e3 / lifecycles;
        System.out.printf("  %-22s %8s %12.1f %7.1f%%%n", "all UV calls", "", uvUs, 100 * uvUs / perLifecycleUs);
        System.out.printf("  %-22s %8s %12.1f %7.1f%%%n", "KVM (kernel side)", "", perLifecycleUs - uvUs,
                100 * (perLifecycleUs - uvUs) / perLifecycleUs);
    }

    /**
     * The 2-thread / 1-thread ratio, three times, the median the result. A cloud machine's CPUs need not be equal (one
     * may share its physical core with another tenant's busy thread, for minutes at a time; 40% slower was seen), so
     * one thread runs pinned to each CPU in turn (taskset) and two threads are compared with the faster: a ratio
     * against a thread that happened to run on the slow CPU would flatter. The sum of the single-CPU rates over the
     * faster is what two threads could reach at best on this machine at that moment.
     */
    static void scaling(double seconds, Runnable lifecycle) throws Exception {
        List<Integer> cpus = allowedCpus();
        if (cpus.size() < 2 || !pin(cpus)) {
            System.out.println("ratio 2 threads/1 thread: not measured per CPU (needs taskset and 2 CPUs); unpinned:");
            cpus = List.of();
        }
        double[] ratios = new double[3];
        double[] bounds = new double[3];
        for (int p = 0; p < ratios.length; p++) {
            double fastest = 0;
            double sum = 0;
            for (int c : cpus) {
                pin(List.of(c));
                double r = run("KVM, 1 thread on CPU " + c, seconds, 1, lifecycle);
                fastest = Math.max(fastest, r);
                sum += r;
            }
            if (cpus.isEmpty()) {
                fastest = sum = run("KVM, 1 thread", seconds, 1, lifecycle);
            } else {
                pin(cpus);
            }
            ratios[p] = run("KVM, 2 threads", seconds, 2, lifecycle) / fastest;
            bounds[p] = cpus.isEmpty() ? Double.NaN : sum / fastest;
        }
        double[] sorted = ratios.clone();
        java.util.Arrays.sort(sorted);
        System.out.printf("ratio 2 threads/1 thread on the faster CPU: KVM %.2f (median of %.2f, %.2f, %.2f; target >= 1.6);"
                + " the CPUs' sum over the faster, the best two threads could do: %.2f, %.2f, %.2f%n", sorted[1],
                ratios[0], ratios[1], ratios[2], bounds[0], bounds[1], bounds[2]);
    }

    /** The CPUs this process may run on (its affinity when started). */
    static List<Integer> allowedCpus() throws Exception {
        String out = command("taskset", "-pc", Long.toString(ProcessHandle.current().pid()));
        List<Integer> cpus = new java.util.ArrayList<>();
        if (out == null) {
            return cpus;
        }
        for (String part : out.substring(out.indexOf(':') + 1).trim().split(",")) {
            String[] range = part.split("-");
            for (int c = Integer.parseInt(range[0]); c <= Integer.parseInt(range[range.length - 1]); c++) {
                cpus.add(c);
            }
        }
        return cpus;
    }

    /** Moves every thread of this process to {@code cpus} (threads started later inherit it); false if it cannot. */
    static boolean pin(List<Integer> cpus) throws Exception {
        String list = cpus.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
        return command("taskset", "-a", "-p", "-c", list, Long.toString(ProcessHandle.current().pid())) != null;
    }

    /** The command's output, or null if it cannot run or fails. */
    static String command(String... cmd) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            return p.waitFor() == 0 ? out : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    static Map<UvCommand, Long> snapshot(Map<UvCommand, LongAdder> m) {
        Map<UvCommand, Long> r = new TreeMap<>();
        m.forEach((k, v) -> r.put(k, v.sum()));
        return r;
    }

    /**
     * Runs {@code body} in {@code threads} threads for {@code seconds}; prints and returns lifecycles per
     * second, with the worker threads' CPU time per lifecycle (equal for one and two threads when nothing is
     * contended) and the process's (GC and JIT included), and the load average during the phase.
     */
    static double run(String what, double seconds, int threads, Runnable body) throws InterruptedException {
        return run(what, seconds, threads, t -> body);
    }

    /** As above, with a body per thread ({@code bodies.apply(i)} for thread i). */
    static double run(String what, double seconds, int threads, java.util.function.IntFunction<Runnable> bodies)
            throws InterruptedException {
        LongAdder n = new LongAdder();
        LongAdder cpuNanos = new LongAdder();
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Runnable[] body = new Runnable[threads];
        for (int i = 0; i < threads; i++) {
            body[i] = bodies.apply(i);
        }
        long process0 = processCpuNanos();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long t0 = System.nanoTime();
        Thread[] ts = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            Runnable b = body[i];
            ts[i] = new Thread(() -> {
                long c0 = mx.getCurrentThreadCpuTime();
                long done = 0; // counted here and added once: a shared counter per lifecycle is contention itself
                while (System.nanoTime() < end) {
                    b.run();
                    done++;
                }
                n.add(done);
                cpuNanos.add(mx.getCurrentThreadCpuTime() - c0);
            });
            ts[i].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        double rate = n.sum() / ((System.nanoTime() - t0) / 1e9);
        long process = processCpuNanos() - process0;
        System.out.printf("%-38s %10.0f lifecycles/s  %6.1f us CPU/lc (process %6.1f)  load %.2f%n", what, rate,
                cpuNanos.sum() / 1e3 / n.sum(), process / 1e3 / n.sum(), loadAverage());
        return rate;
    }

    static long processCpuNanos() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    /** create VM, 1 vCPU, 1 MiB, ENABLE, SET_SEC_PARMS, UNPACK one page, VERIFY, DISABLE, destroy. */
    static void lifecycle(Kvm kvm, Image img) {
        UserMemory mm = kvm.mm();
        KvmVm vm = kvm.createVm();
        long mem = mm.mmap(1 << 20);
        vm.setUserMemoryRegion(new KvmUserspaceMemoryRegion(0, 0, 0, 1 << 20, mem));
        vm.createVcpu(0);
        mm.write(mem + GADDR, img.page());
        long hdr = mm.put(img.header());
        long parm = mm.put(new KvmS390PvSecParm(hdr, img.header().length).encode());
        long unp = mm.put(new KvmS390PvUnp(GADDR, 4096, PREFIX).encode());
        vm.pvCommand(KvmPvCmd.of(KvmUapi.KVM_PV_ENABLE));
        vm.pvCommand(KvmPvCmd.of(KvmUapi.KVM_PV_SET_SEC_PARMS, parm));
        vm.pvCommand(KvmPvCmd.of(KvmUapi.KVM_PV_UNPACK, unp));
        vm.pvCommand(KvmPvCmd.of(KvmUapi.KVM_PV_VERIFY));
        vm.pvCommand(KvmPvCmd.of(KvmUapi.KVM_PV_DISABLE));
        vm.destroy();
        mm.munmap(mem);
        mm.munmap(hdr);
        mm.munmap(parm);
        mm.munmap(unp);
    }

    /** create VM, 1 vCPU, 1 MiB, ENABLE, DISABLE, destroy: the lifecycle without the image's crypto. */
    static void leanLifecycle(Kvm kvm) {
        UserMemory mm = kvm.mm();
        KvmVm vm = kvm.createVm();
        long mem = mm.mmap(1 << 20);
        vm.setUserMemoryRegion(new KvmUserspaceMemoryRegion(0, 0, 0, 1 << 20, mem));
        vm.createVcpu(0);
        vm.pvCommand(KvmPvCmd.of(KvmUapi.KVM_PV_ENABLE));
        vm.pvCommand(KvmPvCmd.of(KvmUapi.KVM_PV_DISABLE));
        vm.destroy();
        mm.munmap(mem);
    }

    /**
     * The same UV calls from a bare host: fixed donated storage, one prebuilt segment table, the page and
     * header written straight to storage. Uses storage from 3 GiB up, which KVM's allocator has not touched;
     * each thread has its own 16 MiB there (its own tables, so its configuration has its own ASCE).
     */
    static double reference(String what, SimulatedMachine m, Image img, double seconds, int threads,
            boolean withImage) throws InterruptedException {
        Runnable[] bodies = new Runnable[threads];
        for (int t = 0; t < threads; t++) {
            bodies[t] = bareLifecycle(m, img, (3L << 30) + t * (16L << 20), withImage);
        }
        return run(what, seconds, threads, t -> bodies[t]);
    }

    /** One bare host's lifecycle loop body over its own storage area at {@code area}. */
    static Runnable bareLifecycle(SimulatedMachine m, Image img, long area, boolean withImage) {
        HostStorage s = m.hostStorage();
        UvCaller host = new UvCaller(s, m.uvc(), area);
        QueryUvInfo q = host.call(QueryUvInfo.request()).cb();
        long tables = area + 0x10000;
        long pt = tables + 0x4000;
        long frame = area + 0x20000;
        for (int seg = 0; seg < 2048; seg++) {
            s.writeLong(tables + seg * 8L, seg == 0 ? pt : 0x20);
        }
        for (int p = 0; p < 256; p++) {
            s.writeLong(pt + p * 8L, p == GADDR >>> 12 ? frame : 0x400);
        }
        long asce = tables | 0x3 | 0x100;
        long base = area + 0x100000;
        long var = base + q.confBasePhysStorLen();
        long cpuStor = area + 0x200000;
        long sd = area + 0x210000;
        long sca = area + 0x220000;
        long hdr = area + 0x230000;
        s.write(hdr, img.header(), 0, img.header().length);
        return () -> {
            s.write(frame, img.page(), 0, 4096);
            long h = check(host.call(CreateSecConf.of(0, base, var, 0, 0, 1 << 20, sca, asce))).guestHandle();
            long c = check(host.call(CreateSecCpu.of(0, h, cpuStor, 0, sd))).cpuHandle();
            if (withImage) {
                check(host.call(SetSecConfParams.of(h, hdr, img.header().length)));
                check(host.call(Unpack.of(h, GADDR, PREFIX, 0)));
                check(host.call(NoData.of(UvCommand.VERIFY_IMG, h)));
            }
            check(host.call(NoData.of(UvCommand.DESTROY_SEC_CPU, c)));
            check(host.call(NoData.of(UvCommand.DESTROY_SEC_CONF, h)));
        };
    }

    static <T extends org.pvsim.machine.uv.cb.Uvcb> T check(UvCaller.Answer<T> a) {
        if (!a.ok()) {
            throw new IllegalStateException(a.cb().header().cmd() + " failed: " + a);
        }
        return a.cb();
    }

    /** A one-page SE image for the host key: its header and its encrypted page. */
    static Image image(ECPublicKey hostKey) {
        SecureRandom rnd = new SecureRandom();
        byte[] xtsKey = new byte[64];
        byte[] cck = new byte[32];
        byte[] hk = new byte[32];
        byte[] iv = new byte[12];
        rnd.nextBytes(xtsKey);
        rnd.nextBytes(cck);
        rnd.nextBytes(hk);
        rnd.nextBytes(iv);
        byte[] plain = new byte[4096];
        rnd.nextBytes(plain);
        byte[] enc = new byte[4096];
        byte[] tweak = Tweak.of(PREFIX, 0);
        new Xts(xtsKey).encryptPage(plain, 0, enc, 0, tweak);
        PageDigests d = new PageDigests();
        d.update(GADDR, tweak, enc, 0);
        SeHeader h = new SeHeaderBuilder(List.of(hostKey), P521.generate(rnd), hk, iv, d.pages(), 0xe0, d.pld(),
                d.ald(), d.tld(), new SeHeaderSecrets(cck, xtsKey, 0x0000000180000000L, GADDR, 0, 0)).build();
        return new Image(h.bytes(), enc);
    }
}
