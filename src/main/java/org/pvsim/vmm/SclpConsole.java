package org.pvsim.vmm;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SCLP as QEMU's user-space device model (hw/s390x/sclp.c, event-facility.c, sclpconsole.c) answers
 * it: READ SCP INFO (memory size, CPUs), WRITE EVENT MASK, WRITE EVENT DATA of ASCII console data (type
 * 0x1a) and line-mode messages (type 0x02, EBCDIC), and READ EVENT DATA handing console input to the guest.
 * It works on an SCCB's bytes only: where they come from (guest memory, or the SIDA of a protected vCPU) is
 * the run loop's business. Console output goes to {@code out} as it arrives; a line
 * {@code EXIT: STATUS=N} (the kvm-unit-tests convention) is remembered.
 */
final class SclpConsole {
    static final int READ_CPU_INFO = 0x00010001;
    static final int READ_SCP_INFO = 0x00020001;
    static final int READ_SCP_INFO_FORCED = 0x00120001;
    static final int WRITE_EVENT_DATA = 0x00760005;
    static final int READ_EVENT_DATA = 0x00770005;
    static final int WRITE_EVENT_MASK = 0x00780005;

    static final int RC_NORMAL_COMPLETION = 0x0020;
    static final int RC_NORMAL_READ_COMPLETION = 0x0010;
    static final int RC_INVALID_COMMAND = 0x01f0;
    static final int RC_INSUFFICIENT_SCCB_LENGTH = 0x0300;
    static final int RC_NO_EVENT_BUFFERS_STORED = 0x60f0;
    static final int RC_INVALID_SELECTION_MASK = 0x70f0;
    static final int RC_INVALID_MASK_LENGTH = 0x74f0;

    static final int EVTYP_MSG = 0x02;
    static final int EVTYP_ASCII = 0x1a;
    /** Event-type masks: bit 32 - type of a 4-byte mask. */
    static final int MASK_MSG = 1 << (32 - EVTYP_MSG);
    static final int MASK_ASCII = 1 << (32 - EVTYP_ASCII);
    private static final int SUPPORTED_SEND = MASK_ASCII | MASK_MSG;
    private static final int SUPPORTED_RECEIVE = MASK_ASCII | MASK_MSG;
    private static final Pattern EXIT = Pattern.compile("EXIT: STATUS=(\\d+)");

    private final PrintStream out;
    private final long memory;
    private final int cpus;
    private final LinkedBlockingQueue<Integer> input = new LinkedBlockingQueue<>();
    /** The guest's receive mask (what it wants to be sent). */
    private volatile int guestReceiveMask;
    private final StringBuilder line = new StringBuilder();
    private final StringBuilder transcript = new StringBuilder();
    private volatile Integer exitStatus;

    SclpConsole(PrintStream out, long memory, int cpus) {
        this.out = out;
        this.memory = memory;
        this.cpus = cpus;
    }

