package org.pvsim.cli;

/**
 * A command line that names options which cannot go together, or leaves out one that must be given, found
 * only after picocli parsed it. clap reports these while parsing, with exit code 2, so pvsim does the same:
 * {@link Main} prints the message as one line and exits 2, where errors met while running exit 1.
 */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }

    /** "a and b exclude each other", the wording of every conflict pvsim reports. */
    static UsageException conflict(String a, String b) {
        return new UsageException(a + " and " + b + " exclude each other");
    }
}
