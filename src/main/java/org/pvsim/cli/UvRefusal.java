package org.pvsim.cli;

/**
 * What the UV's answer to the agent's guest calls means, for the one error line. The ADD_SECRET codes are
 * pvsim's model (docs/ultravisor.md), the RETR_ATTEST ones kvm-unit-tests' (org.pvsim.machine.uv.Rc has both).
 */
final class UvRefusal {
    private UvRefusal() {
    }

    static String addSecret(AgentAnswer a) {
        return a.codes() + switch (a.rc()) {
            case 0x0101 -> " (the request is not in guest storage)";
            case 0x0102 -> " (the secret store is locked)";
            case 0x0103 -> " (not an add-secret request of a supported version)";
            case 0x0104 -> " (a malformed request)";
            case 0x0105 -> " (the request is for another host: no key slot for this machine's host keys)";
            case 0x0106 -> " (the request does not open: it was changed)";
            case 0x0107 -> " (the request is for another SE image)";
            case 0x0108 -> " (the request is bound to another configuration, CUID)";
            case 0x0109 -> " (the extension secret is not the one the image demands)";
            case 0x010a -> " (a secret with this id is already stored)";
            case 0x010b -> " (the secret store is full)";
            default -> "";
        };
    }

    static String attest(AgentAnswer a) {
        return a.codes() + switch (a.rc()) {
            case 0x0106 -> " (not an attestation request of a supported version)";
            case 0x0107, 0x0108, 0x0109 -> " (a malformed attestation request)";
            case 0x010a -> " (unsupported request flags)";
            case 0x010b -> " (unsupported measurement algorithm)";
            case 0x010c -> " (the request does not open: it is for another host, or was changed)";
            default -> "";
        };
    }
}
