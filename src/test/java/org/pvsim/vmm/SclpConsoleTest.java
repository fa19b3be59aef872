package org.pvsim.vmm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The SCLP console device on SCCBs as a guest builds them: output, input, masks, SCP info. */
class SclpConsoleTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final SclpConsole sclp = new SclpConsole(new PrintStream(out, true), 64L << 20, 2);

    private static byte[] writeEventMask(int receive, int send) {
        ByteBuffer b = ByteBuffer.allocate(28);
        b.putShort(0, (short) 28).putShort(10, (short) 4).putInt(12, receive).putInt(16, send);
        return b.array();
    }

    private static int response(byte[] sccb) {
        return ByteBuffer.wrap(sccb).getShort(6) & 0xffff;
    }

    @Test
    void consoleInputReachesTheGuestAsAsciiEventsOnceItEnabledThem() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        sclp.attachInput(new ByteArrayInputStream("hi\n".getBytes(StandardCharsets.US_ASCII)), arrived::countDown);
        assertThat(arrived.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(sclp.inputPending()).as("not before the guest asks for ASCII events").isFalse();

        byte[] mask = writeEventMask(SclpConsole.MASK_ASCII, SclpConsole.MASK_ASCII);
        sclp.execute(SclpConsole.WRITE_EVENT_MASK, mask);
        assertThat(response(mask)).isEqualTo(0x0020);
        assertThat(ByteBuffer.wrap(mask).getInt(20) & SclpConsole.MASK_ASCII).as("the SCLP sends ASCII").isNotZero();
        assertThat(sclp.inputPending()).isTrue();

        byte[] read = new byte[4096];
        ByteBuffer.wrap(read).putShort(0, (short) 4096);
        sclp.execute(SclpConsole.READ_EVENT_DATA, read);
        ByteBuffer r = ByteBuffer.wrap(read);
        assertThat(response(read)).as("normal completion, as QEMU answers READ EVENT DATA").isEqualTo(0x0020);
        assertThat(read[10]).isEqualTo((byte) 0x1a);
        int evLen = r.getShort(8) & 0xffff;
        assertThat(read[11]).as("buffer accepted").isEqualTo((byte) 0x80);
        assertThat(read[14]).as("VT220 session byte: data follows").isZero();
        assertThat(new String(read, 15, evLen - 7, StandardCharsets.US_ASCII)).isEqualTo("hi\n");
        assertThat(sclp.inputPending()).isFalse();

        byte[] again = new byte[4096];
        ByteBuffer.wrap(again).putShort(0, (short) 4096);
        sclp.execute(SclpConsole.READ_EVENT_DATA, again);
        assertThat(response(again)).isEqualTo(0x60f0); // no event buffers stored
    }

    @Test
    void asciiOutputAndTheExitStatusLineAreSeen() {
        byte[] text = "ok\nEXIT: STATUS=3\n".getBytes(StandardCharsets.US_ASCII);
        byte[] sccb = new byte[8 + 6 + text.length];
        ByteBuffer.wrap(sccb).putShort(0, (short) sccb.length).putShort(8, (short) (6 + text.length)).put(10, (byte) 0x1a);
        System.arraycopy(text, 0, sccb, 14, text.length);
        sclp.execute(SclpConsole.WRITE_EVENT_DATA, sccb);
        assertThat(response(sccb)).isEqualTo(0x0020);
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("ok\nEXIT: STATUS=3\n");
        assertThat(sclp.exitStatus()).isEqualTo(3);
        assertThat(new Outcome.Shutdown("x", 3).exitCode()).isEqualTo(3);
        assertThat(new Outcome.Shutdown("x", 1).exitCode()).isZero();
    }

    @Test
    void readScpInfoGivesMemoryAndCpus() {
        byte[] sccb = new byte[4096];
        ByteBuffer.wrap(sccb).putShort(0, (short) 4096);
        sclp.execute(SclpConsole.READ_SCP_INFO, sccb);
        ByteBuffer b = ByteBuffer.wrap(sccb);
        assertThat(response(sccb)).isEqualTo(0x0010);
        assertThat((b.getShort(8) & 0xffff) * (b.get(10) & 0xff)).as("MiB").isEqualTo(64);
        assertThat(b.getShort(16)).as("CPUs").isEqualTo((short) 2);
        assertThat(SclpConsole.valid(0x12345678)).isFalse();
    }
}
