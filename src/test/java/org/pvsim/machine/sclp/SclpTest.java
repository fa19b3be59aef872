package org.pvsim.machine.sclp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pvsim.machine.storage.Storage;

class SclpTest {
    Storage storage = new Storage(1 << 20);
    List<String> console = new ArrayList<>();
    long[] signal = {-1};
    final Sclp.Port port = new Sclp.Port() {
        @Override
        public Storage storage() {
            return storage;
        }

        @Override
        public void written(long absolute, int length) {
        }

        @Override
        public void serviceSignal(long parameter) {
            signal[0] = parameter;
        }

        @Override
        public long memorySize() {
            return storage.size();
        }

        @Override
        public int cpuCount() {
            return 2;
        }
    };
    Sclp sclp = new Sclp(port, console::add);

    static final long SCCB = 0x10000;

    int response() {
        return storage.readShort(SCCB + 6, Storage.HOST);
    }

    void enableAscii() {
        writeEventMask(Sclp.MASK_ASCII | Sclp.MASK_MSG, Sclp.MASK_ASCII | Sclp.MASK_MSG);
    }

    /** WRITE EVENT MASK with 4-byte masks: cp_receive_mask, cp_send_mask; the SCLP fills in the other two. */
    void writeEventMask(int cpReceive, int cpSend) {
        storage.write(SCCB, new byte[32], 0, 32, Storage.HOST);
        storage.writeShort(SCCB, 12 + 16, Storage.HOST);
        storage.writeShort(SCCB + 10, 4, Storage.HOST);
        storage.writeInt(SCCB + 12, cpReceive, Storage.HOST);
        storage.writeInt(SCCB + 16, cpSend, Storage.HOST);
        assertThat(sclp.serviceCall(Sclp.CMD_WRITE_EVENT_MASK, SCCB)).isZero();
        assertThat(response()).isEqualTo(Sclp.RC_NORMAL_COMPLETION);
    }

    @Test
    void theCpSendMaskEnablesWriteEventData() {
        writeEventMask(0, Sclp.MASK_ASCII);
        asciiEvent("sent\n");
        sclp.serviceCall(Sclp.CMD_WRITE_EVENT_DATA, SCCB);
        assertThat(response()).isEqualTo(Sclp.RC_NORMAL_COMPLETION);
        assertThat(console).containsExactly("sent\n");
    }

    @Test
    void theCpReceiveMaskAloneDoesNotEnableWrites() {
        writeEventMask(Sclp.MASK_ASCII, 0);
        asciiEvent("x\n");
        sclp.serviceCall(Sclp.CMD_WRITE_EVENT_DATA, SCCB);
        assertThat(response()).isEqualTo(Sclp.RC_INVALID_FUNCTION).isEqualTo(0x40f0);
        assertThat(storage.readByte(SCCB + 11, Storage.HOST) & 0x80).isZero();
        assertThat(console).isEmpty();
    }

    @Test
    void writeEventMaskAnswersWhatTheSclpSendsAndReceives() {
        writeEventMask(Sclp.MASK_ASCII, Sclp.MASK_ASCII);
        assertThat(storage.readInt(SCCB + 12, Storage.HOST)).isEqualTo(Sclp.MASK_ASCII); // untouched
        assertThat(storage.readInt(SCCB + 16, Storage.HOST)).isEqualTo(Sclp.MASK_ASCII);
        assertThat(storage.readInt(SCCB + 20, Storage.HOST)).isZero(); // send_mask: no console input
        assertThat(storage.readInt(SCCB + 24, Storage.HOST)).isEqualTo(Sclp.MASK_ASCII | Sclp.MASK_MSG);
    }

