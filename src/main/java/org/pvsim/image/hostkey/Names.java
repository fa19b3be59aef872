package org.pvsim.image.hostkey;

import java.util.ArrayList;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * Distinguished-name comparison as pvimg does it: the same attributes with the same values, in any
 * order (IBM's CRLs list the signing key's name in another order than its certificate). With the
 * locality quirk, L=Armonk and L=Poughkeepsie count as equal (pvimg's {@code armonk_locality_fixup}).
 */
final class Names {
    private Names() {
    }

    /** The name in its encoded order, as OpenSSL prints it ("C=US,O=...,CN=..."), not RFC 2253's reverse. */
    static String display(X500Principal name) {
        return X500Name.getInstance(name.getEncoded()).toString();
    }

    static boolean sameEntries(X500Principal a, X500Principal b, boolean localityQuirk) {
        if (a.equals(b)) {
            return true;
        }
        List<String> left = entries(a, localityQuirk);
        List<String> right = entries(b, localityQuirk);
        if (left.size() != right.size()) {
            return false;
        }
        for (String entry : left) {
            if (!right.remove(entry)) {
                return false;
            }
        }
        return true;
    }

    private static List<String> entries(X500Principal principal, boolean localityQuirk) {
        List<String> out = new ArrayList<>();
        for (RDN rdn : X500Name.getInstance(principal.getEncoded()).getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                String value = atv.getValue() instanceof ASN1String s ? s.getString() : atv.getValue().toString();
                if (localityQuirk && atv.getType().equals(BCStyle.L) && value.equals("Armonk")) {
                    value = "Poughkeepsie";
                }
                out.add(atv.getType().getId() + "=" + value);
            }
        }
        return out;
    }
}
