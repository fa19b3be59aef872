package org.pvsim.machine.uv;

import java.util.List;

/**
 * The SE-image cryptography the UV needs, behind one seam: unwrap and check an SE header with the
 * machine's host keys, and decrypt one image page. Implemented on the shared {@code org.pvsim.se} API.
 */
interface SeSupport {
    /** Parses and opens the header ({@code hostKeyHashes} are the keys' slot digests); throws {@link UvError} with the SET_SEC_CONF_PARAMS rc/rrc. */
    ImageState open(byte[] header, List<HostKey> hostKeys, List<byte[]> hostKeyHashes);

    /** Decrypts one 4096-byte page in place with the image's AES-256-XTS key and the 16-byte tweak. */
    void decryptPage(ImageState image, byte[] page, byte[] tweak16);
}
