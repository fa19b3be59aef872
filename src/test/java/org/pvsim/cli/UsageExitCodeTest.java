package org.pvsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pvsim.image.TestImages;
import picocli.CommandLine;

/**
 * clap's exit codes: 2 for a command line that cannot be run as given (unknown option, missing parameter,
 * options that exclude each other or need another, a group without its subcommand), whether picocli finds
 * it while parsing or pvsim after; 1 for what goes wrong while running (a missing file, a bad key).
 */
class UsageExitCodeTest {
    @TempDir
    static Path dir;
    static Path hkd;
    static Path kernel;
    static Path image;
    static Path cck;

    @BeforeAll
    static void setUp() throws Exception {
        hkd = HostKeyFixtures.certificate(dir, "host", HostKeyFixtures.ec("secp521r1"));
        kernel = TestImages.kernel(dir, 0x12345, 1);
        cck = Files.write(dir.resolve("cck"), new byte[32]);
        image = dir.resolve("se.img");
        assertThat(create(image).rc()).isZero();
    }

    static ImageCommandTest.Run create(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("image", "create", "-i", kernel.toString(), "-o", out.toString(),
                "-k", hkd.toString(), "--no-verify"));
        a.addAll(List.of(extra));
        return ImageCommandTest.run(a.toArray(String[]::new));
    }

    static ImageCommandTest.Run secret(String... extra) {
        List<String> a = new ArrayList<>(List.of("secret", "create", "-k", hkd.toString(), "--no-verify", "--hdr",
                image.toString(), "-o", dir.resolve("r.req").toString(), "--overwrite"));
        a.addAll(List.of(extra));
        return ImageCommandTest.run(a.toArray(String[]::new));
    }

    /** Exit 2 and one line in pvsim's words: what pvsim finds after parsing. */
    static void usage(ImageCommandTest.Run r, String line) {
        assertThat(r.rc()).as(r.err()).isEqualTo(2);
        assertThat(r.err().lines().filter(l -> !l.startsWith("WARNING: ")).toList()).containsExactly("pvsim: " + line);
        assertThat(r.out()).isEmpty();
    }

    @Test
    void flagsThatNeedAKeyAreUsageErrors() {
        Path out = dir.resolve("o.img");
        usage(create(out, "--enable-dump"), "dumping (--enable-dump) needs a customer communication key (--cck)");
        usage(create(out, "--enable-cck-extension-secret"),
                "--enable-cck-extension-secret needs a customer communication key (--cck)");
        usage(create(out, "--cck", cck.toString(), "--enable-cck-update", "--enable-cck-extension-secret"),
                "--enable-cck-update and --enable-cck-extension-secret exclude each other");
        assertThat(Files.exists(out)).isFalse();
    }

    @Test
    void conflictsFoundAfterParsingAreUsageErrors() throws Exception {
        Path key = Files.write(dir.resolve("image.key"), new byte[64]);
        usage(create(dir.resolve("o.img"), "--image-key", key.toString(), "--disable-image-encryption"),
                "--image-key and --disable-image-encryption exclude each other");
        usage(create(dir.resolve("o.img"), "--x-pcf", "0xe0", "--enable-pckmo"), "--x-pcf and --enable-pckmo exclude each other");
        usage(ImageCommandTest.run("image", "info", "--show-secrets", image.toString()),
                "--show-secrets needs --hdr-key or --host-key");
        Path cuid = Files.write(dir.resolve("cuid"), new byte[16]);
        usage(secret("--cuid-hex", "00".repeat(16), "--cuid", cuid.toString(), "meta"), "--cuid-hex and --cuid exclude each other");
        usage(secret("--extension-secret", cck.toString(), "--cck", cck.toString(), "meta"),
                "--extension-secret and --cck exclude each other");
        usage(secret("--flags", "bogus", "meta"), "--flags: unknown flag 'bogus' (expected disable-dump)");
        usage(ImageCommandTest.run("attest", "create", "-k", hkd.toString(), "--no-verify", "--cert", hkd.toString(),
                "-o", dir.resolve("a.req").toString(), "--arpk", dir.resolve("a.arpk").toString()),
                "--no-verify and --cert exclude each other");
        usage(ImageCommandTest.run("attest", "create", "-k", hkd.toString(), "-o", dir.resolve("a.req").toString(),
                "--arpk", dir.resolve("a.arpk").toString()), "host-key documents must be verified: give the IBM Z"
                + " signing key and intermediate CA certificates with --cert, or use --no-verify (insecure)");
    }

    /** As clap, the command line is checked before any file is read: a missing -k file does not hide it. */
    @Test
    void usageIsCheckedBeforeAnyFileIsRead() {
        String missing = dir.resolve("missing.crt").toString();
        String verified = "host-key documents must be verified";
        ImageCommandTest.Run r = ImageCommandTest.run("image", "create", "-i", kernel.toString(), "-o",
                dir.resolve("o.img").toString(), "-k", missing);
        assertThat(r.rc()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).startsWith("pvsim: " + verified);
        r = ImageCommandTest.run("secret", "create", "-k", missing, "--hdr", missing, "-o", dir.resolve("r").toString(), "meta");
        assertThat(r.rc()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).startsWith("pvsim: " + verified);
        r = ImageCommandTest.run("attest", "create", "-k", missing, "--no-verify", "-C", missing, "-o", image.toString(),
                "--arpk", dir.resolve("a").toString());
        assertThat(r.rc()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).startsWith("pvsim: --no-verify and --cert exclude each other");
    }

    @Test
    void parseErrorsAreUsageErrors() {
        for (String[] args : new String[][] {{"--bogus"}, {"image", "info", "--bogus", image.toString()},
            {"image", "info"}, {"image", "create", "-i"}, {"image", "bogus"}, {"machine", "run"},
            {"image", "info", "--format", "yaml", image.toString()}}) {
            ImageCommandTest.Run r = ImageCommandTest.run(args);
            assertThat(r.rc()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(2);
            assertThat(r.err()).as(String.join(" ", args)).contains("Usage: pvsim");
        }
    }

    @Test
    void runtimeErrorsStayOne() throws Exception {
        ImageCommandTest.Run r = create(dir.resolve("o.img"), "--cck", dir.resolve("missing").toString());
        assertThat(r.rc()).as(r.err()).isEqualTo(1);
        r = create(dir.resolve("o.img"), "--cck", Files.write(dir.resolve("short"), new byte[5]).toString());
        assertThat(r.rc()).as(r.err()).isEqualTo(1);
        r = create(dir.resolve("o.img"), "--x-pcf", "zz"); // pvimg parses --x-pcf after clap, too
        assertThat(r.rc()).as(r.err()).isEqualTo(1);
        r = ImageCommandTest.run("image", "info", dir.resolve("missing").toString());
        assertThat(r.rc()).as(r.err()).isEqualTo(1);
    }

    /** Every command with subcommands, those added later too, prints its usage and exits 2 when named alone. */
    @Test
    void everyGroupWithoutASubcommandIsAUsageError() {
        CommandLine root = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                false, CommandFactory.standard());
        List<List<String>> groups = new ArrayList<>();
        groups(root, new ArrayList<>(), groups);
        assertThat(groups).contains(List.of(), List.of("image"), List.of("secret", "create"));
        for (List<String> g : groups) {
            List<String> args = new ArrayList<>(g);
            if (g.equals(List.of("secret", "create"))) {
                args.addAll(List.of("-k", hkd.toString(), "--no-verify", "--hdr", image.toString(), "-o",
                        dir.resolve("r").toString()));
            }
            ImageCommandTest.Run r = ImageCommandTest.run(args.toArray(String[]::new));
            assertThat(r.rc()).as(g + ": " + r.err()).isEqualTo(2);
            assertThat(r.err()).as(g.toString()).startsWith("Usage: pvsim");
            assertThat(r.out()).as(g.toString()).isEmpty();
        }
    }

    private static void groups(CommandLine c, List<String> path, List<List<String>> found) {
        if (c.getSubcommands().keySet().stream().anyMatch(n -> !n.equals("help"))) {
            found.add(List.copyOf(path));
        }
        for (var e : c.getSubcommands().entrySet()) {
            if (!e.getKey().equals("help") && e.getValue().getCommandName().equals(e.getKey())) {
                List<String> sub = new ArrayList<>(path);
                sub.add(e.getKey());
                groups(e.getValue(), sub, found);
            }
        }
    }
}
