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
    Sclp sclp = new Sclp(new Sclp.Port() {
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
    }, console::add);

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
}
