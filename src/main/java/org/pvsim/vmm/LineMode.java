package org.pvsim.vmm;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;

/**
 * The text of a line-mode message event (event type 0x02): a message data block whose message-text objects
 * (MTO, object type 4) carry one EBCDIC line each (QEMU's sclpconsole-lm.c, Linux's sclp_rw.c).
 */
final class LineMode {
    private static final int MDB_HEADER = 12;
    private static final int OBJECT_MTO = 4;
    private static final int MTO_TEXT = 10;
    private static final Charset EBCDIC = Charset.isSupported("IBM037") ? Charset.forName("IBM037")
            : Charset.forName("ISO-8859-1");

    private LineMode() {
    }

    /** Lines of the message event at {@code off} ({@code len} bytes), each ending in a newline. */
    static String text(ByteBuffer b, int off, int len) {
        StringBuilder sb = new StringBuilder();
        int end = off + len;
        for (int o = off + 6 + MDB_HEADER; o + 4 <= end; ) {
            int objLen = b.getShort(o) & 0xffff;
            if (objLen < 4 || o + objLen > end) {
                break;
            }
            if ((b.getShort(o + 2) & 0xffff) == OBJECT_MTO && objLen >= MTO_TEXT) {
                sb.append(new String(b.array(), o + MTO_TEXT, objLen - MTO_TEXT, EBCDIC)).append('\n');
            }
            o += objLen;
        }
        return sb.toString();
    }
}
