package org.pvsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pvsim.image.TestImages;
import org.pvsim.se.P521;
import org.pvsim.se.Pem;

class LifecycleDemoTest {
    @Test
    void runsTheWholeLifecycleAndRefusesTheTamperedImage(@TempDir Path dir) throws Exception {
        KeyPair host = P521.generate(new SecureRandom());
        Path key = dir.resolve("host.pem");
        Files.write(key, Pem.writePrivateKey(host.getPrivate()));
        Path image = dir.resolve("guest.img");
        TestImages.build(TestImages.spec(TestImages.kernel(dir, 0x12000, 3), null, null, List.of(host)), image);

        StringWriter s = new StringWriter();
        LifecycleDemo.run(new PrintWriter(s), image, key);
        String out = s.toString();
        assertThat(out).contains("KVM_CAP_S390_PROTECTED=1")
                .contains("KVM_PV_ENABLE          ok (rc 0x0001")
                .contains("KVM_PV_VERIFY          ok (rc 0x0001")
                .contains("vCPU 2 hot-plugged after ENABLE: protected=true")
                .contains("refused: errno EINVAL (22), UV rc 0x0102")
                .doesNotContain("NOT refused")
                .contains("leaked 0 KiB")
                .containsPattern("CREATE_SEC_CONF +2 ")
                .containsPattern("CONV_FROM_SEC_STOR +[1-9]");
        // DISABLE once per VM, each named; the UV calls that answer other than rc 1 by design are explained
        assertThat(out.lines().filter(l -> l.contains("KVM_PV_DISABLE"))).hasSize(2)
                .anyMatch(l -> l.contains("first VM:")).anyMatch(l -> l.contains("second VM (tampered):"));
        assertThat(out.lines().filter(l -> l.startsWith("DESTR_SEC_STOR 0x0107/0x000d: "))).hasSize(1);
        assertThat(out.lines().filter(l -> l.startsWith("PIN_PAGE_SHARED 0x0102: "))).hasSize(1);
        // what the host read is neither the image's bytes nor zeros
        String seen = out.lines().filter(l -> l.startsWith("host reads guest")).findFirst().orElseThrow();
        String had = out.lines().filter(l -> l.contains("the image had there")).findFirst().orElseThrow();
        assertThat(seen.substring(seen.indexOf(": ") + 2)).isNotEqualTo(had.substring(had.indexOf(": ") + 2).strip())
                .isNotEqualTo("0".repeat(64));
    }
}
