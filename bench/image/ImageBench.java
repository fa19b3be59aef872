import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.pvsim.image.BootLoaderBlobs;
import org.pvsim.image.ImageRandomness;
import org.pvsim.image.ImageSpec;
import org.pvsim.image.SeImageBuilder;
import org.pvsim.image.SeImageVerifier;
import org.pvsim.se.P521;

/**
 * bench/image/run [MiB [DIR]]: creates an SE image from a random kernel (256 MiB by default) and verifies it, and measures in the same run the JDK's single-thread SHA-512 over the same amount, which bounds
 * both (every page is hashed once, in order). Prints MB/s, the ratios against SHA-512 (target >= 0.8) and the
 * heap growth of each step (target < 64 MiB). Then, from the same run, the whole-process figures as a user gets them:
 * {@code ./pvsim image create} and {@code image verify} of the same kernel, programs that only hash that kernel, and
 * the start-up of {@code ./pvsim --help} and {@code image info} on a small image, one process per command.
 *
 * <p>The files go to a temporary directory in DIR, by default /dev/shm where it exists: the reference (SHA-512
 * in memory) does no I/O, so a disk's write-back, which takes CPU from the hashing thread on a two-core
 * machine, would otherwise decide the ratio. Give a directory on disk to measure that case.
 */
public final class ImageBench {
    private static final int MIB = 1 << 20;
    private static final int ROUNDS = 5;
    private static final int WHOLE_PROCESS_ROUNDS = 5;