    @Test
    void twoByteMasksAreReadAndAnsweredLeftAligned() {
        storage.write(SCCB, new byte[32], 0, 32, Storage.HOST);
        storage.writeShort(SCCB, 12 + 8, Storage.HOST);
        storage.writeShort(SCCB + 10, 2, Storage.HOST);
        storage.writeShort(SCCB + 14, 0x4000, Storage.HOST); // cp_send_mask: message events (type 2)
        sclp.serviceCall(Sclp.CMD_WRITE_EVENT_MASK, SCCB);
        assertThat(response()).isEqualTo(Sclp.RC_NORMAL_COMPLETION);
        assertThat(storage.readShort(SCCB + 16, Storage.HOST)).isZero();
        assertThat(storage.readShort(SCCB + 18, Storage.HOST)).isEqualTo(0x4000); // ASCII (0x40) is beyond 2 bytes
        asciiEvent("no\n");
        sclp.serviceCall(Sclp.CMD_WRITE_EVENT_DATA, SCCB);
        assertThat(response()).isEqualTo(Sclp.RC_INVALID_FUNCTION);
    }

    @Test
    void anEventTypeTheSclpCannotReceiveIsRefusedEvenIfEnabled() {
        writeEventMask(0, -1);
        asciiEvent("q");
        storage.writeByte(SCCB + 10, 0x1d, Storage.HOST); // signal quiesce: the SCLP sends it, never receives it
        sclp.serviceCall(Sclp.CMD_WRITE_EVENT_DATA, SCCB);
        assertThat(response()).isEqualTo(Sclp.RC_INVALID_FUNCTION);
    }

    @Test
    void aWriteWithoutEventBuffersCompletesNormally() {
        enableAscii();
        storage.writeShort(SCCB, 8, Storage.HOST);
        storage.writeByte(SCCB + 2, 0, Storage.HOST);
        sclp.serviceCall(Sclp.CMD_WRITE_EVENT_DATA, SCCB);
        assertThat(response()).isEqualTo(Sclp.RC_NORMAL_COMPLETION);
    }

    @Test
    void aBadSecondBufferIsFoundBeforeTheFirstIsWritten() {
        enableAscii();
        asciiEvent("first\n");
        storage.writeShort(SCCB, 8 + 6 + 6 + 3, Storage.HOST); // room for a second, 3-byte buffer
        storage.writeShort(SCCB + 8 + 12, 3, Storage.HOST);
        sclp.serviceCall(Sclp.CMD_WRITE_EVENT_DATA, SCCB);
        assertThat(response()).isEqualTo(Sclp.RC_EVENT_BUFFER_SYNTAX_ERROR);
        assertThat(console).isEmpty();
    }

    @Test
    void selectiveReadOutsideTheCpReceiveMaskIsAnInvalidSelectionMask() {
        writeEventMask(Sclp.MASK_ASCII, Sclp.MASK_ASCII);
        storage.write(SCCB, new byte[4096], 0, 4096, Storage.HOST);
        storage.writeShort(SCCB, 4096, Storage.HOST);
        storage.writeByte(SCCB + 2, 1, Storage.HOST);
        storage.writeInt(SCCB + 14, Sclp.MASK_MSG, Storage.HOST);
        sclp.serviceCall(Sclp.CMD_READ_EVENT_DATA, SCCB);
        assertThat(response()).isEqualTo(Sclp.RC_INVALID_SELECTION_MASK).isEqualTo(0x70f0);
        storage.writeInt(SCCB + 14, Sclp.MASK_ASCII, Storage.HOST);
        sclp.serviceCall(Sclp.CMD_READ_EVENT_DATA, SCCB);
        assertThat(response()).isEqualTo(Sclp.RC_NO_EVENT_BUFFERS_STORED);
    }

    void asciiEvent(String text) {
        byte[] t = text.getBytes(StandardCharsets.US_ASCII);
        storage.writeShort(SCCB, 8 + 6 + t.length, Storage.HOST);
        storage.writeByte(SCCB + 2, 0, Storage.HOST);
        storage.writeShort(SCCB + 8, 6 + t.length, Storage.HOST);
        storage.writeByte(SCCB + 10, Sclp.EVENT_ASCII_CONSOLE, Storage.HOST);
        storage.writeByte(SCCB + 11, 0, Storage.HOST);
        storage.write(SCCB + 14, t, 0, t.length, Storage.HOST);
    }

