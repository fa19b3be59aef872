package org.pvsim.cli;

import java.util.List;
import picocli.CommandLine.ParseResult;

/**
 * pvimg create's conflicts that are not pairs of toggles (s390-tools rust/pvimg/src/cli.rs): an image key with
 * --disable-image-encryption, the raw --x-pcf/--x-scf with any of the header-flag options, and the flags that
 * need a key (clap's {@code requires}). clap rejects these while parsing, so they are usage errors like the
 * toggles' conflicts: one line, exit code 2. (SeImageBuilder keeps its own checks for callers of the API.)
 */
final class PvimgConflicts {
    /** pvimg's "header-flags" group. */
    static final List<String> HEADER_FLAGS = List.of("--enable-dump", "--disable-dump", "--enable-cck-extension-secret",
            "--disable-cck-extension-secret", "--enable-cck-update", "--disable-cck-update", "--enable-pckmo",
            "--disable-pckmo", "--enable-pckmo-hmac", "--disable-pckmo-hmac", "--enable-backup-keys",
            "--disable-backup-keys", "--enable-image-encryption", "--disable-image-encryption");

    private PvimgConflicts() {
    }

    static void check(ParseResult pr) {
        conflict(pr, "--image-key", "--disable-image-encryption");
        conflict(pr, "--enable-cck-update", "--enable-cck-extension-secret");
        if (pr.hasMatchedOption("--enable-dump") && !pr.hasMatchedOption("--cck")
                && !pr.hasMatchedOption("--enable-cck-update")) {
            throw new UsageException("dumping (--enable-dump) needs a customer communication key (--cck)");
        }
        if (pr.hasMatchedOption("--enable-cck-extension-secret") && !pr.hasMatchedOption("--cck")) {
            throw new UsageException("--enable-cck-extension-secret needs a customer communication key (--cck)");
        }
        for (String raw : List.of("--x-pcf", "--x-scf")) {
            for (String flag : HEADER_FLAGS) {
                conflict(pr, raw, flag);
            }
        }
    }

    private static void conflict(ParseResult pr, String a, String b) {
        if (pr.hasMatchedOption(a) && pr.hasMatchedOption(b)) {
            throw UsageException.conflict(a, b);
        }
    }
}
