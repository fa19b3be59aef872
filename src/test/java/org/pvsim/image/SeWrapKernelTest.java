package org.pvsim.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SeWrapKernelTest {
    @Test
    void theProgramFollowsSewrapWithItsLengthWhereSewrapReadsIt() {
        byte[] program = {1, 2, 3, 4, 5};
        byte[] kernel = SeWrapKernel.around(program);
        assertThat(kernel).hasSize(SeWrapKernel.PAYLOAD + program.length);
        assertThat(Arrays.copyOfRange(kernel, SeWrapKernel.PAYLOAD, kernel.length)).isEqualTo(program);
        assertThat(ByteBuffer.wrap(kernel).getLong(SeWrapKernel.PAYLOAD_LEN)).isEqualTo(program.length);
        assertThat(new String(kernel, 0x10008, 6, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("S390EP");
    }

    @Test
    void aProgramReachingSewrapsCodeIsRefused() {
        assertThat(SeWrapKernel.around(new byte[SeWrapKernel.PAYLOAD_END])).hasSize(SeWrapKernel.PAYLOAD + SeWrapKernel.PAYLOAD_END);
        assertThatThrownBy(() -> SeWrapKernel.around(new byte[SeWrapKernel.PAYLOAD_END + 1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not fit below 0x1f000");
    }
}
