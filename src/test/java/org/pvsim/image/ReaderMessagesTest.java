package org.pvsim.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pvsim.se.Be;
import org.pvsim.se.SeFormatException;

/** Messages about corrupted 64-bit image fields print them as unsigned hex, never as negative numbers. */
class ReaderMessagesTest {
    @Test
    void aCorruptedIpibHeaderSizeIsUnsignedHex(@TempDir Path dir) throws Exception {
        Path kernel = TestImages.kernel(dir, 0x3000, 7);
        Path out = dir.resolve("se.img");
        TestImages.build(TestImages.spec(kernel, null, null, List.of(TestImages.HOST)), out);
        byte[] img = Files.readAllBytes(out);
        long ipib = SeImageReader.read(img).ipibAddress();
        Be.putLong(img, (int) ipib + 128, 0xff00000000000080L);
        assertThatThrownBy(() -> SeImageReader.read(img)).isInstanceOf(SeFormatException.class)
                .hasMessageContaining("IPIB says the SE header is 0xff00000000000080 bytes, the header says 0x")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("-72057594037927"));
    }
}
