package org.pvsim.se;

import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/** Names a key's algorithm and size the way users know them ("RSA 2048", "EC secp384r1"), for error messages. */
final class KeyDescription {
    static final ASN1ObjectIdentifier RSA = new ASN1ObjectIdentifier("1.2.840.113549.1.1.1");
    static final ASN1ObjectIdentifier SECP521R1 = new ASN1ObjectIdentifier("1.3.132.0.35");

    private static final Map<String, String> OTHER_ALGORITHMS = Map.of(
            "1.2.840.10040.4.1", "DSA",
            "1.2.840.113549.1.1.10", "RSASSA-PSS",
            "1.3.101.110", "X25519",
            "1.3.101.111", "X448",
            "1.3.101.112", "Ed25519",
            "1.3.101.113", "Ed448");

    private KeyDescription() {
    }

    /** Describes a key given the algorithm identifier of its SubjectPublicKeyInfo or PKCS#8 structure. */
    static String describe(AlgorithmIdentifier algorithm, int rsaBits) {
        ASN1ObjectIdentifier oid = algorithm.getAlgorithm();
        if (oid.equals(RSA)) {
            return rsaBits > 0 ? "RSA " + rsaBits : "RSA";
        }
        if (oid.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            return "EC " + curveName(algorithm);
        }
        return OTHER_ALGORITHMS.getOrDefault(oid.getId(), "algorithm " + oid.getId());
    }

    /** True if the algorithm identifier says: EC on the named curve secp521r1. */
    static boolean isP521(AlgorithmIdentifier algorithm) {
        return algorithm.getAlgorithm().equals(X9ObjectIdentifiers.id_ecPublicKey)
                && algorithm.getParameters() instanceof ASN1ObjectIdentifier curve
                && curve.equals(SECP521R1);
    }

    static String curveName(AlgorithmIdentifier algorithm) {
        if (algorithm.getParameters() instanceof ASN1ObjectIdentifier curve) {
            String name = ECNamedCurveTable.getName(curve);
            return name != null ? name : "curve " + curve.getId();
        }
        return "with explicit or missing curve parameters";
    }
}
