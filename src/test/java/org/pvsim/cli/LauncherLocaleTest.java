package org.pvsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ./pvsim launcher under LC_ALL=C: non-ASCII paths work. The launcher is copied next to a jar that only
 * points at this build's classes, so the test runs it without building anything.
 */
class LauncherLocaleTest {
    @TempDir
    Path root;

    record Result(int rc, String output) {
    }

    Result launch(Path cwd, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(root.resolve("pvsim").toString()));
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C");
        pb.environment().put("LANG", "C");
        pb.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + File.pathSeparator
                + System.getenv("PATH"));
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), new String(out, java.nio.charset.StandardCharsets.UTF_8));
    }

    void installLauncher() throws Exception {
        Files.createDirectories(root.resolve("src/main"));
        Files.writeString(root.resolve("pom.xml"), "<project/>");
        Files.copy(Path.of("pvsim"), root.resolve("pvsim"));
        Files.setPosixFilePermissions(root.resolve("pvsim"), PosixFilePermissions.fromString("rwxr-xr-x"));
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String urls = Arrays.stream(cp.split(File.pathSeparator)).filter(s -> !s.isBlank())
                .map(s -> Path.of(s).toUri().toString()).collect(Collectors.joining(" "));
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Main.class.getName());
        m.getMainAttributes().put(Attributes.Name.CLASS_PATH, urls);
        Path jar = Files.createDirectories(root.resolve("target")).resolve("pvsim.jar");
        try (OutputStream o = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(o, m)) {
            // the manifest is all it needs
        }
        FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 3_600_000);
        Files.setLastModifiedTime(root.resolve("pom.xml"), old);
        Files.setLastModifiedTime(root.resolve("src/main"), old);
    }

    @Test
    void nonAsciiPathsWorkUnderTheCLocale() throws Exception {
        installLauncher();
        Path work = Files.createDirectories(root.resolve("wörk"));
        Result r = launch(work, "hostkey", "create", "--key-out", "ключ.pem", "--cert-out", "hôte.crt");
        assertThat(r.rc()).as(r.output()).isZero();
        assertThat(r.output()).contains("wrote ключ.pem", "wrote hôte.crt");
        assertThat(work.resolve("ключ.pem")).exists();
        Result v = launch(work, "hostkey", "verify", "-k", "hôte.crt", "-k", "nïx.crt");
        assertThat(v.output()).isEqualTo("pvsim: nïx.crt: no such file\n");
    }
}
