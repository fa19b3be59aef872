package org.pvsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pvsim.image.SeImage;
import org.pvsim.image.SeImageReader;
import org.pvsim.image.TestImages;

/** image info shows the customer public key one way: the 66-byte X and Y, in text and in JSON alike. */
class ImageInfoKeyTest {
    @Test
    void textAndJsonShowTheSameCoordinates(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("se.img");
        TestImages.build(TestImages.spec(TestImages.kernel(dir, 0x3000, 3), null, null, List.of(TestImages.HOST)), out);
        SeImage img = SeImageReader.read(out);
        byte[] xy = img.header().customerPublicKeyXY();
        HexFormat hex = HexFormat.of();
        JsonNode key = ImageInfo.toJson(out, img, null, false).get("header").get("customer_public_key");
        assertThat(key.get("x").asText()).isEqualTo(hex.formatHex(xy, 14, 80)).hasSize(132);
        assertThat(key.get("y").asText()).isEqualTo(hex.formatHex(xy, 94, 160)).hasSize(132);
        StringWriter text = new StringWriter();
        ImageInfo.print(new PrintWriter(text), ImageInfo.Format.text, out, img, null, false);
        assertThat(text.toString()).contains("X " + key.get("x").asText()).contains("Y " + key.get("y").asText());
    }
}
