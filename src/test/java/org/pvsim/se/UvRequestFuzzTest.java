package org.pvsim.se;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the customer-side request parsers (add-secret request, attestation request, pvattest exchange
 * file): whatever the bytes, they may only throw {@link SeFormatException}, and a parsed request opened with
 * a wrong key answers null. {@code mvn verify} replays the seeds in UvRequestFuzzTestInputs/; {@code mvn
 * verify -Pfuzz -Dtest=UvRequestFuzzTest#fuzzAddSecretRequest} really fuzzes (one method per run).
 */
class UvRequestFuzzTest {
    static final byte[] WRONG_KEY = new byte[32];

    @FuzzTest
    void fuzzAddSecretRequest(byte[] data) {
        try {
            AddSecretRequest r = AddSecretRequest.parse(data);
            if (r.open(WRONG_KEY) != null) {
                throw new AssertionError("a request opened with the all-zero key");
            }
            r.keySlots();
        } catch (SeFormatException expected) {
            // the only acceptable outcome for hostile bytes
        }
    }

    @FuzzTest
    void fuzzAttestationRequest(byte[] data) {
        try {
            AttestationRequest r = AttestationRequest.parse(data);
            if (r.open(WRONG_KEY) != null) {
                throw new AssertionError("a request opened with the all-zero key");
            }
            r.additionalDataSize();
        } catch (SeFormatException expected) {
            // fine
        }
    }

    @FuzzTest
    void fuzzAttestationExchange(byte[] data) {
        try {
            AttestationExchange ex = AttestationExchange.parse(data);
            AttestationExchange.parse(ex.encode());
            AttestationRequest.parse(ex.request());
        } catch (SeFormatException expected) {
            // fine
        }
    }
}