    @Test
    void asciiConsoleWritesLinesAndSignalsCompletion() {
        enableAscii();
        asciiEvent("hello\nwor");
        sclp.serviceCall(Sclp.CMD_WRITE_EVENT_DATA, SCCB);
        assertThat(response()).isEqualTo(Sclp.RC_NORMAL_COMPLETION);
        assertThat(storage.readByte(SCCB + 11, Storage.HOST) & 0x80).isNotZero();
        assertThat(signal[0]).isEqualTo(SCCB);
        assertThat(console).containsExactly("hello\n");
        sclp.flush();
        assertThat(console).containsExactly("hello\n", "wor");
    }

    @Test
    void eventsBeforeAnyWriteEventMaskAreRefused() {
        asciiEvent("x\n");
        sclp.serviceCall(Sclp.CMD_WRITE_EVENT_DATA, SCCB);
        assertThat(response()).isEqualTo(Sclp.RC_INVALID_FUNCTION);
        assertThat(console).isEmpty();
    }

    @Test
    void eventLengthBeyondTheSccbIsASyntaxError() {
        enableAscii();
        asciiEvent("abc");
        storage.writeShort(SCCB + 8, 200, Storage.HOST);
        sclp.serviceCall(Sclp.CMD_WRITE_EVENT_DATA, SCCB);
        assertThat(response()).isEqualTo(Sclp.RC_EVENT_BUFFER_SYNTAX_ERROR);
    }

    @Test
    void sccbCrossingAPageIsABoundaryViolation() {
        long sccb = 0x10ff8;
        storage.writeShort(sccb, 64, Storage.HOST);
        sclp.serviceCall(Sclp.CMD_READ_SCP_INFO, sccb);
        assertThat(storage.readShort(sccb + 6, Storage.HOST)).isEqualTo(Sclp.RC_SCCB_BOUNDARY_VIOLATION);
    }

    @Test
    void readScpInfoReportsMemoryAndCpus() {
        storage.writeShort(SCCB, 4096, Storage.HOST);
        sclp.serviceCall(Sclp.CMD_READ_SCP_INFO, SCCB);
        assertThat(response()).isEqualTo(Sclp.RC_NORMAL_READ_COMPLETION);
        int rnmax = storage.readShort(SCCB + 8, Storage.HOST);
        int rnsize = storage.readByte(SCCB + 10, Storage.HOST);
        assertThat((long) rnmax * rnsize << 20).isEqualTo(storage.size());
        assertThat(storage.readShort(SCCB + 16, Storage.HOST)).isEqualTo(2);
    }

    @Test
    void unknownCommandIsRefused() {
        storage.writeShort(SCCB, 16, Storage.HOST);
        sclp.serviceCall(0x12345678, SCCB);
        assertThat(response()).isEqualTo(Sclp.RC_INVALID_COMMAND);
    }

    @Test
    void lineModeMessageIsDecodedFromEbcdic() {
        enableAscii(); // the mask also enables message events
        byte[] text = Ebcdic.encode("HELLO LINE MODE");
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(6 + 12 + 56 + 10 + text.length);
        b.putShort((short) b.capacity()).put((byte) Sclp.EVENT_MSG).put((byte) 0).putShort((short) 0);
        b.putShort((short) (12 + 56 + 10 + text.length)).putShort((short) 1).putInt(0xd4c4c240).putInt(1);
        b.putShort((short) 56).putShort((short) 1).put(new byte[52]);
        b.putShort((short) (10 + text.length)).putShort((short) 4).putShort((short) 0x1000).put(new byte[4]).put(text);
        byte[] ev = b.array();
        storage.writeShort(SCCB, 8 + ev.length, Storage.HOST);
        storage.writeByte(SCCB + 2, 0, Storage.HOST);
        storage.write(SCCB + 8, ev, 0, ev.length, Storage.HOST);
        sclp.serviceCall(Sclp.CMD_WRITE_EVENT_DATA, SCCB);
        assertThat(response()).isEqualTo(Sclp.RC_NORMAL_COMPLETION);
        assertThat(console).containsExactly("HELLO LINE MODE\n");
    }
    // ---- response codes of the SCLP's own checks (kvm-unit-tests sclp: test_short, test_boundary, test_inval)

