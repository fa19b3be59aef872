package org.pvsim.machine.sclp;

import java.nio.charset.Charset;

/** EBCDIC code page 037, for the line-mode console and STSI names. */
public final class Ebcdic {
    private static final Charset CP037 = Charset.forName("IBM037");

    private Ebcdic() {
    }

    public static byte[] encode(String s) {
        return s.getBytes(CP037);
    }

    public static String decode(byte[] b, int off, int len) {
        return new String(b, off, len, CP037);
    }
}
