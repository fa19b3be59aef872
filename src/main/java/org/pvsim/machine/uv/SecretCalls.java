package org.pvsim.machine.uv;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.pvsim.machine.uv.cb.GuestAddr;
import org.pvsim.machine.uv.cb.ListSecrets;
import org.pvsim.machine.uv.cb.RetrieveSecret;
import org.pvsim.se.AddSecretRequest;
import org.pvsim.se.SeFormatException;
import org.pvsim.se.SecretType;

/**
 * The guest's secret calls: ADD_SECRET (an add-secret request, reference se-image-format §6, opened
 * with this machine's host keys and checked against the configuration), LIST_SECRETS (one page:
 * u16 stored ‖ u16 total ‖ u16 next index ‖ 10 reserved, then 85 items of u16 index ‖ u16 type ‖
 * u32 length ‖ 8 reserved ‖ 32-byte id; {@code struct uv_secret_list}), LOCK_SECRETS and
 * RETR_SECRET ({@code struct uv_cb_retr_secr}).
 *
 * <p>ADD_SECRET checks, in this order: request beyond guest storage (0x101), store locked (0x102),
 * magic/version (0x103), structure (0x104), a key slot for one of this machine's host keys (0x105),
 * key slot and request tag (0x106), boot tags of this configuration's image (0x107), CUID when the
 * request names one (0x108), the CCK-derived extension secret when the image's SCF demands it
 * (0x109), an id already stored (0x10a), a full store (0x10b). These rcs are this model's: no
 * public source gives the firmware's.
 *
 * <p>A retrievable key is handed out the way the CPU hands out protected keys: wrapped under a
 * wrapping key the guest never sees, followed by a 32-byte verification pattern of that key. The
 * real wrapping is not public; this model uses AES-256-CTR under a per-UV wrapping key (IV = the
 * first 16 bytes of the secret id) and SHA-256 of the wrapping key as the pattern. Plaintext
 * secrets come back as they were added (u16 length ‖ data ‖ zero padding).
 */
final class SecretCalls {
    /** 16-byte head + 85 items of 48 bytes: one page ({@code static_assert} in uv.h). */
    static final int LIST_ITEMS = 85;
    static final int LIST_ITEM = 0x30;
    static final int LIST_HEAD = 0x10;
    static final int LIST_PAGE = 4096;
    static final int WKVP = 32;
    /** MSB-0 bit 1 of the SCF: add-secret requests must carry the CCK-derived extension secret. */
    static final long SCF_CCK_EXTENSION = HostCalls.bit(1);
    static final int MAX_RETRIEVE = 8192;

    private final UvState state;
    private final byte[] wrappingKey = new byte[32];

    SecretCalls(UvState state) {
        this.state = state;
        new SecureRandom().nextBytes(wrappingKey);
    }

    int add(Call c) {
        SecureConfig config = state.configOfDomain(c.domain);
        long addr = c.block(GuestAddr.class).addr();
        if (!inGuest(config, addr, 0x10)) {
            throw new UvError(Rc.ADD_REQ_INACCESSIBLE);
        }
        BlockAccess guest = new GuestBlockAccess(state, config);
        ByteBuffer head = ByteBuffer.wrap(guest.read(addr, 0x10));
        long size = Integer.toUnsignedLong(head.getInt(0x0c));
        if (!inGuest(config, addr, Math.min(size, AddSecretRequest.MAX_SIZE))) {
            throw new UvError(Rc.ADD_REQ_INACCESSIBLE);
        }
        if (config.secrets.locked) {
            throw new UvError(Rc.ADD_STORE_LOCKED);
        }
        if (!Arrays.equals(head.array(), 0, 6, AddSecretRequest.MAGIC, 0, 6)
                || head.getInt(8) != AddSecretRequest.VERSION_1) {
            throw new UvError(Rc.ADD_REQ_VERSION);
        }
        if (size > AddSecretRequest.MAX_SIZE) {
            throw new UvError(Rc.ADD_REQ_MALFORMED);
        }
        AddSecretRequest req;
        try {
            req = AddSecretRequest.parse(guest.read(addr, (int) size));
        } catch (SeFormatException e) {
            throw new UvError(Rc.ADD_REQ_MALFORMED);
        }
        byte[] conf = unseal(req);
        ImageState image = config.image;
        if (image == null) {
            throw new UvError(Rc.INV_STATE);
        }
        byte[] tags = req.bootTags();
        if (!MessageDigest.isEqual(Arrays.copyOfRange(tags, 0, 64), image.pld)
                || !MessageDigest.isEqual(Arrays.copyOfRange(tags, 64, 128), image.ald)
                || !MessageDigest.isEqual(Arrays.copyOfRange(tags, 128, 192), image.tld)
                || !MessageDigest.isEqual(Arrays.copyOfRange(tags, 192, 208), image.headerTag)) {
            throw new UvError(Rc.ADD_WRONG_IMAGE);
        }
        if (req.boundToConfiguration() && !MessageDigest.isEqual(req.cuid(), config.cuid)) {
            throw new UvError(Rc.ADD_WRONG_CUID);
        }
        byte[] value = Arrays.copyOf(conf, req.secretLength());
        byte[] ext = Arrays.copyOfRange(conf, req.secretLength(), conf.length);
        Arrays.fill(conf, (byte) 0);
        if ((image.scf & SCF_CCK_EXTENSION) != 0 && !MessageDigest.isEqual(ext,
                AddSecretRequest.derivedExtensionSecret(image.cck, image.headerTag))) {
            throw new UvError(Rc.ADD_EXT_SECRET);
        }
        SecretType type = req.secretType();
        if (type != SecretType.NULL) {
            if (config.secrets.contains(type, req.secretId())) {
                throw new UvError(Rc.ADD_DUPLICATE);
            }
            if (config.secrets.full()) {
                throw new UvError(Rc.ADD_STORE_FULL);
            }
            config.secrets.add(type, req.secretId(), type.retrievable() && type != SecretType.PLAIN
                    ? protect(value, req.secretId()) : value);
        }
        if ((req.flags() & AddSecretRequest.FLAG_DISABLE_DUMP) != 0) {
            config.secrets.dumpDisabled = true;
        }
        Arrays.fill(value, (byte) 0);
        return Rc.EXECUTED;
    }

