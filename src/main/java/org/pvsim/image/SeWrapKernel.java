package org.pvsim.image;

import java.nio.ByteBuffer;

/**
 * A flat s390x program (linked at 0, lowcore first) made the kernel of an SE image: guests/tests/sewrap.S,
 * a Linux-shaped kernel that copies its payload to absolute 0 and starts it, with the program appended at
 * {@link #PAYLOAD} and its length stored at {@link #PAYLOAD_LEN}. Used for pvsim's guest agent and for
 * the test guests that boot protected.
 */
public final class SeWrapKernel {
    /** Where the payload's bytes start in the kernel file (sewrap.S PAYLOAD). */
    static final int PAYLOAD = 0x20000;
    /** Where sewrap reads the payload's length (sewrap.S payload_len). */
    static final int PAYLOAD_LEN = 0x1eff8;
    /** The payload, its .bss included, must end below sewrap's code (sewrap.S ENTRY). */
    public static final int PAYLOAD_END = 0x1f000;

    private SeWrapKernel() {
    }

    /** The kernel for {@code program}; IllegalArgumentException if the program is too big to be wrapped. */
    public static byte[] around(byte[] program) {
        byte[] wrap = BootLoaders.load("/guests/tests/sewrap.bin");
        if (wrap.length != PAYLOAD) {
            throw new IllegalStateException("pvsim's resource sewrap.bin is damaged (" + wrap.length + " bytes)");
        }
        if (program.length > PAYLOAD_END) {
            throw new IllegalArgumentException("a program of " + program.length + " bytes does not fit below 0x"
                    + Integer.toHexString(PAYLOAD_END));
        }
        byte[] kernel = new byte[PAYLOAD + program.length];
        System.arraycopy(wrap, 0, kernel, 0, wrap.length);
        System.arraycopy(program, 0, kernel, PAYLOAD, program.length);
        ByteBuffer.wrap(kernel).putLong(PAYLOAD_LEN, program.length);
        return kernel;
    }
}
