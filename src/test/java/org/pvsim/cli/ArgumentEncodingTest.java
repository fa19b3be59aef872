package org.pvsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Arguments whose bytes the JVM could not decode are named in one line, never taken for another file. */
class ArgumentEncodingTest {
    static final byte[] JAVA = "java".getBytes(StandardCharsets.US_ASCII);

    @Test
    void anInvalidUtf8NameIsNamedAsTheShellWouldWriteIt() {
        byte[] ff = {'d', '/', (byte) 0xff, '.', 'i', 'm', 'g'};
        String decoded = new String(ff, StandardCharsets.UTF_8);
        assertThat(ArgumentEncoding.problem(new String[] {"image", "info", decoded},
                List.of(JAVA, "-jar".getBytes(), "image".getBytes(), "info".getBytes(), ff), StandardCharsets.UTF_8))
                .isEqualTo("argument $'d/\\xff.img' is not valid UTF-8, and Java names files in UTF-8 here: give the"
                        + " file a UTF-8 name (or a link with one)");
    }

    @Test
    void validUtf8IsFineAndAnAsciiLocaleIsExplained() {
        byte[] cafe = "café".getBytes(StandardCharsets.UTF_8);
        String[] args = {"image", "info", "café"};
        List<byte[]> raw = List.of(JAVA, "image".getBytes(), "info".getBytes(), cafe);
        assertThat(ArgumentEncoding.problem(args, raw, StandardCharsets.UTF_8)).isNull();
        assertThat(ArgumentEncoding.problem(args, raw, StandardCharsets.US_ASCII))
                .startsWith("argument $'caf\\xc3\\xa9' cannot be decoded as US-ASCII").contains("LC_ALL=C.UTF-8");
    }

    @Test
    void withoutTheRawBytesAReplacementCharacterIsTheSign() {
        assertThat(ArgumentEncoding.problem(new String[] {"x\uFFFD.img"}, null, StandardCharsets.UTF_8))
                .startsWith("argument 'x\uFFFD.img' is not valid UTF-8");
        assertThat(ArgumentEncoding.problem(new String[] {"ключ.pem"}, null, StandardCharsets.UTF_8)).isNull();
    }

    @Test
    void asciiArgumentsAreNotEvenLookedAt() {
        assertThat(ArgumentEncoding.problem(new String[] {"image", "info", "x.img"})).isNull();
    }

    @Test
    void quotesAndBackslashesAreEscaped() {
        assertThat(ArgumentEncoding.shellQuoted("a'b\\c\n".getBytes())).isEqualTo("$'a\\'b\\\\c\\x0a'");
    }
}
