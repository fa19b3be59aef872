package org.pvsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pvsim.image.SeImage;
import org.pvsim.image.SeImageReader;
import org.pvsim.image.TestImages;

/** image info's JSON printer writes what an ObjectMapper would, byte for byte, without one. */
class ImageInfoJsonTest {
    @Test
    void printsWhatAnObjectMapperPrints(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("se.img");
        TestImages.build(TestImages.spec(TestImages.kernel(dir, 0x3000, 3), null, null, List.of(TestImages.HOST)), out);
        SeImage img = SeImageReader.read(out);
        ObjectNode odd = JsonNodeFactory.instance.objectNode();
        odd.put("big", Long.MIN_VALUE).put("neg", -1).put("real", new BigDecimal("1.25")).put("t", true)
                .put("quote", "a\"b\\c\n\u0001é").putNull("none");
        odd.putArray("empty");
        odd.putObject("nothing");
        odd.putArray("nested").add(1).addArray().add("x");
        List<JsonNode> docs = List.of(ImageInfo.toJson(out, img, null, false),
                ImageInfo.envelope(ImageInfo.toJson(out, img, null, false)), ImageInfo.schema(ImageInfo.JsonLayout.pvimg),
                odd);
        for (JsonNode doc : docs) {
            for (boolean minify : new boolean[] {false, true}) {
                ObjectMapper m = new ObjectMapper();
                String expected = (minify ? m : m.enable(SerializationFeature.INDENT_OUTPUT)).writeValueAsString(doc)
                        + System.lineSeparator();
                assertThat(printed(doc, minify)).isEqualTo(expected);
            }
        }
    }

    private static String printed(JsonNode doc, boolean minify) {
        StringWriter s = new StringWriter();
        ImageInfo.printJson(new PrintWriter(s), doc, minify);
        return s.toString();
    }
}
