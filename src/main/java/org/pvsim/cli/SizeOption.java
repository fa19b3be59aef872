package org.pvsim.cli;

import java.util.Locale;

/** A memory size option ({@code --memory 64M}, QEMU's {@code -m 2G}): a number with a K/M/G/T suffix, no overflow. */
final class SizeOption {
    /** The storage model's limit. */
    static final long MAX = 4L << 40;

    private SizeOption() {
    }

    /** {@code s} in bytes; a bare number counts in {@code unit} bytes. */
    static long parse(String s, String option, long unit) {
        String t = s.trim().toUpperCase(Locale.ROOT);
        if (t.endsWith("IB")) {
            t = t.substring(0, t.length() - 2);
        } else if (t.length() > 1 && t.endsWith("B") && !Character.isDigit(t.charAt(t.length() - 2))) {
            t = t.substring(0, t.length() - 1);
        }
        long mult = unit;
        if (!t.isEmpty()) {
            int shift = "KMGT".indexOf(t.charAt(t.length() - 1));
            if (shift >= 0) {
                mult = 1L << (10 * (shift + 1));
                t = t.substring(0, t.length() - 1);
            }
        }
        if (!t.matches("[0-9]+")) {
            throw new IllegalArgumentException(option + ": not a size: '" + s + "' (a number with a K, M, G or T suffix)");
        }
        try {
            long v = Math.multiplyExact(Long.parseLong(t), mult);
            if (v > MAX) {
                throw new ArithmeticException();
            }
            return v;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(option + ": " + s + " is too large: pvsim's machines have at most 4T of memory");
        }
    }
}
