package org.pvsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    private static String render(long total, boolean terminal) {
        StringWriter sw = new StringWriter();
        try (ProgressBar bar = ProgressBar.forInput(new PrintWriter(sw), total, terminal)) {
            for (long done = 0; done <= total; done += total / 8) {
                bar.accept(done);
            }
        }
        return sw.toString();
    }

    @Test
    void onlyForATerminalAndBigInputs() {
        long big = 65L << 20;
        assertThat(render(big, false)).isEmpty();
        assertThat(render(64L << 20, true)).isEmpty();
        String shown = render(big, true);
        assertThat(shown).contains("\r[").contains("100% of 65 MiB").endsWith(System.lineSeparator());
    }
}
