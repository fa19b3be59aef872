package org.pvsim.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
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

    public static void main(String[] args) throws IOException {
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
        PrintWriter sink = new PrintWriter(OutputStream.nullOutputStream(), true);
        ImageRandomness.prepareSecure(); // as Main.main does for image create, so that its classes are archived too
        for (String[] line : lines) {
            Main.run(line, sink, sink);
        }
    }
}
