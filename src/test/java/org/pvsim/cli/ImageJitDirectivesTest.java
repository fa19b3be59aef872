package org.pvsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The JIT directives the launcher gives image create and verify: a file the JVM cannot parse would stop
 * those commands before they start ("Could not create the Java Virtual Machine").
 */
class ImageJitDirectivesTest {
    @Test
    void theJvmAcceptsEveryDirective() throws Exception {
        Path file = Path.of("src/main/jvm/image-jit.json").toAbsolutePath();
        long directives = Files.readAllLines(file).stream().filter(l -> l.strip().startsWith("{ match:")).count();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-XX:+UnlockDiagnosticVMOptions",
                "-XX:CompilerDirectivesFile=" + file, "-version")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains(directives + " compiler directives added");
    }
}
