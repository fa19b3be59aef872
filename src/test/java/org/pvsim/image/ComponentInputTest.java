package org.pvsim.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComponentInputTest {
    @TempDir
    Path dir;

    @Test
    void cmdlineGetsOneNul() throws Exception {
        assertThat(Cmdline.read(Files.write(dir.resolve("a"), "abc".getBytes()))).containsExactly('a', 'b', 'c', 0);
        assertThat(Cmdline.read(Files.write(dir.resolve("b"), "abc\0".getBytes()))).containsExactly('a', 'b', 'c', 0);
        assertThat(Cmdline.read(Files.write(dir.resolve("c"), new byte[0]))).containsExactly(0);
    }

    @Test
    void cmdlineLongerThanTheKernelAllows() throws Exception {
        Path kernel = TestImages.kernel(dir, 0x11000, 1); // COMMAND_LINE_SIZE 4096
        Path parm = Files.write(dir.resolve("parm"), new byte[4096]);
        parm = Files.write(parm, "x".repeat(4096).getBytes());
        Path p = parm;
        assertThatThrownBy(() -> TestImages.build(TestImages.spec(kernel, null, p, List.of(TestImages.HOST)),
                dir.resolve("o.img"))).hasMessageContaining("4097 bytes (with NUL), the kernel accepts at most 4096");
        assertThat(dir.resolve("o.img")).doesNotExist();
        try (var s = Files.list(dir)) {
            assertThat(s.map(Path::toString)).noneMatch(n -> n.endsWith(".part"));
        }
    }

    @Test
    void noRamdiskNoCmdlineMeansKernelAndStage3bOnly() throws Exception {
        var res = TestImages.build(TestImages.spec(TestImages.kernel(dir, 0x11000, 2), null, null,
                List.of(TestImages.HOST)), dir.resolve("o.img"));
        assertThat(res.components()).hasSize(2);
        assertThat(res.header().nep()).isEqualTo(0x11 + 2);
    }
}
