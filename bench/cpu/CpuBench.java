import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.pvsim.machine.Lpar;
import org.pvsim.machine.cpu.Machine;
import org.pvsim.machine.cpu.ProgramLoader;
import org.pvsim.machine.cpu.Psw;
import org.pvsim.machine.storage.Storage;

/**
 * Guest instructions per second of pvsim, interpreter alone and with translated blocks, on (1) the
 * tight "stg; aghi; brctg" loop and (2) the CRC-32 guest with 256 rounds, with their ratio, and, when
 * installed, QEMU TCG on the same guests (slopes of two run lengths, so that start-up cancels out),
 * with the ratios. Each figure is printed with the host's load average. Both guests run once more with
 * DAT on (PSW bit 5, one-to-one 4 KiB page tables for all of storage), to show what translation costs.
 * Run with bench/cpu/run.
 */
public final class CpuBench {
    static final Path GUESTS = Path.of("src/main/resources/guests/tests");
    static final int COUNT_OFFSET = 0x1f00;

    public static void main(String[] args) throws Exception {
        long iterations = args.length > 0 ? Long.parseLong(args[0]) : 200_000_000L;
        byte[] loop = Files.readAllBytes(GUESTS.resolve("loop.bin"));
        byte[] crc = Files.readAllBytes(GUESTS.resolve("crc32-O2.bin"));
        byte[] crcBench = Files.readAllBytes(GUESTS.resolve("crc32bench-O2.bin"));

        double[][] loopRates = new double[2][];
        double[][] crcRates = new double[2][];
        for (int t = 0; t < 2; t++) {
            boolean translate = t == 1;
            runLoop(loop, iterations / 10, translate); // warm-up: let the JIT compile the interpreter
            runLoop(loop, iterations / 10, translate);
            loopRates[t] = best(() -> runLoop(loop, iterations, translate), 3);
            runGuest(crcBench, translate); // warm-up: pinned to one CPU, the JIT compiles on the measuring CPU
            runGuest(crcBench, translate);
            crcRates[t] = best(() -> runGuest(crcBench, translate), 3);
        }
        String[] names = {"interpreter", "translator "};
        for (int t = 0; t < 2; t++) {
            System.out.printf("pvsim %s  tight loop (stg; aghi; brctg): %,.0f instructions in %.3f s = %.1f MIPS"
                    + " (%.1f per CPU-second; load average %.2f)%n", names[t], loopRates[t][0],
                    loopRates[t][0] / loopRates[t][1], loopRates[t][1] / 1e6, loopRates[t][2] / 1e6, loopRates[t][3]);
        }
        System.out.printf("pvsim translator / interpreter, tight loop: %.2f%n", loopRates[1][1] / loopRates[0][1]);
        for (int t = 0; t < 2; t++) {
            System.out.printf("pvsim %s  crc32bench-O2 guest: %,.0f instructions in %.3f s = %.1f MIPS"
                    + " (%.1f per CPU-second; load average %.2f)%n", names[t], crcRates[t][0],
                    crcRates[t][0] / crcRates[t][1], crcRates[t][1] / 1e6, crcRates[t][2] / 1e6, crcRates[t][3]);
        }
        System.out.printf("pvsim translator / interpreter, crc32 guest: %.2f%n", crcRates[1][1] / crcRates[0][1]);

        // DAT off and on alternate, so that a change in the host's load hits both alike
        for (int t = 0; t < 2; t++) {
            boolean translate = t == 1;
            runLoopDat(loop, iterations / 10, translate);
            double[][] l = alternate(() -> runLoop(loop, iterations, translate), () -> runLoopDat(loop, iterations, translate), 3);
            System.out.printf("pvsim %s  tight loop, DAT off %.1f MIPS, DAT on %.1f MIPS: DAT on / DAT off = %.3f"
                    + " (per CPU-second %.1f / %.1f = %.3f; load average %.2f)%n", names[t], l[0][1] / 1e6, l[1][1] / 1e6,
                    l[1][1] / l[0][1], l[1][2] / 1e6, l[0][2] / 1e6, l[1][2] / l[0][2], load());
            double[][] g = alternate(() -> runGuest(crcBench, translate), () -> runDat(crcBench, translate), 2);
            System.out.printf("pvsim %s  crc32bench-O2 guest, DAT off %.1f MIPS, DAT on %.1f MIPS: DAT on / DAT off = %.3f"
                    + " (per CPU-second %.1f / %.1f = %.3f; load average %.2f)%n", names[t], g[0][1] / 1e6, g[1][1] / 1e6,
                    g[1][1] / g[0][1], g[1][2] / 1e6, g[0][2] / 1e6, g[1][2] / g[0][2], load());
        }

        double floor = DispatchFloor.instructionsPerSecond(iterations);
        System.out.printf("java  dispatch floor (fetch a decoded brctg from a page, dispatch, count; nothing else): %.1f MIPS;"
                + " pvsim interpreter tight loop / floor = %.2f%n", floor / 1e6, loopRates[0][1] / floor);

        if (!Files.isExecutable(Path.of("/usr/bin/qemu-system-s390x")) || !Files.isExecutable(Path.of("/usr/bin/time"))) {
            System.out.println("qemu  not installed (guests/install-toolchain --qemu; /usr/bin/time too): no ratio");
        } else {
            // wall clock and, since the host is shared, CPU time too (QEMU's user + system time against
            // the CPU time of pvsim's running thread): under load the CPU-time ratio is the steadier one
            double[] qemu = qemuLoopRate(iterations);
            System.out.printf("qemu  TCG tight loop (slope of two runs): %.1f MIPS (%.1f per CPU-second; load average %.2f);"
                    + " pvsim/qemu: interpreter %.2f, translator %.2f; per CPU-second: interpreter %.2f, translator %.2f%n",
                    qemu[0] / 1e6, qemu[1] / 1e6, load(), loopRates[0][1] / qemu[0], loopRates[1][1] / qemu[0],
                    loopRates[0][2] / qemu[1], loopRates[1][2] / qemu[1]);
            double[] qemuCrc = qemuCrcRate(crc, crcBench);
            System.out.printf("qemu  TCG crc32 guest (crc32bench-O2 minus crc32-O2): %.1f MIPS (%.1f per CPU-second;"
                    + " load average %.2f); pvsim/qemu: interpreter %.2f, translator %.2f; per CPU-second: interpreter %.2f,"
                    + " translator %.2f%n", qemuCrc[0] / 1e6, qemuCrc[1] / 1e6, load(), crcRates[0][1] / qemuCrc[0],
                    crcRates[1][1] / qemuCrc[0], crcRates[0][2] / qemuCrc[1], crcRates[1][2] / qemuCrc[1]);
        }

        if (!Files.isExecutable(Path.of("/usr/bin/hercules"))) {
            System.out.println("hercules  not installed (apt-get install hercules): no ratio");
            return;
        }
        String loopBin = "src/main/resources/guests/tests/loop.bin";
        String n = Long.toString(iterations);
        double herc = herculesMips(" slope ", loopBin, Long.toString(iterations / 4), n);
        System.out.printf("hercules 3.13 tight loop (slope of two run lengths, bench/cpu/hercules-mips): %.1f MIPS"
                + " (load average %.2f); pvsim/hercules: interpreter %.2f, translator %.2f%n", herc, load(),
                loopRates[0][1] / 1e6 / herc, loopRates[1][1] / 1e6 / herc);
        String crcBin = "src/main/resources/guests/tests/crc32bench-O2.bin";
        double hercCrc = Math.max(herculesMips("hercules", crcBin), herculesMips("hercules", crcBin));
        System.out.printf("hercules 3.13 crc32bench-O2 guest (best of 2; see bench/cpu/HERCULES.md for its RISBGN bug):"
                + " %.1f MIPS (load average %.2f); pvsim/hercules: interpreter %.2f, translator %.2f%n", hercCrc,
                load(), crcRates[0][1] / 1e6 / hercCrc, crcRates[1][1] / 1e6 / hercCrc);
    }

