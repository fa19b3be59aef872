package org.pvsim.image.hostkey;

import java.security.cert.X509Certificate;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * The subject an IBM Z signing-key certificate must have, as pvimg's {@code is_ibm_signing_cert}
 * checks it: exactly six attributes C=US, ST=New York, L=Poughkeepsie (or Armonk),
 * O=International Business Machines Corporation, CN=International Business Machines Corporation,
 * and an OU ending in "Key Signing Service".
 */
public final class IbmSigningKeyName {
    public static final String COUNTRY = "US";
    public static final String STATE = "New York";
    public static final Set<String> LOCALITIES = Set.of("Poughkeepsie", "Armonk");
    public static final String ORGANIZATION = "International Business Machines Corporation";
    public static final String COMMON_NAME = "International Business Machines Corporation";
    public static final String OU_SUFFIX = "Key Signing Service";
    public static final int ENTRIES = 6;

    /** A short human description of the expected subject, for error messages. */
    public static final String DESCRIPTION = "C=US, ST=New York, L=Poughkeepsie or Armonk, O=" + ORGANIZATION
            + ", CN=" + COMMON_NAME + ", OU=...Key Signing Service, nothing else";

    private IbmSigningKeyName() {
    }

    /** The subject of a signing-key certificate, in the attribute order IBM's certificates use. */
    public static X500Name build(String locality, String organizationalUnit) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.C, COUNTRY)
                .addRDN(BCStyle.ST, STATE)
                .addRDN(BCStyle.L, locality)
                .addRDN(BCStyle.O, ORGANIZATION)
                .addRDN(BCStyle.OU, organizationalUnit)
                .addRDN(BCStyle.CN, COMMON_NAME)
                .build();
    }

    public static boolean isIbmSigningKey(X509Certificate cert) {
        return matches(cert.getSubjectX500Principal());
    }

    public static boolean matches(X500Principal subject) {
        X500Name name = X500Name.getInstance(subject.getEncoded());
        int entries = 0;
        for (RDN rdn : name.getRDNs()) {
            entries += rdn.size();
        }
        if (entries != ENTRIES) {
            return false;
        }
        String ou = first(name, BCStyle.OU);
        String locality = first(name, BCStyle.L);
        return COUNTRY.equals(first(name, BCStyle.C))
                && STATE.equals(first(name, BCStyle.ST))
                && locality != null && LOCALITIES.contains(locality)
                && ORGANIZATION.equals(first(name, BCStyle.O))
                && COMMON_NAME.equals(first(name, BCStyle.CN))
                && ou != null && ou.endsWith(OU_SUFFIX);
    }

    /** The value of the first attribute of this type, as a string; null if absent or not a string. */
    static String first(X500Name name, ASN1ObjectIdentifier type) {
        for (RDN rdn : name.getRDNs(type)) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                if (atv.getType().equals(type)) {
                    return atv.getValue() instanceof ASN1String s ? s.getString() : null;
                }
            }
        }
        return null;
    }
}
