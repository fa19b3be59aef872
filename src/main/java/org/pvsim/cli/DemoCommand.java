package org.pvsim.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.pvsim.image.BootLoaders;
import org.pvsim.image.SeImage;
import org.pvsim.image.SeImageReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The guided tour: plays the life of a protected guest through pvsim's own commands, printing each
 * command line and what it answered, in a temporary directory that is removed afterwards.
 * Steps that must fail (a revoked host, a tampered image) are part of the tour and checked too.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        description = "A guided run of pvsim: host keys, an SE image built, inspected, verified and tampered with, "
                + "then the protected-VM lifecycle through KVM and the Ultravisor.")
final class DemoCommand implements Callable<Integer> {
    private static final String KERNEL_RESOURCE = "/guests/demo/kernel.bin";

    @Option(names = "--keep", paramLabel = "DIR",
            description = "Work in DIR (created if missing) and keep the files, instead of a temporary directory.")
    Path keep;

    @Spec
    CommandSpec spec;

    private Path dir;
    private PrintWriter out;
    private int failures;

    @Override
    public Integer call() throws IOException {
        out = spec.commandLine().getOut();
        dir = keep != null ? Files.createDirectories(keep).toAbsolutePath() : Files.createTempDirectory("pvsim-demo");
        try {
            tour();
        } finally {
            if (keep == null) {
                deleteTree(dir);
            }
        }
        if (failures > 0) {
            out.printf("%ndemo: %d step(s) did not answer as expected%n", failures);
            return 1;
        }
        out.printf("%ndemo: every step answered as expected%s%n",
                keep == null ? " (temporary files removed)" : " (files kept in " + dir + ")");
        return 0;
    }

    private void tour() throws IOException {
        section("1. The machine's identity: a host key, vouched for by a (test) IBM Z signing key");
        pvsim(0, "hostkey", "create-pki", "--out", "pki", "--ca-key", "p521", "--hosts", "1");

        section("2. The customer builds an SE image for that host only");
        write("kernel", BootLoaders.load(KERNEL_RESOURCE));
        write("parmfile", "console=ttysclp0 pvsim.demo=1\n".getBytes(StandardCharsets.US_ASCII));
        write("ramdisk", ramdisk());
        out.println("(kernel: pvsim's demo kernel, real s390x code from guests/demo/kernel.S; a 12 KiB ramdisk;"
                + " a command line)");
        String[] chain = {"-C", "pki/ibm-z-signing-key.crt", "-C", "pki/intermediate-ca.crt",
            "--crl", "pki/ibm-z-signing-key.crl", "--root-ca", "pki/root-ca.crt"};
        pvsim(0, concat(new String[] {"image", "create", "-i", "kernel", "-r", "ramdisk", "-p", "parmfile",
            "-k", "pki/host-1.crt", "-o", "demo.img"}, chain));
        out.println("A revoked host-key document is refused:");
        pvsim(1, concat(new String[] {"image", "create", "-i", "kernel", "-r", "ramdisk", "-p", "parmfile",
            "-k", "pki/revoked-host.crt", "-o", "never.img"}, chain));

        section("3. Anyone can inspect it; only the host key opens it");
        pvsim(0, "image", "info", "demo.img");
        pvsim(0, "image", "test", "-k", "pki/host-1.crt", "demo.img");
        pvsim(1, "image", "test", "-k", "pki/revoked-host.crt", "demo.img");

        section("4. What the Ultravisor will check when it unpacks the image");
        pvsim(0, "image", "verify", "--host-key", "pki/host-1.key", "demo.img");
        pvsim(1, "image", "verify", "--host-key", "pki/revoked-host.key", "demo.img");
        long flipped = tamper("demo.img", "tampered.img");
        out.printf("tampered.img = demo.img with one bit flipped at 0x%x (the first page of the kernel)%n", flipped);
        pvsim(1, "image", "verify", "--host-key", "pki/host-1.key", "tampered.img");

        section("5. The host boots it for real: pvsim run (QEMU's flow on KVM and the Ultravisor, host-1's key)");
        pvsim(0, "run", "--protected", "--host-key", "pki/host-1.key", "-kernel", "demo.img", "--trace", "demo-trace.json");
        out.println("The tampered image never starts: the UV refuses it, the boot loader reports the failure:");
        pvsim(1, "run", "--protected", "--host-key", "pki/host-1.key", "-kernel", "tampered.img");
        out.printf("(demo-trace.json: every UV call, KVM ioctl and SIE exit of the first run, for ui.perfetto.dev)%n%n");
        out.println("The same lifecycle step by step through the KVM API:");
        try {
            LifecycleDemo.run(out, dir.resolve("demo.img"), dir.resolve("pki/host-1.key"));
        } catch (RuntimeException e) {
            failures++;
            out.println("!! the lifecycle failed: " + Main.describe(e));
        }
        out.println();
    }

    /** Runs one pvsim command line in the work directory and checks its exit code. */
    private void pvsim(int expectedExit, String... args) {
        out.println("$ pvsim " + String.join(" ", args));
        out.flush();
        String[] resolved = args.clone();
        for (int i = 0; i < resolved.length; i++) {
            if (looksLikePath(resolved[i])) {
                resolved[i] = dir.resolve(resolved[i]).toString();
            }
        }
        PrintWriter sink = new PrintWriter(new RelativePathWriter(out, dir + "/"), true);
        int rc = Main.commandLine(sink, sink, false, CommandFactory.standard()).execute(resolved);
        sink.flush();
        if (rc != expectedExit) {
            failures++;
            out.printf("!! expected exit code %d, got %d%n", expectedExit, rc);
        } else if (rc != 0) {
            out.printf("(exit code %d, as expected)%n", rc);
        }
        out.println();
    }

    private static boolean looksLikePath(String arg) {
        return !arg.startsWith("-") && (arg.contains("/") || arg.contains(".") || List.of("kernel", "ramdisk",
                "parmfile", "pki").contains(arg));
    }

    private void section(String title) {
        out.println("== " + title);
        out.println();
    }

    private void write(String name, byte[] bytes) throws IOException {
        Files.write(dir.resolve(name), bytes);
    }

    private long tamper(String from, String to) throws IOException {
        byte[] image = Files.readAllBytes(dir.resolve(from));
        SeImage parsed = SeImageReader.read(image);
        long address = parsed.components().get(0).address() + 0x123;
        image[(int) address] ^= 0x01;
        Files.write(dir.resolve(to), image);
        return address;
    }

    private static byte[] ramdisk() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; sb.length() < 12 * 1024; i++) {
            sb.append("pvsim demo ramdisk line ").append(i).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static String[] concat(String[] a, String[] b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Shows the work directory's absolute paths relative to it, as the user typed them. */
    private static final class RelativePathWriter extends java.io.Writer {
        private final PrintWriter target;
        private final String prefix;
        private final StringBuilder line = new StringBuilder();

        RelativePathWriter(PrintWriter target, String prefix) {
            this.target = target;
            this.prefix = prefix;
        }

        @Override
        public void write(char[] buf, int off, int len) {
            for (int i = off; i < off + len; i++) {
                line.append(buf[i]);
                if (buf[i] == '\n') {
                    emit();
                }
            }
        }

        private void emit() {
            target.print(line.toString().replace(prefix, ""));
            line.setLength(0);
        }

        @Override
        public void flush() {
            emit();
            target.flush();
        }

        @Override
        public void close() {
            flush();
        }
    }
}
