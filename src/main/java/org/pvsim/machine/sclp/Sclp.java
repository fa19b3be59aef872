package org.pvsim.machine.sclp;

import java.util.function.Consumer;
import org.pvsim.machine.storage.Storage;

/**
 * The service-call logical processor behind SERVC: reads the SCCB (service-call control block) from
 * storage, performs the command, writes the response code and raises the service-signal external
 * interruption (code 0x2401, parameter = SCCB address) when done.
 *
 * <p>Commands: READ SCP INFO (0x00020001, forced 0x00120001), READ CPU INFO (0x00010001), WRITE EVENT
 * MASK (0x00780005), WRITE EVENT DATA (0x00760005) with ASCII console (type 0x1a) and line-mode message
 * (type 0x02, EBCDIC) buffers going to the console sink, READ EVENT DATA (0x00770005; there is no
 * console input, so "no event buffers stored"). Layouts as in Linux's and QEMU's sclp.h.
 */
public final class Sclp {
    public static final int CMD_READ_CPU_INFO = 0x00010001;
    public static final int CMD_READ_SCP_INFO = 0x00020001;
    public static final int CMD_READ_SCP_INFO_FORCED = 0x00120001;
    public static final int CMD_WRITE_EVENT_DATA = 0x00760005;
    public static final int CMD_READ_EVENT_DATA = 0x00770005;
    public static final int CMD_WRITE_EVENT_MASK = 0x00780005;

    public static final int RC_NORMAL_READ_COMPLETION = 0x0010;
    public static final int RC_NORMAL_COMPLETION = 0x0020;
    public static final int RC_SCCB_BOUNDARY_VIOLATION = 0x0100;
    public static final int RC_INVALID_COMMAND = 0x01f0;
    public static final int RC_INSUFFICIENT_SCCB_LENGTH = 0x0300;
    public static final int RC_INVALID_FUNCTION = 0x40f0;
    public static final int RC_NO_EVENT_BUFFERS_STORED = 0x60f0;
    public static final int RC_INVALID_SELECTION_MASK = 0x70f0;
    public static final int RC_INCONSISTENT_LENGTHS = 0x72f0;
    public static final int RC_EVENT_BUFFER_SYNTAX_ERROR = 0x73f0;
    public static final int RC_INVALID_MASK_LENGTH = 0x74f0;

    public static final int EVENT_MSG = 0x02;
    public static final int EVENT_ASCII_CONSOLE = 0x1a;
    /** Event masks: bit (32 - type) of a 4-byte mask. */
    public static final int MASK_MSG = 0x40000000;
    public static final int MASK_ASCII = 0x00000040;

    /** What the SCLP needs of the machine. */
    public interface Port {
        Storage storage();

        void written(long absolute, int length);

        void serviceSignal(long parameter);

        long memorySize();

        int cpuCount();
    }

    private final Port port;
    private final Consumer<String> console;
    private int receiveMask; // events the control program accepts from us
    private int sendMask; // events the control program sends to us
    private final StringBuilder pending = new StringBuilder();

    public Sclp(Port port, Consumer<String> console) {
        this.port = port;
        this.console = console;
    }

    /** SERVC: returns the condition code (0 initiated); the response arrives with the service signal. */
    public int serviceCall(int command, long sccb) {
        Storage s = port.storage();
        if (sccb + 8 > s.size()) {
            return 3;
        }
        int length = read16(sccb);
        int rc;
        if (length < 8) {
            rc = RC_INSUFFICIENT_SCCB_LENGTH;
        } else if ((sccb & 0xfff) + length > 4096) {
            rc = RC_SCCB_BOUNDARY_VIOLATION;
        } else {
            rc = switch (command) {
                case CMD_READ_SCP_INFO, CMD_READ_SCP_INFO_FORCED -> readScpInfo(sccb, length);
                case CMD_READ_CPU_INFO -> readCpuInfo(sccb, length);
                case CMD_WRITE_EVENT_MASK -> writeEventMask(sccb, length);
                case CMD_WRITE_EVENT_DATA -> writeEventData(sccb, length);
                case CMD_READ_EVENT_DATA -> RC_NO_EVENT_BUFFERS_STORED;
                default -> RC_INVALID_COMMAND;
            };
        }
        write(sccb + 6, rc, 2);
        port.serviceSignal(sccb & ~7L);
        return 0;
    }

    /** Flushes a console line without a newline (at the end of a run). */
    public void flush() {
        if (pending.length() > 0) {
            console.accept(pending.toString());
            pending.setLength(0);
        }
    }

    private int readScpInfo(long sccb, int length) {
        int cpus = port.cpuCount();
        int cpuOffset = 128;
        if (length < cpuOffset + 16 * cpus) {
            return RC_INSUFFICIENT_SCCB_LENGTH;
        }
        long mib = port.memorySize() >>> 20;
        int rnsize = 1; // storage increment size in MiB
        while (mib / rnsize > 0xffff) {
            rnsize <<= 1;
        }
        clear(sccb + 8, length - 8);
        write(sccb + 8, mib / rnsize, 2); // rnmax
        write(sccb + 10, rnsize, 1); // rnsize
        write(sccb + 16, cpus, 2); // entries_cpu
        write(sccb + 18, cpuOffset, 2); // offset_cpu
        write(sccb + 100, 0, 4); // rnsize2
        write(sccb + 104, mib / rnsize, 8); // rnmax2
        write(sccb + 120, cpus - 1, 2); // highest CPU address
        for (int k = 0; k < cpus; k++) {
            write(sccb + cpuOffset + 16L * k, k, 1); // CPU address; type 0 (CP)
        }
        return RC_NORMAL_READ_COMPLETION;
    }