    /** Feeds console input from {@code in} on a daemon thread (stdin: the guest may never read it). */
    void attachInput(InputStream in, Runnable arrived) {
        if (in == null) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                for (int c; (c = in.read()) >= 0; ) {
                    input.add(c);
                    if (in.available() == 0) {
                        arrived.run();
                    }
                }
            } catch (IOException e) {
                // input ends; the guest just gets no more
            }
        }, "sclp-console-input");
        t.setDaemon(true);
        t.start();
    }

    /** Whether input waits that the guest asked for (then a service signal with the event-pending bit is due). */
    boolean inputPending() {
        return !input.isEmpty() && (guestReceiveMask & MASK_ASCII) != 0;
    }

    /** Whether {@code command} is one this SCLP knows (QEMU answers 0x01f0 before touching anything else). */
    static boolean valid(int command) {
        return switch (command & 0xffff00ff) {
            case READ_CPU_INFO, READ_SCP_INFO, READ_SCP_INFO_FORCED, WRITE_EVENT_DATA, READ_EVENT_DATA, WRITE_EVENT_MASK -> true;
            default -> false;
        };
    }

    /** Executes {@code command} on the SCCB in {@code sccb} (its whole length), setting the response code. */
    synchronized void execute(int command, byte[] sccb) { // vCPUs may call it at once
        ByteBuffer b = ByteBuffer.wrap(sccb);
        int rc = switch (command & 0xffff00ff) {
            case READ_SCP_INFO, READ_SCP_INFO_FORCED -> readScpInfo(b);
            case READ_CPU_INFO -> readCpuInfo(b);
            case WRITE_EVENT_MASK -> writeEventMask(b);
            case WRITE_EVENT_DATA -> writeEventData(b);
            case READ_EVENT_DATA -> readEventData(b);
            default -> RC_INVALID_COMMAND;
        };
        b.putShort(6, (short) rc);
    }

    private int length(ByteBuffer b) {
        return Math.min(b.getShort(0) & 0xffff, b.capacity());
    }

    // ---- read info -------------------------------------------------------------------------------

    private static final int CPU_ENTRIES_OFFSET = 144;
    private static final int CPU_ENTRY_SIZE = 16;

    private int readScpInfo(ByteBuffer b) {
        int need = CPU_ENTRIES_OFFSET + cpus * CPU_ENTRY_SIZE;
        if (length(b) < need) {
            return RC_INSUFFICIENT_SCCB_LENGTH;
        }
        long increments = memory / VmConfig.MIB; // increment size 1 MiB
        b.putShort(8, (short) Math.min(increments, 0xffff)); // rnmax
        b.put(10, (byte) 1); // rnsize (MiB)
        b.putShort(16, (short) cpus); // entries_cpu
        b.putShort(18, (short) CPU_ENTRIES_OFFSET); // offset_cpu
        b.putInt(100, 1); // rnsize2
        b.putLong(104, increments); // rnmax2
        b.putShort(120, (short) (cpus - 1)); // highest_cpu
        cpuEntries(b, CPU_ENTRIES_OFFSET);
        return RC_NORMAL_READ_COMPLETION;
    }

    private int readCpuInfo(ByteBuffer b) {
        int offset = 24;
        if (length(b) < offset + cpus * CPU_ENTRY_SIZE) {
            return RC_INSUFFICIENT_SCCB_LENGTH;
        }
        b.putShort(8, (short) cpus); // nr_configured
        b.putShort(10, (short) offset);
        cpuEntries(b, offset);
        return RC_NORMAL_READ_COMPLETION;
    }

    private void cpuEntries(ByteBuffer b, int offset) {
        for (int i = 0; i < cpus; i++) {
            b.put(offset + i * CPU_ENTRY_SIZE, (byte) i); // address; type 0 (CP)
        }
    }

    // ---- events ----------------------------------------------------------------------------------

    private int writeEventMask(ByteBuffer b) {
        int maskLength = b.getShort(10) & 0xffff;
        if (maskLength < 1 || maskLength > 1021 || length(b) < 12 + 4 * maskLength) {
            return RC_INVALID_MASK_LENGTH;
        }
        guestReceiveMask = mask(b, 12, maskLength);
        putMask(b, 12 + 2 * maskLength, maskLength, SUPPORTED_SEND); // what the SCLP sends the guest
        putMask(b, 12 + 3 * maskLength, maskLength, SUPPORTED_RECEIVE); // what it receives
        return RC_NORMAL_COMPLETION;
    }

    /** The first 4 bytes of a mask of {@code len} bytes (shorter masks padded with zeros). */
    private static int mask(ByteBuffer b, int off, int len) {
        int m = 0;
        for (int i = 0; i < 4; i++) {
            m = m << 8 | (i < len ? b.get(off + i) & 0xff : 0);
        }
        return m;
    }

    private static void putMask(ByteBuffer b, int off, int len, int mask) {
        for (int i = 0; i < len; i++) {
            b.put(off + i, (byte) (i < 4 ? mask >>> (24 - 8 * i) : 0));
        }
    }

    private int writeEventData(ByteBuffer b) {
        int len = length(b);
        for (int off = 8; off + 6 <= len; ) {
            int evLen = b.getShort(off) & 0xffff;
            if (evLen < 6 || off + evLen > len) {
                break;
            }
            int type = b.get(off + 2) & 0xff;
            if (type == EVTYP_ASCII) {
                print(new String(b.array(), off + 6, evLen - 6, StandardCharsets.ISO_8859_1));
            } else if (type == EVTYP_MSG) {
                print(LineMode.text(b, off, evLen));
            } else {
                return RC_INVALID_SELECTION_MASK;
            }
            b.put(off + 3, (byte) 0x80); // event buffer accepted
            off += evLen;
        }
        return RC_NORMAL_COMPLETION;
    }

    private int readEventData(ByteBuffer b) {
        int len = length(b);
        if ((guestReceiveMask & MASK_ASCII) == 0 || input.isEmpty()) {
            return RC_NO_EVENT_BUFFERS_STORED;
        }
        // After the event buffer header the VT220 session byte 0x00, "data follows", as QEMU's sclpconsole
        // writes it (and the machine's own SCLP console): Linux's sclp_vt220 reads the byte and skips it.
        int room = len - 8 - 6 - 1;
        if (room <= 0) {
            return RC_INSUFFICIENT_SCCB_LENGTH;
        }
        b.put(8 + 6, (byte) 0);
        int n = 0;
        for (Integer c; n < room && (c = input.poll()) != null; n++) {
            b.put(8 + 6 + 1 + n, (byte) (int) c);
        }
        b.putShort(8, (short) (6 + 1 + n));
        b.put(10, (byte) EVTYP_ASCII);
        b.put(11, (byte) 0x80); // buffer accepted
        b.putShort(12, (short) 0);
        b.putShort(0, (short) Math.max(len, 8 + 6 + 1 + n));
        return RC_NORMAL_COMPLETION;
    }

    private synchronized void print(String text) {
        out.print(text);
        out.flush();
        transcript.append(text);
        for (char c : text.toCharArray()) {
            if (c == '\n' || c == '\r') {
                Matcher m = EXIT.matcher(line);
                if (m.find()) {
                    exitStatus = Integer.parseInt(m.group(1));
                }
                line.setLength(0);
            } else {
                line.append(c);
            }
        }
    }

    /** Everything the guest printed. */
    synchronized String transcript() {
        return transcript.toString();
    }

    /** The N of an {@code EXIT: STATUS=N} line, or null. */
    Integer exitStatus() {
        return exitStatus;
    }
}
