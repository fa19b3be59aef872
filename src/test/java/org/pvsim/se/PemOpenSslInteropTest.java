package org.pvsim.se;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Files written by OpenSSL 3 (see resources org/pvsim/se/openssl/README.md) are read as OpenSSL means them. */
class PemOpenSslInteropTest {
    private static byte[] file(String name) throws IOException {
        try (InputStream in = PemOpenSslInteropTest.class.getResourceAsStream("openssl/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void everyEncodingOfTheSameKeyGivesTheKeyOfOpenSslsCertificate() throws IOException {
        List<X509Certificate> certs = Pem.readCertificates(file("p521-self-signed.crt"));
        assertThat(certs).hasSize(1);
        ECPublicKey certified = HostKeys.requireP521(certs.get(0).getPublicKey(), "openssl certificate");
        for (String name : List.of("p521-sec1.pem", "p521-sec1.der", "p521-pkcs8.pem", "p521-pkcs8.der")) {
            ECPrivateKey key = Pem.readPrivateKey(file(name));
            assertThat(HostKeys.publicKeyOf(key).getW()).as(name).isEqualTo(certified.getW());
        }
    }

    @Test
    void openSslsOtherKeysAreRefusedPrecisely() {
        assertThatThrownBy(() -> Pem.readPrivateKey(file("p384-sec1.pem")))
                .hasMessage("private key: must be an EC secp521r1 key (found EC secp384r1)");
        assertThatThrownBy(() -> Pem.readPrivateKey(file("rsa2048.pem")))
                .hasMessage("private key: must be an EC secp521r1 key (found RSA 2048)");
        assertThatThrownBy(() -> Pem.readPrivateKey(file("p521-encrypted.pem")))
                .hasMessageStartingWith("the private key is encrypted");
        assertThatThrownBy(() -> Pem.readPrivateKey(file("p521-sec1-encrypted.pem")))
                .hasMessageStartingWith("the private key is encrypted");
    }
}