    private int readCpuInfo(long sccb, int length) {
        int cpus = port.cpuCount();
        int offset = 16;
        if (length < offset + 16 * cpus) {
            return RC_INSUFFICIENT_SCCB_LENGTH;
        }
        clear(sccb + 8, length - 8);
        write(sccb + 8, cpus, 2); // nr_configured
        write(sccb + 10, offset, 2);
        for (int k = 0; k < cpus; k++) {
            write(sccb + offset + 16L * k, k, 1);
        }
        return RC_NORMAL_READ_COMPLETION;
    }

    private int writeEventMask(long sccb, int length) {
        if (length < 12) {
            return RC_INSUFFICIENT_SCCB_LENGTH;
        }
        int maskLength = read16(sccb + 10);
        if (maskLength == 0 || maskLength > 4 || length < 12 + 4 * maskLength) {
            return RC_INVALID_MASK_LENGTH;
        }
        receiveMask = (int) readN(sccb + 12, maskLength) << (8 * (4 - maskLength));
        sendMask = (int) readN(sccb + 12 + maskLength, maskLength) << (8 * (4 - maskLength));
        // what the SCLP can send (none: no console input) and receive (ASCII and message events)
        write(sccb + 12 + 2L * maskLength, 0, maskLength);
        write(sccb + 12 + 3L * maskLength, (MASK_ASCII | MASK_MSG) >>> (8 * (4 - maskLength)), maskLength);
        return RC_NORMAL_COMPLETION;
    }

    private int writeEventData(long sccb, int length) {
        int fc = read8(sccb + 2);
        if (fc != 0) {
            return RC_INVALID_FUNCTION;
        }
        long p = sccb + 8;
        long end = sccb + length;
        if (p == end) {
            return RC_EVENT_BUFFER_SYNTAX_ERROR;
        }
        while (p < end) {
            if (p + 6 > end) {
                return RC_EVENT_BUFFER_SYNTAX_ERROR;
            }
            int evLength = read16(p);
            int type = read8(p + 2);
            if (evLength < 6 || p + evLength > end) {
                return RC_EVENT_BUFFER_SYNTAX_ERROR;
            }
            int bit = type >= 1 && type <= 32 ? 1 << (32 - type) : 0;
            if ((receiveMask & bit) == 0) {
                return RC_INVALID_SELECTION_MASK;
            }
            byte[] data = port.storage().read(p + 6, evLength - 6, Storage.HOST);
            switch (type) {
                case EVENT_ASCII_CONSOLE -> emit(new String(data, java.nio.charset.StandardCharsets.ISO_8859_1));
                case EVENT_MSG -> emit(lineModeText(data));
                default -> {
                    return RC_INVALID_FUNCTION;
                }
            }
            write(p + 3, read8(p + 3) | 0x80, 1); // buffer processed
            p += evLength;
        }
        return RC_NORMAL_COMPLETION;
    }

    /**
     * The text of a line-mode message (Linux's struct mdb): a 12-byte MDB header (length, type, tag
     * "MDB ", revision), then objects that each start with their length and type: a GO (general
     * object, type 1) and MTOs (message text objects, type 4: 10-byte header, then EBCDIC text). Each
     * MTO is one line.
     */
    static String lineModeText(byte[] data) {
        StringBuilder sb = new StringBuilder();
        int p = 12;
        while (p + 4 <= data.length) {
            int len = (data[p] & 0xff) << 8 | (data[p + 1] & 0xff);
            int type = (data[p + 2] & 0xff) << 8 | (data[p + 3] & 0xff);
            if (len < 4 || p + len > data.length) {
                break;
            }
            if (type == 0x0004 && len >= 10) { // MTO: length, type, line type flags(2), alarm/control(4)
                sb.append(Ebcdic.decode(data, p + 10, len - 10)).append('\n');
            }
            p += len;
        }
        return sb.toString();
    }

    private void emit(String text) {
        pending.append(text);
        int nl;
        while ((nl = pending.indexOf("\n")) >= 0) {
            console.accept(pending.substring(0, nl + 1));
            pending.delete(0, nl + 1);
        }
    }

    // ---- SCCB access: absolute addresses, firmware side -----------------------------------------

    private int read8(long a) {
        return port.storage().readByte(a, Storage.HOST);
    }

    private int read16(long a) {
        return port.storage().readShort(a, Storage.HOST);
    }

    private long readN(long a, int n) {
        return port.storage().readUnsigned(a, n, Storage.HOST);
    }

    private void write(long a, long v, int n) {
        port.storage().writeUnsigned(a, v, n, Storage.HOST);
        port.written(a, n);
    }

    private void clear(long a, int n) {
        port.storage().write(a, new byte[n], 0, n, Storage.HOST);
        port.written(a, n);
    }
}
