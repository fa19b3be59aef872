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

    /** Runs the launcher through bash, so that an argument can hold bytes a Java String cannot ($'\xff'). */
    Result launchThroughBash(Path cwd, String commandLine) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "exec " + root.resolve("pvsim") + " " + commandLine)
                .directory(cwd.toFile()).redirectErrorStream(true);
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

    /**
     * A name that is not UTF-8 cannot be opened from Java at all: one line naming it, and no other file used in
     * its place (Java would decode $'\xff.img' to U+FFFD.img, a different name).
     */
    @Test
    void aNameThatIsNotUtf8IsRefusedInOneLine() throws Exception {
        installLauncher();
        Path work = Files.createDirectories(root.resolve("work"));
        Files.write(work.resolve("\uFFFD.crt"), new byte[0]); // what the decoded name would open
        Result r = launchThroughBash(work, "hostkey verify -k $'\\xff.crt'");
        assertThat(r.rc()).as(r.output()).isEqualTo(1);
        assertThat(r.output()).isEqualTo("pvsim: argument $'\\xff.crt' is not valid UTF-8, and Java names files in"
                + " UTF-8 here: give the file a UTF-8 name (or a link with one)\n");
        Result w = launchThroughBash(work, "hostkey create --key-out $'k\\xfe.pem' --cert-out c.crt");
        assertThat(w.rc()).as(w.output()).isEqualTo(1);
        try (var s = Files.list(work)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("\uFFFD.crt");
        }
    }
}
