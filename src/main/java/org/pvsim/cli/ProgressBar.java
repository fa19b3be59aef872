package org.pvsim.cli;

import java.io.PrintWriter;
import java.util.function.LongConsumer;

/** A one-line progress bar on stderr, only for a terminal and big inputs; otherwise it prints nothing. */
final class ProgressBar implements LongConsumer, AutoCloseable {
    static final long THRESHOLD = 64L << 20;
    private static final int WIDTH = 40;

    private final PrintWriter err;
    private final long total;
    private int lastPercent = -1;

    private ProgressBar(PrintWriter err, long total) {
        this.err = err;
        this.total = total;
    }

    /** A bar when stderr is a terminal and the input is over 64 MiB; a silent one otherwise. */
    static ProgressBar forInput(PrintWriter err, long totalBytes) {
        return forInput(err, totalBytes, System.console() != null);
    }

    static ProgressBar forInput(PrintWriter err, long totalBytes, boolean terminal) {
        boolean show = terminal && totalBytes > THRESHOLD;
        return new ProgressBar(show ? err : null, totalBytes);
    }

    @Override
    public void accept(long done) {
        if (err == null) {
            return;
        }
        int percent = (int) Math.min(100, done * 100 / Math.max(1, total));
        if (percent == lastPercent) {
            return;
        }
        lastPercent = percent;
        int filled = percent * WIDTH / 100;
        err.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + percent + "% of "
                + (total >> 20) + " MiB");
        err.flush();
    }

    @Override
    public void close() {
        if (err != null && lastPercent >= 0) {
            err.println();
            err.flush();
        }
    }
}
