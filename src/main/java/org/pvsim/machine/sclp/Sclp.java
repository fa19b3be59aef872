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
 * (type 0x02, EBCDIC) buffers going to the console sink, READ EVENT DATA (0x00770005) handing
 * {@link ConsoleInput} to the program as ASCII console buffers. Layouts as in Linux's and QEMU's sclp.h.
 *
 * <p>Console input is announced as QEMU's event facility does: bit 31 of the service-signal parameter
 * ({@link #EVENT_PENDING}) says an event buffer waits. Input that arrives while the program's receive
 * mask selects ASCII console data raises a service signal of its own (parameter 1, no SCCB), and
 * every completed command's signal carries the bit while input waits.
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
    /** Service-signal parameter bit: an event buffer waits to be read. */
    public static final int EVENT_PENDING = 1;
    /** The command bits that name a command; the others (bits 16-23) select a resource. */
    static final int COMMAND_MASK = 0xffff00ff;
    /** SCCB header control-mask byte 2: the program accepts a response shorter than its SCCB. */
    static final int VARIABLE_LENGTH_RESPONSE = 0x80;
    /** First byte of ASCII console input: the VT220 session byte "data follows" (0x80 started, 0x01 ended). */
    public static final int VT220_SESSION_DATA = 0x00;
    /** READ CPU INFO: the CPU entries follow a 24-byte header (QEMU's ReadCpuInfo). */
    static final int CPU_INFO_ENTRIES = 24;

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
    /** cp_receive_mask of the last WRITE EVENT MASK: the event types the control program accepts. */
    private int cpReceiveMask;
    /** cp_send_mask of the last WRITE EVENT MASK: the event types the control program will send. */
    private int cpSendMask;
    /** Event types the SCLP can receive (WRITE EVENT DATA); it sends ASCII console data if it has input. */
    static final int SCLP_RECEIVE_MASK = MASK_ASCII | MASK_MSG;
    static final int SCLP_SEND_MASK = 0;
    private final StringBuilder pending = new StringBuilder();
    private final ConsoleInput input;
    /** Input arrivals already announced with an attention signal. */
    private long announced;

    public Sclp(Port port, Consumer<String> console) {
        this(port, console, null);
    }

    /** An SCLP whose console also has {@code input} (null: none, the SCLP sends no events). */
    public Sclp(Port port, Consumer<String> console, ConsoleInput input) {
        this.port = port;
        this.console = console;
        this.input = input;
    }

    /** The event types the SCLP sends to the program (answered as send_mask by WRITE EVENT MASK). */
    int sendMask() {
        return input == null ? SCLP_SEND_MASK : SCLP_SEND_MASK | MASK_ASCII;
    }

    /** Whether console input waits that the program's receive mask asks for. */
    public boolean eventPending() {
        return input != null && (cpReceiveMask & sendMask() & MASK_ASCII) != 0 && input.available() > 0;
    }

    /**
     * Called between slices: input that arrived since the last look, and that the program asked for,
     * raises the attention service signal (QEMU's sclp_service_interrupt(0) on console input).
     */
    public void poll() {
        if (input == null) {
            return;
        }
        long arrivals = input.arrivals();
        if (arrivals != announced && eventPending()) {
            announced = arrivals;
            port.serviceSignal(EVENT_PENDING);
        }
    }

    /**
     * Whether console input may still come that the program wants: it selected ASCII console data in
     * its receive mask and the input has not ended. A waiting program may then be woken by it.
     */
    public boolean inputMayArrive() {
        return input != null && (cpReceiveMask & MASK_ASCII) != 0 && !input.exhausted();
    }

    /** Whether the console's input ended (end of file) and every byte of it was read. */
    public boolean inputExhausted() {
        return input != null && input.exhausted();
    }

    /** Waits up to {@code nanos} for console input (starting to read it if nobody asked yet). */
    public void awaitInput(long nanos) {
        if (input != null) {
            input.demand();
            input.await(nanos);
        }
    }

    /** SERVC: returns the condition code (0 initiated); the response arrives with the service signal. */
    public int serviceCall(int command, long sccb) {
        Storage s = port.storage();
        if (sccb + 8 > s.size()) {
            return 3;
        }
        int length = read16(sccb);
        int rc;
        // QEMU's order: the command, then the SCCB's extent (no extended-length SCCBs: every command's
        // SCCB stays within its page), then the command's own checks
        if (!known(command)) {
            rc = RC_INVALID_COMMAND;
        } else if (length < 8) {
            rc = RC_INSUFFICIENT_SCCB_LENGTH;
        } else if ((sccb & 0xfff) + length > 4096) {
            rc = RC_SCCB_BOUNDARY_VIOLATION;
        } else {
            rc = switch (command & COMMAND_MASK) {
                case CMD_READ_SCP_INFO, CMD_READ_SCP_INFO_FORCED -> readScpInfo(sccb, length);
                case CMD_READ_CPU_INFO -> readCpuInfo(sccb, length);
                case CMD_WRITE_EVENT_MASK -> writeEventMask(sccb, length);
                case CMD_WRITE_EVENT_DATA -> writeEventData(sccb, length);
                case CMD_READ_EVENT_DATA -> readEventData(sccb, length);
                default -> RC_INVALID_COMMAND;
            };
        }
        write(sccb + 6, rc, 2);
        port.serviceSignal((sccb & ~7L) | (eventPending() ? EVENT_PENDING : 0));
        return 0;
    }

    private static boolean known(int command) {
        return switch (command & COMMAND_MASK) {
            case CMD_READ_SCP_INFO, CMD_READ_SCP_INFO_FORCED, CMD_READ_CPU_INFO, CMD_WRITE_EVENT_MASK,
                    CMD_WRITE_EVENT_DATA, CMD_READ_EVENT_DATA -> true;
            default -> false;
        };
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
        int offset = CPU_INFO_ENTRIES;
        if (length < offset + 16 * cpus) {
            return RC_INSUFFICIENT_SCCB_LENGTH;
        }
        clear(sccb + 8, length - 8);
        write(sccb + 8, cpus, 2); // nr_configured
        write(sccb + 10, offset, 2);
        write(sccb + 12, 0, 2); // nr_standby
        write(sccb + 14, offset + 16 * cpus, 2); // offset_standby
        for (int k = 0; k < cpus; k++) {
            write(sccb + offset + 16L * k, k, 1);
        }
        return RC_NORMAL_READ_COMPLETION;
    }

    /**
     * WRITE EVENT MASK (QEMU's WriteEventMask, Linux's init_sccb): after the header, u16 reserved, u16
     * mask length, then four masks of that length: cp_receive_mask, cp_send_mask (both set by the
     * control program), send_mask and receive_mask (the SCLP's answer: what it can send to and
     * receive from the control program).
     */
    private int writeEventMask(long sccb, int length) {
        if (length < 12) {
            return RC_INSUFFICIENT_SCCB_LENGTH;
        }
        int maskLength = read16(sccb + 10);
        if (maskLength == 0 || maskLength > 4 || length < 12 + 4 * maskLength) {
            return RC_INVALID_MASK_LENGTH;
        }
        int shift = 8 * (4 - maskLength);
        cpReceiveMask = (int) readN(sccb + 12, maskLength) << shift;
        cpSendMask = (int) readN(sccb + 12 + maskLength, maskLength) << shift;
        write(sccb + 12 + 2L * maskLength, sendMask() >>> shift, maskLength);
        write(sccb + 12 + 3L * maskLength, SCLP_RECEIVE_MASK >>> shift, maskLength);
        return RC_NORMAL_COMPLETION;
    }

    /**
     * READ EVENT DATA (QEMU's read_event_data): the SCCB must be a full page; function code 0 reads
     * whatever the control program's receive mask selects, 1 reads the selection mask after the event
     * buffer header, which must be a subset of that receive mask. The one event the SCLP sends is ASCII
     * console data: one buffer (header: length, type 0x1a, flags with "accepted", reserved), then the
     * VT220 session byte 0x00 ("data follows", as QEMU's sclpconsole writes and Linux's sclp_vt220
     * reads it), then as many waiting input bytes as the page holds. With the variable-length-response
     * bit the SCCB length is cut down to what was stored (and the bit reset, as the architecture
     * suggests).
     */
    private int readEventData(long sccb, int length) {
        if (length != 4096) {
            return RC_INSUFFICIENT_SCCB_LENGTH;
        }
        int selection;
        switch (read8(sccb + 2)) {
            case 0 -> selection = cpReceiveMask;
            case 1 -> {
                selection = (int) readN(sccb + 14, 4);
                if (cpReceiveMask == 0 || (selection & ~cpReceiveMask) != 0) {
                    return RC_INVALID_SELECTION_MASK;
                }
            }
            default -> {
                return RC_INVALID_FUNCTION;
            }
        }
        if ((selection & sendMask() & MASK_ASCII) == 0) {
            return RC_NO_EVENT_BUFFERS_STORED;
        }
        input.demand();
        byte[] data = input.take(length - 8 - 6 - 1);
        if (data.length == 0) {
            return RC_NO_EVENT_BUFFERS_STORED;
        }
        long ev = sccb + 8;
        write(ev, 6 + 1 + data.length, 2);
        write(ev + 2, EVENT_ASCII_CONSOLE, 1);
        write(ev + 3, 0x80, 1); // buffer accepted
        write(ev + 4, 0, 2);
        write(ev + 6, VT220_SESSION_DATA, 1);
        port.storage().write(ev + 7, data, 0, data.length, Storage.HOST);
        port.written(ev + 7, data.length);
        int control = read8(sccb + 5);
        if ((control & VARIABLE_LENGTH_RESPONSE) != 0) {
            write(sccb + 5, control & ~VARIABLE_LENGTH_RESPONSE, 1);
            write(sccb, 8 + 6 + 1 + data.length, 2);
        }
        return RC_NORMAL_COMPLETION;
    }

    /**
     * WRITE EVENT DATA, checked as QEMU's write_event_data does: function code 0, then every buffer's
     * length (at least the 6-byte header, within the SCCB: else an event-buffer syntax error), then
     * the buffers in order. A buffer whose type the control program did not enable in its send mask,
     * or that the SCLP cannot receive, ends the command with 0x40F0 (Linux's sclp_rw.c: "function code
     * disabled in SCLP receive mask"; QEMU answers the same for types it has no handler for); it and
     * the buffers after it are not marked accepted.
     */
    private int writeEventData(long sccb, int length) {
        int fc = read8(sccb + 2);
        if (fc != 0) {
            return RC_INVALID_FUNCTION;
        }
        long end = sccb + length;
        for (long p = sccb + 8; p < end; ) {
            int evLength = p + 2 <= end ? read16(p) : 0;
            if (evLength < 6 || p + evLength > end) {
                return RC_EVENT_BUFFER_SYNTAX_ERROR;
            }
            p += evLength;
        }
        for (long p = sccb + 8; p < end; ) {
            int evLength = read16(p);
            int type = read8(p + 2);
            int bit = type >= 1 && type <= 32 ? 1 << (32 - type) : 0;
            if ((cpSendMask & SCLP_RECEIVE_MASK & bit) == 0) {
                return RC_INVALID_FUNCTION;
            }
            byte[] data = port.storage().read(p + 6, evLength - 6, Storage.HOST);
            emit(type == EVENT_ASCII_CONSOLE
                    ? new String(data, java.nio.charset.StandardCharsets.ISO_8859_1) : lineModeText(data));
            write(p + 3, read8(p + 3) | 0x80, 1); // buffer accepted
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
