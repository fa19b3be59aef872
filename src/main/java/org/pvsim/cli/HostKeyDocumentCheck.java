package org.pvsim.cli;

import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;

/** Verifies host-key documents against the IBM Z signing key chain (delegates to the hostkey package). */
final class HostKeyDocumentCheck {
    private HostKeyDocumentCheck() {
    }

    static void verify(List<X509Certificate> hkds, List<X509Certificate> certs, List<X509CRL> crls,
            X509Certificate rootCa, boolean offline) {
        throw new IllegalArgumentException("host-key document verification is not available in this build yet;"
                + " use --no-verify");
    }
}
