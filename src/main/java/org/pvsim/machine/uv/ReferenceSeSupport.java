package org.pvsim.machine.uv;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The SE header checks and page decryption written directly against reference se-image-format §1
 * and §2 (header layout, key slots, AES-256-GCM, AES-256-XTS). The rc/rrc values are stage3a.c's.
 * Check order: size fields against the given length (0x10a/0x31), magic (0x10a/0x41), version
 * (0x104/0x1), nks 0 (0x10a/0x40), sea (0x10a/0x39), PCF (0x106/0x30), key slot for one of the host
 * keys (0x108/0x5), customer key (0x108/0xb), tags (0x10a/0x42), SCF (0x109/0), noi (0x10a/0x39).
 */
final class ReferenceSeSupport implements SeSupport {
    static final byte[] MAGIC = "IBMSecEx".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION_1 = 0x100;
    static final int HEAD = 0x1a0;
    static final int MAX_SIZE = 8192;
    static final int ENCRYPTED_SIZE = 0x80;
    static final long SUPPORTED_SCF = HostCalls.bit(1) | HostCalls.bit(2);

    @Override
    public ImageState open(byte[] h, List<HostKey> hostKeys) {
        if (h.length < HEAD + 16 || h.length > MAX_SIZE) {
            throw new UvError(Rc.SSC_HDR_CORRUPT, Rc.SSC_HDR_LEN_MISMATCH_RRC);
        }
        ByteBuffer b = ByteBuffer.wrap(h);
        if (!Arrays.equals(Arrays.copyOf(h, 8), MAGIC)) {
            throw new UvError(Rc.SSC_HDR_CORRUPT, Rc.SSC_BAD_MAGIC_RRC);
        }
        if (b.getInt(8) != VERSION_1) {
            throw new UvError(Rc.SSC_HDR_VER_MISMATCH, Rc.SSC_HDR_VER_MISMATCH_RRC);
        }
        long phs = Integer.toUnsignedLong(b.getInt(0x0c));
        if (phs != h.length) {
            throw new UvError(Rc.SSC_HDR_CORRUPT, Rc.SSC_HDR_LEN_MISMATCH_RRC);
        }
        long nks = b.getLong(0x20);
        long sea = b.getLong(0x28);
        if (nks == 0) {
            throw new UvError(Rc.SSC_HDR_CORRUPT, Rc.SSC_KEY_SLOT_EMPTY_RRC);
        }
        if (nks > 95 || sea < ENCRYPTED_SIZE || sea > MAX_SIZE || HEAD + 80 * nks + sea + 16 != phs) {
            throw new UvError(Rc.SSC_HDR_CORRUPT, Rc.SSC_HDR_SIZE_ENC_INVAL_RRC);
        }
        long pcf = b.getLong(0x38);
        if ((pcf & ~HostCalls.SUPPORTED_PCF) != 0) {
            throw new UvError(Rc.SSC_UNSUPPORTED_PCF, Rc.SSC_UNSUPPORTED_PCF_RRC);
        }
        KeySlots.Unwrapped slot;
        try {
            slot = KeySlots.unwrap(hostKeys, Arrays.copyOfRange(h, 0x40, 0xe0), h, HEAD, (int) nks);
        } catch (KeySlots.UnwrapException e) {
            throw switch (e.failure) {
                case NO_MATCHING_SLOT -> new UvError(Rc.SSC_HOSTKEY, Rc.SSC_HOSTKEY_MISMATCH_RRC);
                case BAD_CUSTOMER_KEY -> new UvError(Rc.SSC_HOSTKEY, Rc.SSC_INVAL_ECDH_KEY_RRC);
                case SLOT_TAG -> new UvError(Rc.SSC_HDR_CORRUPT, Rc.SSC_HDR_TAG_RRC);
            };
        }
        int aad = (int) (HEAD + 80 * nks);
        byte[] plain;
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(slot.key(), "AES"),
                    new GCMParameterSpec(128, Arrays.copyOfRange(h, 0x10, 0x1c)));
            c.updateAAD(h, 0, aad);
            plain = c.doFinal(h, aad, (int) sea + 16);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new UvError(Rc.SSC_HDR_CORRUPT, Rc.SSC_HDR_TAG_RRC);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
        ByteBuffer p = ByteBuffer.wrap(plain);
        long scf = p.getLong(0x70);
        if ((scf & ~SUPPORTED_SCF) != 0) {
            throw new UvError(Rc.SSC_UNSUPPORTED_SCF, 0);
        }
        if (p.getInt(0x78) != 0) { // optional items: defined by nobody, supported by nobody
            throw new UvError(Rc.SSC_HDR_CORRUPT, Rc.SSC_HDR_SIZE_ENC_INVAL_RRC);
        }
        return new ImageState(Arrays.copyOfRange(h, 0xe0, 0x120), Arrays.copyOfRange(h, 0x120, 0x160),
                Arrays.copyOfRange(h, 0x160, 0x1a0), Arrays.copyOfRange(h, h.length - 16, h.length),
                b.getLong(0x30), pcf, scf, Arrays.copyOfRange(plain, 0, 32), Arrays.copyOfRange(plain, 0x20, 0x60),
                p.getLong(0x60), p.getLong(0x68), slot.hostKeyHash());
    }

    @Override
    public void decryptPage(byte[] xtsKey, byte[] src, byte[] dst, byte[] tweak16) {
        new UvXts(xtsKey, true).page(src, 0, dst, 0, tweak16);
    }
}
