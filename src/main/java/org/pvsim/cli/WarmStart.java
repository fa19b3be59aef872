package org.pvsim.cli;

import org.pvsim.se.CryptoWarmup;

/**
 * The ./pvsim launcher's entry for {@code image create} and {@code image verify}: starts the
 * {@link CryptoWarmup} for the direction the command goes, then runs {@link Main} as usual.
 */
public final class WarmStart {
    private WarmStart() {
    }

    public static void main(String[] args) {
        CryptoWarmup.Mode mode = "decrypt".equals(System.getProperty("pvsim.warmup"))
                ? CryptoWarmup.Mode.DECRYPT : CryptoWarmup.Mode.ENCRYPT;
        CryptoWarmup.start(mode, Integer.getInteger("pvsim.warmup.mib", 8));
        Main.main(args);
    }
}