    private ImageBench() {
    }

    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        long size = (long) mib * MIB;
        Path base = args.length > 1 ? Path.of(args[1])
                : Files.isDirectory(Path.of("/dev/shm")) && Files.isWritable(Path.of("/dev/shm"))
                ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
        Path dir = Files.createTempDirectory(base, "pvsim-image-bench");
        try {
            run(dir, size);
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static void run(Path dir, long size) throws Exception {
        Path kernel = dir.resolve("kernel");
        writeRandom(kernel, size);
        KeyPair host = P521.generate(new SecureRandom());
        ImageSpec spec = new ImageSpec(kernel, null, null, List.of((ECPublicKey) host.getPublic()),
                ImageSpec.DEFAULT_PCF, 0, null, null, null, null, false);
        SeImageBuilder builder = new SeImageBuilder(BootLoaderBlobs.standard(), ImageRandomness.secure(), null);
        Path image = dir.resolve("se.img");

        // Warm up the JIT on all three paths with a smaller run.
        Path small = dir.resolve("warm");
        writeRandom(small, 32L * MIB);
        ImageSpec warm = new ImageSpec(small, null, null, spec.hostKeys(), spec.pcf(), 0, null, null, null, null, false);
        for (int i = 0; i < 2; i++) {
            builder.create(warm, image, true);
            SeImageVerifier.verify(image, (ECPrivateKey) host.getPrivate());
            sha512(32L * MIB);
        }

        // Interleaved rounds, best of each: the machine is shared, and the best run is the least disturbed one.
        double shaBest = 0;
        double create = 0;
        double verify = 0;
        long createHeap = 0;
        long verifyHeap = 0;
        for (int round = 0; round < ROUNDS; round++) {
            shaBest = Math.max(shaBest, mbPerSecond(size, timed(() -> sha512(size))));
            Heap h1 = Heap.start();
            create = Math.max(create, mbPerSecond(size, timed(() -> builder.create(spec, image, true))));
            createHeap = Math.max(createHeap, h1.growth());
            Heap h2 = Heap.start();
            verify = Math.max(verify, mbPerSecond(size,
                    timed(() -> SeImageVerifier.verify(image, (ECPrivateKey) host.getPrivate()))));
            verifyHeap = Math.max(verifyHeap, h2.growth());
        }

        System.out.printf("input            %d MiB random kernel in %s (%s), %d CPUs, load average %.1f%n",
                size / MIB, dir.getParent(), Files.getFileStore(dir).type(), Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.printf("JDK SHA-512      %8.1f MB/s (single thread)   best of %d interleaved rounds each%n",
                shaBest, ROUNDS);
        System.out.printf("image create     %8.1f MB/s   ratio %.2f  (target >= 0.80)   heap growth %5.1f MiB%n",
                create, create / shaBest, createHeap / (double) MIB);
        System.out.printf("image verify     %8.1f MB/s   ratio %.2f  (target >= 0.80)   heap growth %5.1f MiB%n",
                verify, verify / shaBest, verifyHeap / (double) MIB);
        boolean ok = create / shaBest >= 0.8 && verify / shaBest >= 0.8 && createHeap < 64L * MIB
                && verifyHeap < 64L * MIB;
        String root = System.getProperty("pvsim.root");
        if (root != null) {
            ok &= wholeProcess(Path.of(root, "pvsim"), dir, kernel, size, create, verify, shaBest);
        }
        System.out.println(ok ? "targets met" : "TARGETS NOT MET");
    }

    /**
     * The same jobs as a user runs them, one JVM per command through the ./pvsim launcher (start-up, class
     * loading and the JIT included): image create and verify of the same kernel, programs that only hash that kernel
     * (bench/image/HashFile.java as a bare JVM, and the native sha512sum and openssl where installed), and the start-up
     * of short commands. Every program runs once per round, rounds interleaved: a machine whose cores slow down for
     * seconds at a time (shared hosts do) then slows all of them alike, and each ratio is the median of the rounds'
     * own ratios. Every page of an image is hashed once, in order, so no hashing program does less than image create
     * or verify must. CPU time and peak RSS from /usr/bin/time where it exists.
     */
    private static boolean wholeProcess(Path pvsim, Path dir, Path kernel, long size, double create, double verify,
            double sha) throws Exception {
        String key = dir.resolve("host.key").toString();
        String crt = dir.resolve("host.crt").toString();
        Path img = dir.resolve("cli.img");
        Path small = dir.resolve("small-kernel");
        Files.write(small, new byte[64 * 1024]);
        run(pvsim, "hostkey", "create", "--key-out", key, "--cert-out", crt); // also builds the CDS archive if needed
        run(pvsim, "image", "create", "-i", small.toString(), "-k", crt, "--no-verify", "--no-component-check", "-o",
                dir.resolve("small.img").toString());
        String classes = System.getProperty("pvsim.hashfile");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<Job> hashers = List.of(
                new Job("JVM, JDK SHA-512", classes == null ? null : () -> run(java, "-XX:+UseSerialGC", "-cp", classes,
                        "HashFile", kernel.toString()), "not compiled (bench/image/run compiles bench/image/HashFile.java)"),
                hasher("sha512sum", List.of(), kernel),
                hasher("openssl dgst -sha512", List.of("dgst", "-sha512"), kernel));
        Job c = new Job("image create", () -> {
            Files.deleteIfExists(img);
            return run(pvsim, "image", "create", "-i", kernel.toString(), "-k", crt, "--no-verify",
                    "--no-component-check", "-o", img.toString());
        }, null);
        Job v = new Job("image verify", () -> run(pvsim, "image", "verify", "--host-key", key, img.toString()), null);
        Job jvm = new Job("java -version", () -> run(java, "-XX:+UseSerialGC", "-version"), null);
        Job help = new Job("--help", () -> run(pvsim, "--help"), null);
        Job info = new Job("image info", () -> run(pvsim, "image", "info", dir.resolve("small.img").toString()), null);
        List<Job> jobs = new java.util.ArrayList<>(List.of(c, v, jvm, help, info));
        hashers.stream().filter(h -> h.run() != null).forEach(jobs::add);
        Map<Job, List<Timed>> times = interleaved(WHOLE_PROCESS_ROUNDS, jobs);

        Timed ct = median(times.get(c));
        Timed vt = median(times.get(v));
        System.out.printf("whole process    ./pvsim, one JVM per command, median of %d interleaved rounds, load average %.1f%n",
                WHOLE_PROCESS_ROUNDS, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        // The floor: one SHA-512 stream over every page, which no amount of overlap can shorten.
        double floor = size / 1e6 / sha;
        System.out.printf("  image create   %6.2f s wall %s = %6.1f MB/s   in-process %6.1f MB/s, SHA-512 %6.1f MB/s"
                + "   (target <= 0.53 s, <= 64 MiB)%n", ct.wall(), ct.cpu(), size / 1e6 / ct.wall(), create, sha);
        System.out.printf("                 SHA-512 floor %.2f s: whole process at %.2f of it, %.2f s above it%n", floor,
                floor / ct.wall(), ct.wall() - floor);
        System.out.printf("  image verify   %6.2f s wall %s = %6.1f MB/s   in-process %6.1f MB/s   at %.2f of the floor"
                + "   (target <= 0.53 s, <= 64 MiB)%n", vt.wall(), vt.cpu(), size / 1e6 / vt.wall(), verify, floor / vt.wall());
        // What no launcher change can remove: a JVM that starts and exits, plus one SHA-512 stream.
        Timed jt = median(times.get(jvm));
        System.out.printf("  java -version  %6.2f s wall %s   start-up floor; with the SHA-512 floor %.2f s%n", jt.wall(),
                jt.cpu(), jt.wall() + floor);
        System.out.printf("  hashing the same %d MiB and nothing else, one process each:%n", size / MIB);
        for (Job h : hashers) {
            if (h.run() == null) {
                System.out.printf("    %-20s %s%n", h.label(), h.missing());
                continue;
            }
            Timed t = median(times.get(h));
            System.out.printf("    %-20s %5.2f s wall %s   image create %.2fx its time, verify %.2fx%n", h.label(),
                    t.wall(), t.cpu(), medianRatio(times.get(c), times.get(h)), medianRatio(times.get(v), times.get(h)));
        }
        Timed ht = median(times.get(help));
        Timed it = median(times.get(info));
        System.out.printf("  --help         %6.2f s wall %s   (target < 0.3 s)%n", ht.wall(), ht.cpu());
        System.out.printf("  image info     %6.2f s wall %s   small image (target < 0.3 s)%n", it.wall(), it.cpu());
        return ht.wall() < 0.3 && it.wall() < 0.3 && ct.wall() <= 0.53 && ct.rssKib() >= 0 && ct.rssKib() <= 64 * 1024
                && vt.wall() <= 0.53 && vt.rssKib() >= 0 && vt.rssKib() <= 64 * 1024;
    }

    /** One program of the whole-process rounds; {@code run} is null when it is not available, then {@code missing} says why. */
    private record Job(String label, Run run, String missing) {
    }

    /** Runs every job once per round, in the same order each round, and keeps each job's times. */
    private static Map<Job, List<Timed>> interleaved(int rounds, List<Job> jobs) throws Exception {
        Map<Job, List<Timed>> times = new java.util.LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (Job j : jobs) {
                times.computeIfAbsent(j, k -> new java.util.ArrayList<>()).add(j.run().run());
            }
        }
        return times;
    }

    private static Timed median(List<Timed> runs) {
        List<Timed> sorted = runs.stream().sorted(Comparator.comparingDouble(Timed::wall)).toList();
        return sorted.get(sorted.size() / 2);
    }

    /** The median over rounds of a's wall time over b's in the same round. */
    private static double medianRatio(List<Timed> a, List<Timed> b) {
        double[] r = new double[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.get(i).wall() / b.get(i).wall();
        }
        java.util.Arrays.sort(r);
        return r[r.length / 2];
    }

    /** A native program that hashes the file given last, as a job; not available when it is not on the PATH. */
    private static Job hasher(String label, List<String> args, Path kernel) {
        Path program = onPath(label.split(" ")[0]);
        if (program == null) {
            return new Job(label, null, "not installed");
        }
        List<String> all = new java.util.ArrayList<>(args);
        all.add(kernel.toString());
        return new Job(label, () -> run(program, all.toArray(String[]::new)), null);
    }

    private static Path onPath(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(d.isEmpty() ? "." : d, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** One run's wall time, and CPU seconds and peak RSS when /usr/bin/time measured them (else negative). */
    private record Timed(double wall, double cpuSeconds, long rssKib) {
        String cpu() {
            return cpuSeconds < 0 ? "" : String.format("(%.2f s CPU, %d MiB peak RSS)", cpuSeconds, rssKib / 1024);
        }
    }

    interface Run {
        Timed run() throws Exception;
    }

    private static final Path TIME = Path.of("/usr/bin/time");

    private static Timed run(Path program, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>();
        Path stats = Files.createTempFile("pvsim-time", ".txt");
        boolean timed = Files.isExecutable(TIME);
        if (timed) {
            cmd.addAll(List.of(TIME.toString(), "-o", stats.toString(), "-f", "%U %S %M"));
        }
        cmd.add(program.toString());
        cmd.addAll(List.of(args));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        int rc = p.waitFor();
        double wall = (System.nanoTime() - t0) / 1e9;
        if (rc != 0) {
            throw new IllegalStateException(program.getFileName() + " " + String.join(" ", args) + " failed with exit code " + rc);
        }
        try {
            if (!timed) {
                return new Timed(wall, -1, -1);
            }
            String[] f = Files.readString(stats).trim().split("\\s+");
            return new Timed(wall, Double.parseDouble(f[0]) + Double.parseDouble(f[1]), Long.parseLong(f[2]));
        } finally {
            Files.deleteIfExists(stats);
        }
    }

    interface Step {
        void run() throws Exception;
    }

    private static long timed(Step s) throws Exception {
        long t0 = System.nanoTime();
        s.run();
        return System.nanoTime() - t0;
    }

    private static double mbPerSecond(long bytes, long nanos) {
        return bytes / 1e6 / (nanos / 1e9);
    }

    /** SHA-512 over {@code size} bytes fed in 256 KiB pieces (the chunk size the image code hashes in). */
    private static void sha512(long size) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-512");
        byte[] buf = new byte[256 * 1024];
        new SplittableRandom(1).nextBytes(buf);
        for (long done = 0; done < size; done += buf.length) {
            md.update(buf);
        }
        if (md.digest()[0] == 42) {
            System.out.print(""); // keep the result alive
        }
    }

    private static void writeRandom(Path p, long size) throws IOException {
        SplittableRandom rnd = new SplittableRandom(7);
        byte[] buf = new byte[MIB];
        try (OutputStream out = Files.newOutputStream(p)) {
            for (long done = 0; done < size; done += buf.length) {
                rnd.nextBytes(buf);
                out.write(buf, 0, (int) Math.min(buf.length, size - done));
            }
        }
    }

    /** Peak heap use during a step minus the live heap before it (after a GC). */
    private record Heap(long before, List<MemoryPoolMXBean> pools) {
        static Heap start() {
            System.gc();
            List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP).toList();
            long used = pools.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
            pools.forEach(MemoryPoolMXBean::resetPeakUsage);
            return new Heap(used, pools);
        }

        long growth() {
            return Math.max(0, pools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum() - before);
        }
    }
}
