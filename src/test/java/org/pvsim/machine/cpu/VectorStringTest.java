package org.pvsim.machine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The vector string instructions: find equal, find not equal, find any, isolate string, range compare. */
class VectorStringTest extends VectorTestSupport {
    /** 16 characters (NUL as \0) as a VR value. */
    static String text(String s) {
        assertThat(s).hasSize(16);
        return HexFormat.of().formatHex(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    static String index(int byteIndex) {
        return String.format("%016x%016x", byteIndex, 0);
    }

    @Test
    void findElementEqualWithAndWithoutZeroSearch() {
        // vfeebs %v1,%v2,%v3; vfeezbs %v4,%v2,%v3 (three times)
        code("e71230100080 e74230300080 e74230300080 e74230300080");
        vr(2, text("hello world!!!!!"));
        vr(3, text("oooooooooooooooo"));
        run(1);
        assertThat(vr(1)).isEqualTo(index(4));
        assertThat(c.cc).isEqualTo(1); // a match, no zero searched
        vr(2, text("hel\0o world!!!!!"));
        run(1);
        assertThat(vr(4)).isEqualTo(index(3));
        assertThat(c.cc).isZero(); // the zero comes first
        vr(2, text("hello\0world!!!!!"));
        run(1);
        assertThat(vr(4)).isEqualTo(index(4));
        assertThat(c.cc).isEqualTo(2); // a match before the zero
        vr(2, text("abcdefghijklmnpq"));
        run(1);
        assertThat(vr(4)).isEqualTo(index(16));
        assertThat(c.cc).isEqualTo(3);
    }

    @Test
    void findElementEqualOfHalfwordsGivesAByteIndex() {
        code("e75230101080"); // vfeehs %v5,%v2,%v3
        vr(2, "00010002000300040005000600070008");
        vr(3, "00000000000300000000000000000000");
        run(1);
        assertThat(vr(5)).isEqualTo(index(4));
        assertThat(c.cc).isEqualTo(1);
    }

    @Test
    void findElementNotEqualTellsWhichIsLower() {
        // vfenebs %v1,%v2,%v3 three times; vfenezbs %v4,%v2,%v3
        code("e71230100081 e71230100081 e71230100081 e74230300081");
        vr(2, text("abcdefghijklmnop"));
        vr(3, text("abXdefghijklmnop"));
        run(1);
        assertThat(vr(1)).isEqualTo(index(2));
        assertThat(c.cc).isEqualTo(2); // 'c' > 'X'
        vr(3, text("abzdefghijklmnop"));
        run(1);
        assertThat(c.cc).isEqualTo(1);
        vr(3, text("abcdefghijklmnop"));
        run(1);
        assertThat(vr(1)).isEqualTo(index(16));
        assertThat(c.cc).isEqualTo(3);
        vr(2, text("ab\0defghijklmnop"));
        vr(3, text("ab\0Xefghijklmnop"));
        run(1);
        assertThat(vr(4)).isEqualTo(index(2));
        assertThat(c.cc).isZero();
    }

    @Test
    void findAnyElementEqualIndexMaskAndInverted() {
        // vfaebs %v1; vfaezbs %v4; vfaeb %v5 with RT; vfaebs %v6 with IN (of %v2, %v3)
        code("e71230100082 e74230300082 e75230400082 e76230900082");
        vr(2, text("the quick brown "));
        vr(3, text("xyzqxxxxxxxxxxxx"));
        run(1);
        assertThat(vr(1)).isEqualTo(index(4));
        assertThat(c.cc).isEqualTo(1);
        vr(2, text("th\0 quick brown "));
        run(1);
        assertThat(vr(4)).isEqualTo(index(2));
        assertThat(c.cc).isZero();
        vr(2, text("the quick brown "));
        vr(3, text("quqqqqqqqqqqqqqq"));
        run(1);
        assertThat(vr(5)).isEqualTo("00000000ffff" + "00".repeat(10));
        vr(2, text("aaabaaaaaaaaaaaa"));
        vr(3, text("aaaaaaaaaaaaaaaa"));
        run(1);
        assertThat(vr(6)).isEqualTo(index(3));
        assertThat(c.cc).isEqualTo(1);
    }

    @Test
    void isolateStringClearsFromTheFirstZero() {
        code("e7120010005c e7120010005c"); // vistrbs %v1,%v2 twice
        vr(2, text("hi!\0xxxxxxxxxxxx"));
        run(1);
        assertThat(vr(1)).isEqualTo("686921" + "00".repeat(13));
        assertThat(c.cc).isZero();
        vr(2, text("no zero anywhere"));
        run(1);
        assertThat(vr(1)).isEqualTo(text("no zero anywhere"));
        assertThat(c.cc).isEqualTo(3);
    }

    @Test
    void stringRangeCompare() {
        // vstrcbs %v1; vstrcb %v5 with RT; vstrcbs %v6 with IN; vstrczbs %v7 (of %v2, ranges %v3, controls %v4)
        code("e7123010408a e7523040408a e7623090408a e7723030408a");
        vr(2, text("ABCdefGHIjklMNOp"));
        vr(3, text("azazazazazazazaz"));
        vr(4, "a0c0".repeat(8)); // >= 'a' and <= 'z'
        run(1);
        assertThat(vr(1)).isEqualTo(index(3));
        assertThat(c.cc).isEqualTo(1);
        run(1);
        assertThat(vr(5)).isEqualTo("000000ffffff000000ffffff000000ff");
        vr(2, text("abcDefghijklmnop"));
        run(1);
        assertThat(vr(6)).isEqualTo(index(3));
        vr(2, text("AB\0dEFGHIJKLMNOP"));
        run(1);
        assertThat(vr(7)).isEqualTo(index(2));
        assertThat(c.cc).isZero();
    }
}