    int call(int command, long sccb, int length) {
        storage.write(sccb, new byte[Math.min(length, 4096)], 0, Math.min(length, 4096) - (int) Math.max(0, (sccb & 0xfff) + Math.min(length, 4096) - 4096), Storage.HOST);
        storage.writeShort(sccb, length, Storage.HOST);
        signal[0] = -1;
        assertThat(sclp.serviceCall(command, sccb)).isZero();
        assertThat(signal[0]).as("every command ends with the service signal").isEqualTo(sccb);
        return storage.readShort(sccb + 6, Storage.HOST);
    }

    @Test
    void tooShortReadInfoSccbsAnswerInsufficientLength() {
        // two CPUs: READ SCP INFO needs 128 + 2 * 16 bytes, READ CPU INFO 24 + 2 * 16
        for (int len = 8; len < 160; len++) {
            assertThat(call(Sclp.CMD_READ_SCP_INFO, SCCB, len)).as("length %d", len).isEqualTo(0x0300);
        }
        assertThat(call(Sclp.CMD_READ_SCP_INFO, SCCB, 160)).isEqualTo(Sclp.RC_NORMAL_READ_COMPLETION);
        for (int len = 8; len < 56; len++) {
            assertThat(call(Sclp.CMD_READ_CPU_INFO, SCCB, len)).as("length %d", len).isEqualTo(0x0300);
        }
        assertThat(call(Sclp.CMD_READ_CPU_INFO, SCCB, 56)).isEqualTo(Sclp.RC_NORMAL_READ_COMPLETION);
        assertThat(storage.readShort(SCCB + 8, Storage.HOST)).isEqualTo(2);
        assertThat(storage.readShort(SCCB + 10, Storage.HOST)).as("entries after the 24-byte header").isEqualTo(24);
        assertThat(storage.readByte(SCCB + 24 + 16, Storage.HOST)).as("second CPU's address").isEqualTo(1);
    }

    @Test
    void everySccbCrossingItsPageIsABoundaryViolation() {
        for (int len = 32; len <= 4096; len += 7) {
            for (int offset = 4096 - (len & ~7) + (len % 8 == 0 ? 8 : 0); offset < 4096; offset += 8 * 13) {
                long at = 0x20000 + offset;
                storage.writeShort(at, len, Storage.HOST);
                storage.writeByte(at + 2, 0, Storage.HOST);
                signal[0] = -1;
                sclp.serviceCall(Sclp.CMD_WRITE_EVENT_DATA, at);
                assertThat(storage.readShort(at + 6, Storage.HOST)).as("length %d at +%d", len, offset)
                        .isEqualTo(Sclp.RC_SCCB_BOUNDARY_VIOLATION);
                assertThat(signal[0]).isEqualTo(at);
            }
        }
        for (int len = 4097; len < 8192; len += 101) {
            storage.writeShort(SCCB, len, Storage.HOST);
            sclp.serviceCall(Sclp.CMD_WRITE_EVENT_DATA, SCCB);
            assertThat(response()).as("length %d", len).isEqualTo(Sclp.RC_SCCB_BOUNDARY_VIOLATION);
        }
    }

    @Test
    void theCommandIsCheckedBeforeTheSccbsExtentAndItsResourceByteIsIgnored() {
        storage.writeShort(0x10ff8, 64, Storage.HOST);
        sclp.serviceCall(0xdead0001, 0x10ff8);
        assertThat(storage.readShort(0x10ff8 + 6, Storage.HOST)).isEqualTo(Sclp.RC_INVALID_COMMAND);
        assertThat(call(Sclp.CMD_READ_SCP_INFO | 0x0000ab00, SCCB, 4096)).isEqualTo(Sclp.RC_NORMAL_READ_COMPLETION);
        assertThat(call((Sclp.CMD_READ_SCP_INFO & ~0xff) | 0x02, SCCB, 4096)).isEqualTo(Sclp.RC_INVALID_COMMAND);
    }

