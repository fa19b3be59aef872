package org.pvsim.cli;

import picocli.CommandLine;

/** pvimg's rule that --crl, --offline and --root-ca only make sense with --cert, as a usage error like clap's. */
final class CertRequirement {
    private CertRequirement() {
    }

    static CommandLine.ParameterException missing(CommandLine cl, String option) {
        return new CommandLine.ParameterException(cl, "the following required arguments were not provided: --cert=FILE"
                + " (" + option + " needs it)");
    }

    /** The first of --crl, --offline, --root-ca given without --cert, or null. */
    static String violated(boolean certs, boolean crls, boolean offline, boolean rootCa) {
        if (certs) {
            return null;
        }
        return crls ? "--crl" : offline ? "--offline" : rootCa ? "--root-ca" : null;
    }
}
