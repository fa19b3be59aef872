package org.pvsim.machine.uv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pvsim.se.HostKeys;
import org.pvsim.se.Pem;

class MachineIdentityTest {
    @Test
    void loadsHostKeysFromPemAndDerivesTheirPublicHalves() {
        HostKey a = HostKey.generate();
        HostKey b = HostKey.generate();
        MachineIdentity id = MachineIdentity.fromPem(List.of(Pem.writePrivateKey(a.privateKey()),
                Pem.writePrivateKey(b.privateKey())));
        assertThat(id.hostKeys()).hasSize(2);
        assertThat(id.hostKeys().get(0).hash()).isEqualTo(HostKeys.hostKeyHash(a.publicKey()));
        assertThat(id.hostKeys().get(1).publicKey().getW()).isEqualTo(b.publicKey().getW());
    }

    @Test
    void badKeysAreNamedByPosition() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));
        byte[] p384 = Pem.writePrivateKey(g.generateKeyPair().getPrivate());
        byte[] good = Pem.writePrivateKey(HostKey.generate().privateKey());
        assertThatThrownBy(() -> MachineIdentity.fromPem(List.of(good, p384)))
                .hasMessageStartingWith("host private key #2: ");
        assertThatThrownBy(() -> MachineIdentity.fromPem(List.of("junk".getBytes(StandardCharsets.US_ASCII))))
                .hasMessageStartingWith("host private key #1: ");
        assertThatThrownBy(() -> MachineIdentity.fromPem(List.of()))
                .hasMessageContaining("at least one host key");
    }
}
