package org.pvsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {

    @Test
    void theTourAnswersAsExpectedAndKeepsFilesOnlyWhenAsked(@TempDir Path tmp) throws Exception {
        StringWriter out = new StringWriter();
        Path keep = tmp.resolve("work");
        int rc = Main.run(new String[] {"demo", "--keep", keep.toString()}, new PrintWriter(out), new PrintWriter(out));

        assertThat(rc).as(out.toString()).isZero();
        assertThat(out.toString())
                .contains("$ pvsim image create -i kernel")
                .contains("Successfully generated the Secure Execution image demo.img")
                .contains("revoked")
                .contains("verified")
                .contains("PLD (page list digest) mismatch")
                .contains("vCPU 2 hot-plugged after ENABLE: protected=true")
                .containsPattern("refused: errno EINVAL \\(22\\), UV rc 0x0102 rrc 0x001b")
                .contains("leaked 0 KiB")
                .contains("demo: every step answered as expected")
                .doesNotContain(keep.toString() + "/"); // paths are shown as the user would type them
        assertThat(keep.resolve("demo.img")).isRegularFile();
        assertThat(Files.size(keep.resolve("demo.img"))).isGreaterThan(0x14000);
    }
}
