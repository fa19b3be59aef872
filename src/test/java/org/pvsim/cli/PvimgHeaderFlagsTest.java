package org.pvsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pvsim.image.TestImages;

/** The header-flag options of the current pvimg: CCK update, PCKMO HMAC, backup target keys. */
class PvimgHeaderFlagsTest {
    @TempDir
    static Path dir;
    static Path hkd;
    static Path kernel;
    static Path cck;

    @BeforeAll
    static void setUp() throws Exception {
        hkd = HostKeyFixtures.certificate(dir, "host", HostKeyFixtures.ec("secp521r1"));
        kernel = TestImages.kernel(dir, 0x12345, 1);
        cck = TestImages.file(dir, "cck", new byte[32]);
    }

    static ImageCommandTest.Run create(String name, String... extra) {
        List<String> args = new ArrayList<>(List.of("image", "create", "-i", kernel.toString(), "-o",
                dir.resolve(name).toString(), "-k", hkd.toString(), "--no-verify"));
        args.addAll(List.of(extra));
        return ImageCommandTest.run(args.toArray(String[]::new));
    }

    static String pcf(String name) throws Exception {
        ImageCommandTest.Run r = ImageCommandTest.run("image", "info", "--format", "json", dir.resolve(name).toString());
        return new ObjectMapper().readTree(r.out()).get("header").get("pcf").asText();
    }

    @Test
    void pckmoHmacAndBackupKeysSetTheirPcfBits() throws Exception {
        assertThat(create("a.img", "--enable-pckmo-hmac", "--enable-backup-keys").rc()).isZero();
        assertThat(pcf("a.img")).isEqualTo("0x00000000000000f2");
        assertThat(create("b.img", "--disable-pckmo-hmac", "--disable-backup-keys").rc()).isZero();
        assertThat(pcf("b.img")).isEqualTo("0x00000000000000e0");
    }

    @Test
    void cckUpdateMakesDumpPossibleWithoutACck() {
        assertThat(create("c.img", "--enable-dump").err()).contains("needs a customer communication key");
        ImageCommandTest.Run r = create("d.img", "--enable-dump", "--enable-cck-update");
        assertThat(r.rc()).as(r.err()).isZero();
    }

    @Test
    void conflictsAreOneLine() {
        ImageCommandTest.Run r = create("e.img", "--enable-pckmo-hmac", "--disable-pckmo-hmac");
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err().lines().filter(l -> l.startsWith("pvsim: ")).toList())
                .containsExactly("pvsim: --enable-pckmo-hmac and --disable-pckmo-hmac exclude each other");
        r = create("f.img", "--cck", cck.toString(), "--enable-cck-extension-secret", "--enable-cck-update");
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err()).contains("pvsim: --enable-cck-update and --enable-cck-extension-secret exclude each other");
    }
}
