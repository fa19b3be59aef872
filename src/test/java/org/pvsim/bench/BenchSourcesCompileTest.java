package org.pvsim.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmarks under bench/ are single-file programs run from source against the built jar, so nothing
 * else compiles them: this test does, so that a change to the API they use cannot leave them broken.
 */
class BenchSourcesCompileTest {

    @Test
    void everyBenchmarkCompilesAgainstTheCurrentCode(@TempDir Path out) throws Exception {
        List<Path> sources;
        try (Stream<Path> files = Files.walk(Path.of("bench"))) {
            sources = files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        assertThat(sources).as("bench/*/*.java").isNotEmpty();

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        for (Path source : sources) {
            List<String> args = new ArrayList<>(List.of("-proc:none", "-d", out.toString(),
                    "-cp", System.getProperty("java.class.path"), source.toString()));
            ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
            int rc = javac.run(null, diagnostics, diagnostics, args.toArray(String[]::new));
            assertThat(rc).as("javac %s%n%s", source, diagnostics).isZero();
        }
    }
}
