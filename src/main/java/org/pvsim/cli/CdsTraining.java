package org.pvsim.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.pvsim.image.ImageRandomness;

/**
 * The training run for the class data sharing archive that {@code ./pvsim} builds next to the jar: runs the
 * everyday short command lines (help, a host key, a small image created, shown and verified) in a temporary
 * directory, output discarded, so that the JVM that records the archive loads the classes those commands
 * load. Not a pvsim command: the launcher runs it once per built jar.
 */
public final class CdsTraining {
    private CdsTraining() {
    }

    /**
     * No argument: the everyday commands. {@code image DIR}: image create and verify only, for their own archive,
     * with the host.key and host.crt in DIR.
     */
    public static void main(String[] args) throws IOException {
        if (args.length == 2 && args[0].equals("image")) {
            trainImage(Path.of(args[1]));
            return;
        }
        Path dir = Files.createTempDirectory("pvsim-cds");
        try {
            train(dir);
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static void train(Path dir) throws IOException {
        String key = dir.resolve("host.key").toString();
        String crt = dir.resolve("host.crt").toString();
        String kernel = dir.resolve("kernel").toString();
        String img = dir.resolve("se.img").toString();
        Files.write(Path.of(kernel), new byte[64 * 1024]);
        List<String[]> lines = List.of(
                new String[] {"--help"},
                new String[] {"image", "--help"},
                new String[] {"hostkey", "create", "--key-out", key, "--cert-out", crt},
                new String[] {"image", "create", "-i", kernel, "-k", crt, "--no-verify", "--no-component-check",
                    "-o", img},
                new String[] {"image", "info", img},
                new String[] {"image", "info", "--host-key", key, img},
                new String[] {"image", "verify", "--host-key", key, img});
        run(lines);
    }

    /**
     * image create and verify, whose archive holds nothing else: the JVM maps an archive whole (every page of it
     * counts in the peak RSS), so theirs leaves out what only other commands load. The launcher has another JVM
     * write the host key they need into {@code dir} first, so that the certificate building classes stay out.
     */
    private static void trainImage(Path dir) {
        String kernel = dir.resolve("kernel").toString();
        String img = dir.resolve("se.img").toString();
        try {
            Files.write(Path.of(kernel), new byte[64 * 1024]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run(List.of(
                new String[] {"image", "create", "-i", kernel, "-k", dir.resolve("host.crt").toString(), "--no-verify",
                    "--no-component-check", "-o", img},
                new String[] {"image", "verify", "--host-key", dir.resolve("host.key").toString(), img}));
    }

    private static void run(List<String[]> lines) {
        PrintWriter sink = new PrintWriter(OutputStream.nullOutputStream(), true);
        ImageRandomness.prepareSecure(); // as Main.main does for image create, so that its classes are archived too
        // Finding SunEC makes the JDK instantiate the providers its service loader lists first, in an order that
        // changes from run to run: all of them here, so the archive holds their classes whichever come first later.
        java.security.Security.getProviders();
        for (String[] line : lines) {
            Main.run(line, sink, sink);
        }
    }
}