    // ---- console input ------------------------------------------------------------------------------

    ConsoleInput input = ConsoleInput.injected();
    Sclp withInput = new Sclp(port, console::add, input);

    void maskWithInput(int cpReceive) {
        storage.write(SCCB, new byte[32], 0, 32, Storage.HOST);
        storage.writeShort(SCCB, 28, Storage.HOST);
        storage.writeShort(SCCB + 10, 4, Storage.HOST);
        storage.writeInt(SCCB + 12, cpReceive, Storage.HOST);
        storage.writeInt(SCCB + 16, Sclp.MASK_ASCII, Storage.HOST);
        withInput.serviceCall(Sclp.CMD_WRITE_EVENT_MASK, SCCB);
        assertThat(response()).isEqualTo(Sclp.RC_NORMAL_COMPLETION);
    }

    int readEvents(int function, int controlByte) {
        storage.write(SCCB, new byte[4096], 0, 4096, Storage.HOST);
        storage.writeShort(SCCB, 4096, Storage.HOST);
        storage.writeByte(SCCB + 2, function, Storage.HOST);
        storage.writeByte(SCCB + 5, controlByte, Storage.HOST);
        storage.writeInt(SCCB + 14, Sclp.MASK_ASCII, Storage.HOST); // selection mask (function 1)
        withInput.serviceCall(Sclp.CMD_READ_EVENT_DATA, SCCB);
        return response();
    }

    @Test
    void withInputTheSclpSendsAsciiConsoleData() {
        maskWithInput(Sclp.MASK_ASCII);
        assertThat(storage.readInt(SCCB + 20, Storage.HOST)).as("send_mask").isEqualTo(Sclp.MASK_ASCII);
    }