    /** Runs bench/cpu/hercules-mips and returns the highest mips= figure of its lines containing marker. */
    static double herculesMips(String marker, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bench/cpu/hercules-mips"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("hercules-mips failed:\n" + out);
        }
        double best = 0;
        for (String line : out.split("\n")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("mips=([0-9.]+)").matcher(line);
            if (line.contains(marker) && m.find()) {
                best = Math.max(best, Double.parseDouble(m.group(1)));
            }
        }
        if (best == 0) {
            throw new IllegalStateException("no '" + marker + " mips=' line from hercules-mips:\n" + out);
        }
        return best;
    }

    static double load() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** The best of n runs of each of two kinds, run alternately. */
    static double[][] alternate(java.util.function.Supplier<double[]> a, java.util.function.Supplier<double[]> b, int n) {
        double[][] best = new double[2][];
        for (int k = 0; k < n; k++) {
            double[] ra = a.get();
            double[] rb = b.get();
            if (best[0] == null || ra[1] > best[0][1]) {
                best[0] = ra;
            }
            if (best[1] == null || rb[1] > best[1][1]) {
                best[1] = rb;
            }
        }
        return best;
    }

    /** The best of n runs (highest wall-clock rate), with the load average after it. */
    static double[] best(java.util.function.Supplier<double[]> run, int n) {
        double[] best = null;
        for (int k = 0; k < n; k++) {
            double[] r = run.get();
            if (best == null || r[1] > best[1]) {
                best = r;
            }
        }
        return new double[] {best[0], best[1], best[2], load()};
    }

    /**
     * QEMU's rate on the CRC-32 work: the two guests differ only in the number of CRC rounds, so
     * (instructions(bench) - instructions(test)) / (time(bench) - time(test)) cancels QEMU's start-up;
     * the instruction counts are pvsim's (the same code executes the same instructions).
     */
    static double[] qemuCrcRate(byte[] crc, byte[] crcBench) throws Exception {
        long n1 = (long) runGuest(crc, true)[0];
        long n2 = (long) runGuest(crcBench, true)[0];
        byte[] e1 = Files.readAllBytes(GUESTS.resolve("crc32-O2.elf"));
        byte[] e2 = Files.readAllBytes(GUESTS.resolve("crc32bench-O2.elf"));
        double[] t1 = fastest(e1, 3);
        double[] t2 = fastest(e2, 3);
        return new double[] {(n2 - n1) / (t2[0] - t1[0]), (n2 - n1) / (t2[1] - t1[1])};
    }

    /** The least wall-clock and the least CPU seconds of n QEMU runs of the ELF. */
    static double[] fastest(byte[] elf, int n) throws Exception {
        double[] best = {Double.MAX_VALUE, Double.MAX_VALUE};
        for (int k = 0; k < n; k++) {
            double[] t = qemuSeconds(elf);
            best[0] = Math.min(best[0], t[0]);
            best[1] = Math.min(best[1], t[1]);
        }
        return best;
    }

    /** Returns {instructions, instructions per wall-clock second, per CPU-time second of this thread}. */
    static double[] runLoop(byte[] image, long iterations, boolean translate) {
        byte[] img = image.clone();
        ByteBuffer.wrap(img).putLong(COUNT_OFFSET, iterations);
        return runGuest(img, translate);
    }

    static double[] runLoopDat(byte[] image, long iterations, boolean translate) {
        byte[] img = image.clone();
        ByteBuffer.wrap(img).putLong(COUNT_OFFSET, iterations);
        return runDat(img, translate);
    }

    /**
     * The guest with DAT on: a segment table and page tables at 56 MiB mapping all 64 MiB one to one (the
     * guests leave CR0's EDAT bit off, so 4 KiB pages), CR1 their ASCE, the IPL PSW with bit 5 added.
     */
    static double[] runDat(byte[] img, boolean translate) {
        Machine m = new Machine(new Machine.Options(64L << 20, 1, true, false), s -> { });
        if (!translate) {
            m.setTranslation(false);
        }
        Storage s = m.storage();
        Psw psw = ProgramLoader.load(img, "bench", s);
        long base = 56L << 20;
        for (int k = 0; k < 2048; k++) {
            s.writeLong(base + 8L * k, k < 64 ? base + 0x4000 + 0x800L * k : 0x20, Storage.HOST);
        }
        for (long p = 0; p < (64L << 20) >>> 12; p++) {
            s.writeLong(base + 0x4000 + 8 * p, p << 12, Storage.HOST);
        }
        m.ipl(new Psw(psw.mask() | Psw.DAT, psw.address()));
        m.cpu(0).cr[1] = base | 3; // segment-table designation, full length
        return timed(() -> {
            Machine.Result r = m.run(Long.MAX_VALUE, Long.MAX_VALUE);
            if (!r.success()) {
                throw new IllegalStateException("guest with DAT on did not end cleanly: " + r);
            }
            return r.instructions();
        });
    }

    static double[] runGuest(byte[] img, boolean translate) {
        Lpar m = Lpar.ipl(new Lpar.Options(64L << 20, 1, true, false, translate), img, "bench", s -> { });
        return timed(() -> {
            Lpar.Outcome r = m.run(Long.MAX_VALUE, Long.MAX_VALUE);
            if (!r.success()) {
                throw new IllegalStateException("guest did not end cleanly: " + r);
            }
            return r.instructions();
        });
    }

    /** {instructions, per wall-clock second, per CPU second of this thread} of one run that counts them. */
    static double[] timed(java.util.function.LongSupplier run) {
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long c0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        long n = run.getAsLong();
        long t1 = System.nanoTime();
        long c1 = threads.getCurrentThreadCpuTime();
        return new double[] {n, n / ((t1 - t0) / 1e9), n / ((c1 - c0) / 1e9)};
    }

    /**
     * QEMU's rate on the loop ELF: (instructions(n2) - instructions(n1)) / (time(n2) - time(n1)), by wall
     * clock and by CPU time.
     */
    static double[] qemuLoopRate(long iterations) throws Exception {
        byte[] elf = Files.readAllBytes(GUESTS.resolve("loop.elf"));
        long n1 = iterations * 5;
        long n2 = iterations * 20;
        double[] t1 = fastest(patchElf(elf, n1), 2);
        double[] t2 = fastest(patchElf(elf, n2), 2);
        return new double[] {3.0 * (n2 - n1) / (t2[0] - t1[0]), 3.0 * (n2 - n1) / (t2[1] - t1[1])};
    }

    /** The loop ELF's first segment is the lowcore loaded at 0: patch the count at its file offset. */
    static byte[] patchElf(byte[] elf, long count) {
        ByteBuffer b = ByteBuffer.wrap(elf.clone());
        long phoff = b.getLong(32);
        int phentsize = b.getShort(54);
        int phnum = b.getShort(56);
        for (int k = 0; k < phnum; k++) {
            int p = (int) (phoff + (long) k * phentsize);
            long paddr = b.getLong(p + 24);
            long filesz = b.getLong(p + 32);
            if (b.getInt(p) == 1 && paddr <= COUNT_OFFSET && COUNT_OFFSET + 8 <= paddr + filesz) {
                b.putLong((int) (b.getLong(p + 8) + COUNT_OFFSET - paddr), count);
                return b.array();
            }
        }
        throw new IllegalStateException("loop.elf: no segment holds the count");
    }

    /** {wall-clock seconds, CPU seconds (user + system, from /usr/bin/time)} of one QEMU run of the ELF. */
    static double[] qemuSeconds(byte[] elf) throws Exception {
        Path f = Files.createTempFile("pvsim-loop", ".elf");
        Path times = Files.createTempFile("pvsim-qemu", ".time");
        try {
            Files.write(f, elf);
            List<String> cmd = new ArrayList<>(List.of("/usr/bin/time", "-f", "%U %S", "-o", times.toString(), "qemu-system-s390x", "-M", "s390-ccw-virtio", "-accel", "tcg",
                    "-nodefaults", "-nographic", "-m", "64", "-kernel", f.toString()));
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("qemu did not stop");
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            String[] cpu = Files.readString(times).trim().split("\\s+");
            return new double[] {wall, Double.parseDouble(cpu[cpu.length - 2]) + Double.parseDouble(cpu[cpu.length - 1])};
        } finally {
            Files.deleteIfExists(f);
            Files.deleteIfExists(times);
        }
    }

    /**
     * The cheapest interpreter loop one can write in Java for this guest loop: per instruction it reads
     * the PSW address, checks the page, takes the pre-decoded instruction from the page's slots,
     * dispatches on its id, executes BRCTG and counts. pvsim's ratio to it shows how much the real
     * machinery (storage TLB and ownership check, interruptions, condition codes) costs on this host.
     */
    static final class DispatchFloor {
        record In(int id, int length, int r1, long i2) {
        }

        long ia = 0x2000;
        long codeBase = -1;
        long count;
        long limit;
        final In[] slots = new In[2048];
        final long[] gr = new long[16];

        void loop() {
            while (count < limit) {
                long a = ia;
                if ((a & ~0xfffL) != codeBase) {
                    codeBase = a & ~0xfffL;
                }
                In in = slots[(int) (a & 0xfff) >>> 1];
                ia = a + in.length();
                switch (in.id()) {
                    case 12 -> {
                        if (--gr[in.r1()] != 0) {
                            ia = a + 2 * in.i2();
                        }
                    }
                    default -> throw new IllegalStateException();
                }
                count++;
            }
        }

        static double instructionsPerSecond(long n) {
            double best = 0;
            for (int round = 0; round < 4; round++) {
                DispatchFloor f = new DispatchFloor();
                f.slots[0] = new In(12, 4, 1, 0);
                f.gr[1] = n;
                long t0 = System.nanoTime();
                while (f.count < n) {
                    f.limit = Math.min(n, f.count + 20_000);
                    f.loop();
                }
                best = Math.max(best, n / ((System.nanoTime() - t0) / 1e9));
            }
            return best;
        }
    }
}
