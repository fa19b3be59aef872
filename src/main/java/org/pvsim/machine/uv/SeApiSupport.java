package org.pvsim.machine.uv;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pvsim.se.HeaderCrypto;
import org.pvsim.se.P521;
import org.pvsim.se.SeFormatException;
import org.pvsim.se.SeHeader;
import org.pvsim.se.SeHeaderSecrets;
import org.pvsim.se.SeVerificationException;
import org.pvsim.se.Xts;

/**
 * SET_SEC_CONF_PARAMS' header checks on the shared {@code org.pvsim.se} API, mapped to the rc/rrc of
 * s390-tools' stage3a.c. The shape checks run first on the raw bytes so that each gets its own reason
 * code: size (0x10a/0x31), magic (0x10a/0x41, model), version (0x104/0x1), no key slot (0x10a/0x40),
 * sizes of the parts (0x10a/0x39), PCF (0x106/0x30); then the key slot for one of the machine's host
 * keys (0x108/0x5 when the image is not for this host), the customer key (0x108/0xb), the slot and
 * header tags (0x10a/0x42, model), optional items (0x10a/0x39) and the SCF (0x109/0). The ECDH
 * step goes through the UV's {@link KekCache} (a simulator speed-up; same answers).
 */
final class SeApiSupport implements SeSupport {
    static final long SUPPORTED_SCF = HostCalls.bit(1) | HostCalls.bit(2);

    static final int XTS_CAPACITY = 16;
    private final KekCache keks;
    /**
     * The XTS ciphers of the last {@link #XTS_CAPACITY} keys, per thread: Xts is not thread-safe, and
     * configurations booted from one image would otherwise share one and take turns at it.
     */
    private final ThreadLocal<Map<ByteBuffer, Xts>> xtsByKey = ThreadLocal.withInitial(() -> new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Xts> eldest) {
            return size() > XTS_CAPACITY;
        }
    });

    SeApiSupport(KekCache keks) {
        this.keks = keks;
    }

    @Override
    public ImageState open(byte[] h, List<HostKey> hostKeys, List<byte[]> hostKeyHashes) {
        checkShape(h);
        SeHeader hdr;
        try {
            hdr = SeHeader.parse(h);
        } catch (SeFormatException e) {
            // what the raw checks leave to the parser: the customer key's padding, nep's range
            throw e.getMessage().contains("customer public key")
                    ? new UvError(Rc.SSC_HOSTKEY, Rc.SSC_INVAL_ECDH_KEY_RRC)
                    : new UvError(Rc.SSC_HDR_CORRUPT, Rc.SSC_HDR_SIZE_ENC_INVAL_RRC);
        }
        for (int k = 0; k < hostKeys.size(); k++) {
            HostKey key = hostKeys.get(k);
            byte[] hash = hostKeyHashes.get(k);
            int slot = slotFor(hdr, hash);
            if (slot < 0) {
                continue;
            }
            SeHeaderSecrets secrets;
            try {
                byte[] kek = keks.kek(hash, hdr.customerPublicKeyXY(),
                        () -> P521.kek(key.privateKey(), hdr.customerPublicKey()));
                byte[] headerKey = HeaderCrypto.unwrapKeySlot(hdr.keySlots().get(slot), slot, kek);
                try {
                    secrets = HeaderCrypto.open(hdr, headerKey);
                } finally {
                    Arrays.fill(headerKey, (byte) 0);
                }
            } catch (SeVerificationException e) {
                throw switch (e.failure()) {
                    case CUSTOMER_KEY -> new UvError(Rc.SSC_HOSTKEY, Rc.SSC_INVAL_ECDH_KEY_RRC);
                    case OPTIONAL_ITEMS -> new UvError(Rc.SSC_HDR_CORRUPT, Rc.SSC_HDR_SIZE_ENC_INVAL_RRC);
                    default -> new UvError(Rc.SSC_HDR_CORRUPT, Rc.SSC_HDR_TAG_RRC);
                };
            }
            if ((secrets.scf() & ~SUPPORTED_SCF) != 0) {
                throw new UvError(Rc.SSC_UNSUPPORTED_SCF, 0);
            }
            return new ImageState(hdr.pld(), hdr.ald(), hdr.tld(), hdr.tag(), hdr.nep(), hdr.pcf(), secrets.scf(),
                    secrets.cck(), secrets.xtsKey(), secrets.pswMask(), secrets.pswAddress(), hash);
        }
        throw new UvError(Rc.SSC_HOSTKEY, Rc.SSC_HOSTKEY_MISMATCH_RRC);
    }

    private static void checkShape(byte[] h) {
        if (h.length < 16) {
            throw new UvError(Rc.SSC_HDR_CORRUPT, Rc.SSC_HDR_LEN_MISMATCH_RRC);
        }
        ByteBuffer b = ByteBuffer.wrap(h);
        if (b.getLong(0) != SeHeader.MAGIC) {
            throw new UvError(Rc.SSC_HDR_CORRUPT, Rc.SSC_BAD_MAGIC_RRC);
        }
        if (b.getInt(8) != SeHeader.VERSION_1) {
            throw new UvError(Rc.SSC_HDR_VER_MISMATCH, Rc.SSC_HDR_VER_MISMATCH_RRC);
        }
        if (Integer.toUnsignedLong(b.getInt(12)) != h.length || h.length < SeHeader.HEAD_SIZE + SeHeader.TAG_SIZE) {
            throw new UvError(Rc.SSC_HDR_CORRUPT, Rc.SSC_HDR_LEN_MISMATCH_RRC);
        }
        long nks = b.getLong(0x20);
        long sea = b.getLong(0x28);
        if (nks == 0) {
            throw new UvError(Rc.SSC_HDR_CORRUPT, Rc.SSC_KEY_SLOT_EMPTY_RRC);
        }
        if (Long.compareUnsigned(nks, SeHeader.MAX_KEY_SLOTS) > 0 || sea < SeHeaderSecrets.SIZE
                || sea > SeHeader.MAX_SIZE || sea % 16 != 0
                || SeHeader.HEAD_SIZE + 80 * nks + sea + SeHeader.TAG_SIZE != h.length) {
            throw new UvError(Rc.SSC_HDR_CORRUPT, Rc.SSC_HDR_SIZE_ENC_INVAL_RRC);
        }
        if ((b.getLong(0x38) & ~HostCalls.SUPPORTED_PCF) != 0) {
            throw new UvError(Rc.SSC_UNSUPPORTED_PCF, Rc.SSC_UNSUPPORTED_PCF_RRC);
        }
    }

    /**
     * The calling thread's XTS cipher for a key: made once per key and thread among the last
     * {@link #XTS_CAPACITY} (a simulator speed-up like {@link KekCache}: three AES key schedules and Cipher
     * look-ups per image cost more than unpacking a small image).
     */
    private Xts xts(byte[] key64) {
        Map<ByteBuffer, Xts> mine = xtsByKey.get();
        Xts x = mine.get(ByteBuffer.wrap(key64));
        if (x == null) {
            x = new Xts(key64);
            mine.put(ByteBuffer.wrap(key64.clone()), x);
        }
        return x;
    }

    private static int slotFor(SeHeader hdr, byte[] hostKeyHash) {
        var slots = hdr.keySlots();
        for (int i = 0; i < slots.size(); i++) {
            if (slots.get(i).isFor(hostKeyHash)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void decryptPage(ImageState image, byte[] page, byte[] tweak16) {
        xts(image.xtsKey).decryptPage(page, 0, page, 0, tweak16);
    }

}