    @Test
    void readEventDataHandsOverTheTypedBytes() {
        maskWithInput(Sclp.MASK_ASCII);
        assertThat(readEvents(0, 0)).isEqualTo(Sclp.RC_NO_EVENT_BUFFERS_STORED);
        input.inject("ls -l\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(readEvents(0, 0)).isEqualTo(Sclp.RC_NORMAL_COMPLETION);
        assertThat(storage.readShort(SCCB + 8, Storage.HOST)).isEqualTo(6 + 1 + 6);
        assertThat(storage.readByte(SCCB + 10, Storage.HOST)).isEqualTo(Sclp.EVENT_ASCII_CONSOLE);
        assertThat(storage.readByte(SCCB + 11, Storage.HOST)).isEqualTo(0x80);
        assertThat(storage.readByte(SCCB + 14, Storage.HOST)).as("VT220 session byte: data").isZero();
        assertThat(new String(storage.read(SCCB + 15, 6, Storage.HOST), StandardCharsets.US_ASCII)).isEqualTo("ls -l\n");
        assertThat(storage.readShort(SCCB, Storage.HOST)).as("no variable-length response asked").isEqualTo(4096);
        assertThat(readEvents(0, 0)).as("taken").isEqualTo(Sclp.RC_NO_EVENT_BUFFERS_STORED);
    }

    @Test
    void aVariableLengthResponseShortensTheSccb() {
        maskWithInput(Sclp.MASK_ASCII);
        input.inject("abc".getBytes(StandardCharsets.US_ASCII));
        assertThat(readEvents(1, 0x80)).isEqualTo(Sclp.RC_NORMAL_COMPLETION);
        assertThat(storage.readShort(SCCB, Storage.HOST)).isEqualTo(8 + 6 + 1 + 3);
        assertThat(storage.readByte(SCCB + 5, Storage.HOST)).as("bit reset").isZero();
    }

    @Test
    void inputBeyondOnePageIsReadInPieces() {
        maskWithInput(Sclp.MASK_ASCII);
        input.inject(new byte[5000]);
        assertThat(readEvents(0, 0)).isEqualTo(Sclp.RC_NORMAL_COMPLETION);
        assertThat(storage.readShort(SCCB + 8, Storage.HOST)).isEqualTo(4096 - 8);
        assertThat(signal[0]).as("more waits: the event-pending bit").isEqualTo(SCCB | Sclp.EVENT_PENDING);
        assertThat(readEvents(0, 0)).isEqualTo(Sclp.RC_NORMAL_COMPLETION);
        assertThat(storage.readShort(SCCB + 8, Storage.HOST)).isEqualTo(6 + 1 + 5000 - (4096 - 8 - 6 - 1));
        assertThat(signal[0]).isEqualTo(SCCB);
    }

    @Test
    void arrivingInputRaisesOneAttentionOnlyIfTheProgramAskedForIt() {
        maskWithInput(0);
        input.inject("x".getBytes(StandardCharsets.US_ASCII));
        signal[0] = -1;
        withInput.poll();
        assertThat(signal[0]).as("receive mask without ASCII").isEqualTo(-1);
        maskWithInput(Sclp.MASK_ASCII);
        assertThat(signal[0]).as("the mask's completion tells of the waiting input").isEqualTo(SCCB | Sclp.EVENT_PENDING);
        input.inject("y".getBytes(StandardCharsets.US_ASCII));
        signal[0] = -1;
        withInput.poll();
        assertThat(signal[0]).as("attention: no SCCB, event pending").isEqualTo(Sclp.EVENT_PENDING);
        signal[0] = -1;
        withInput.poll();
        assertThat(signal[0]).as("once per arrival").isEqualTo(-1);
    }

    @Test
    void theEndOfInputIsNoEventAndNothingToWaitFor() {
        maskWithInput(Sclp.MASK_ASCII);
        assertThat(withInput.inputMayArrive()).isTrue();
        input.inject("z".getBytes(StandardCharsets.US_ASCII));
        input.end();
        assertThat(withInput.inputMayArrive()).as("a byte still waits").isTrue();
        assertThat(readEvents(0, 0)).isEqualTo(Sclp.RC_NORMAL_COMPLETION);
        assertThat(withInput.inputMayArrive()).isFalse();
        assertThat(withInput.inputExhausted()).isTrue();
        assertThat(readEvents(0, 0)).isEqualTo(Sclp.RC_NO_EVENT_BUFFERS_STORED);
    }
    @Test
    void aStreamIsReadOnlyOnceTheProgramAsksAndAheadByABoundedAmount() throws Exception {
        byte[] lots = new byte[3 * ConsoleInput.LIMIT];
        java.util.concurrent.atomic.AtomicInteger served = new java.util.concurrent.atomic.AtomicInteger();
        java.io.InputStream stream = new java.io.ByteArrayInputStream(lots) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                int n = super.read(b, off, len);
                served.addAndGet(Math.max(n, 0));
                return n;
            }
        };
        ConsoleInput lazy = ConsoleInput.of(stream);
        Sclp s = new Sclp(port, console::add, lazy);
        Thread.sleep(50);
        assertThat(served.get()).as("nobody asked yet").isZero();
        storage.write(SCCB, new byte[32], 0, 32, Storage.HOST);
        storage.writeShort(SCCB, 28, Storage.HOST);
        storage.writeShort(SCCB + 10, 4, Storage.HOST);
        storage.writeInt(SCCB + 12, Sclp.MASK_ASCII, Storage.HOST);
        s.serviceCall(Sclp.CMD_WRITE_EVENT_MASK, SCCB);
        s.awaitInput(2_000_000_000L);
        long until = System.nanoTime() + 2_000_000_000L;
        while (lazy.available() < ConsoleInput.LIMIT && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        Thread.sleep(50);
        assertThat(lazy.available()).isBetween(ConsoleInput.LIMIT, ConsoleInput.LIMIT + 4096);
        assertThat(served.get()).isLessThan(lots.length);
    }
}