    private byte[] unseal(AddSecretRequest req) {
        byte[] b = req.bytes();
        KeySlots.Unwrapped key;
        try {
            key = KeySlots.unwrap(state.keks, state.identity.hostKeys(), state.hostKeyHashes,
                    req.customerKey(), b, AddSecretRequest.OFF_SLOTS, req.nks());
        } catch (KeySlots.UnwrapException e) {
            throw new UvError(e.failure == KeySlots.Failure.NO_MATCHING_SLOT ? Rc.ADD_NO_HOST_KEY : Rc.ADD_UNSEAL);
        }
        byte[] conf = req.open(key.key());
        Arrays.fill(key.key(), (byte) 0);
        if (conf == null) {
            throw new UvError(Rc.ADD_UNSEAL);
        }
        return conf;
    }

    int list(Call c) {
        SecureConfig config = state.configOfDomain(c.domain);
        ListSecrets block = c.block(ListSecrets.class);
        if (!inGuest(config, block.listAddr(), LIST_PAGE)) {
            throw new UvError(Rc.LIST_INACCESSIBLE);
        }
        List<SecretStore.Entry> all = config.secrets.entries();
        int start = Math.min(block.startIdx(), all.size());
        int n = Math.min(LIST_ITEMS, all.size() - start);
        boolean more = start + n < all.size();
        ByteBuffer page = ByteBuffer.allocate(LIST_PAGE);
        page.putShort(0, (short) n).putShort(2, (short) all.size()).putShort(4, (short) (more ? start + n : 0));
        for (int i = 0; i < n; i++) {
            SecretStore.Entry e = all.get(start + i);
            int o = LIST_HEAD + LIST_ITEM * i;
            page.putShort(o, (short) e.index()).putShort(o + 2, (short) e.type().code()).putInt(o + 4, e.value().length)
                    .put(o + 0x10, e.id());
        }
        new GuestBlockAccess(state, config).write(block.listAddr(), page.array(), LIST_PAGE);
        return more ? Rc.MORE_DATA : Rc.EXECUTED;
    }

    int lock(Call c) {
        SecureConfig config = state.configOfDomain(c.domain);
        if (config.secrets.locked) {
            throw new UvError(Rc.LOCK_ALREADY);
        }
        config.secrets.locked = true;
        return Rc.EXECUTED;
    }

    int retrieve(Call c) {
        SecureConfig config = state.configOfDomain(c.domain);
        RetrieveSecret block = c.block(RetrieveSecret.class);
        long size = Integer.toUnsignedLong(block.bufSize());
        if (!inGuest(config, block.bufAddr(), Math.min(size, MAX_RETRIEVE))) {
            throw new UvError(Rc.RETR_INACCESSIBLE);
        }
        List<SecretStore.Entry> all = config.secrets.entries();
        if (all.isEmpty()) {
            throw new UvError(Rc.RETR_STORE_EMPTY);
        }
        if (block.secretIdx() >= all.size()) {
            throw new UvError(Rc.RETR_INV_IDX);
        }
        SecretStore.Entry e = all.get(block.secretIdx());
        if (!e.type().retrievable()) {
            throw new UvError(Rc.RETR_INV_SECRET);
        }
        byte[] v = e.value();
        if (size < v.length) {
            throw new UvError(Rc.RETR_BUF_SMALL);
        }
        new GuestBlockAccess(state, config).write(block.bufAddr(), v, v.length);
        Arrays.fill(v, (byte) 0);
        return Rc.EXECUTED;
    }

    /** The key as a protected key: wrapped ‖ wrapping-key verification pattern. */
    private byte[] protect(byte[] key, byte[] id) {
        try {
            Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");
            ctr.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(wrappingKey, "AES"),
                    new IvParameterSpec(Arrays.copyOf(id, 16)));
            byte[] wrapped = ctr.doFinal(key);
            byte[] wkvp = MessageDigest.getInstance("SHA-256").digest(wrappingKey);
            return ByteBuffer.allocate(wrapped.length + WKVP).put(wrapped).put(wkvp).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR unavailable", e);
        }
    }

    private static boolean inGuest(SecureConfig config, long addr, long len) {
        return addr >= 0 && len >= 0 && len <= config.msl && addr <= config.msl - len;
    }
}
