package org.pvsim.machine.uv;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The UV's choice of a second thread for the PLD can be forced (the benchmark measures both modes). */
class PldThreadTest {
    @AfterEach
    void unforce() {
        System.clearProperty("pvsim.uv.pldThread");
    }

    @ParameterizedTest(name = "forced: {0}")
    @ValueSource(booleans = {true, false})
    void thePropertyDecides(boolean forced) {
        System.setProperty("pvsim.uv.pldThread", Boolean.toString(forced));
        assertThat(ImageState.pldOnSecondThread()).isEqualTo(forced);
    }
}
