package org.pvsim.machine.uv;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.pvsim.machine.uv.cb.Attest;
import org.pvsim.se.AttestationMeasurement;

/**
 * RETR_ATTEST: unseal the guest's attestation request control block (ARCB) with a host key and
 * answer the HMAC-SHA512 measurement of reference se-image-format §6 plus the requested additional
 * data. ARCB v1 layout (kvm-unit-tests pv-attest.c): magic 8 zero, req_ver u32 @8, req_len u32 @0xc,
 * IV @0x10, nks u8 @0x27, sea u32 @0x2c, plaintext flags u64 @0x30, measurement algorithm u32 @0x38,
 * customer public key @0x40, key slots @0xe0, encrypted part (measurement key 64 ‖ nonce 16 if
 * flag 1), GCM tag 16; AAD = everything before the encrypted part.
 *
 * <p>Check order, fixed by kvm-unit-tests: continuation token (0x101), user data length (0x102),
 * ARCB beyond guest storage (0x103), version (0x106), nks 0 (0x108), sea (0x109), req_len (0x107),
 * flags (0x10a), algorithm (0x10b), measurement length (0x10d), additional length (0x10e), unseal
 * (0x10c), then the output buffers beyond guest storage (0x104, 0x105).
 */
final class Attestation {
    static final int VERSION_1 = 0x0100;
    static final int HMAC_SHA512 = 1;
    static final long PAF_NONCE = HostCalls.bit(1);
    static final long PAF_IMAGE_PHKH = HostCalls.bit(2);
    static final long PAF_ATTEST_PHKH = HostCalls.bit(3);
    static final int HEAD = 0x40;
    static final int CPK = 160;
    static final int MAX_ARCB = 0x2000;

    private final UvState state;

    Attestation(UvState state) {
        this.state = state;
    }

    int retrieve(Call c, SecureConfig config) {
        Attest block = c.block(Attest.class);
        long arcbAddr = block.arcbAddr();
        int userLen = block.userDataLen();
        int measLen = block.measLen();
        long measAddr = block.measAddr();
        long addLen = Integer.toUnsignedLong(block.addDataLen());
        long addAddr = block.addDataAddr();
        if (block.contToken() != 0) {
            throw new UvError(Rc.ATT_CONT_TOKEN);
        }
        if (userLen > AttestationMeasurement.MAX_USER_DATA) {
            throw new UvError(Rc.ATT_USER_DATA_LEN);
        }
        BlockAccess guest = new GuestBlockAccess(state, config);
        if (!inGuest(config, arcbAddr, HEAD)) {
            throw new UvError(Rc.ATT_ARCB_INACCESSIBLE);
        }
        ByteBuffer head = ByteBuffer.wrap(guest.read(arcbAddr, HEAD));
        int version = head.getInt(0x08);
        long reqLen = Integer.toUnsignedLong(head.getInt(0x0c));
        int nks = head.get(0x27) & 0xff;
        long sea = Integer.toUnsignedLong(head.getInt(0x2c));
        long paf = head.getLong(0x30);
        int alg = head.getInt(0x38);
        if (head.getLong(0) != 0 || version != VERSION_1) {
            throw new UvError(Rc.ATT_REQ_VERSION);
        }
        if (nks == 0) {
            throw new UvError(Rc.ATT_NKS);
        }
        if (sea != 64 + ((paf & PAF_NONCE) != 0 ? 16 : 0)) {
            throw new UvError(Rc.ATT_SEA);
        }
        long aadLen = HEAD + CPK + (long) KeySlots.SLOT * nks;
        if (reqLen != aadLen + sea + 16 || reqLen > MAX_ARCB) {
            throw new UvError(Rc.ATT_REQ_LEN);
        }
        if ((paf & ~GuestCalls.SUPPORTED_PAF) != 0) {
            throw new UvError(Rc.ATT_PAF);
        }
        if (alg != HMAC_SHA512) {
            throw new UvError(Rc.ATT_MEAS_ALG);
        }
        if (measLen != AttestationMeasurement.SIZE) {
            throw new UvError(Rc.ATT_MEAS_LEN);
        }
        int neededAdd = ((paf & PAF_IMAGE_PHKH) != 0 ? 32 : 0) + ((paf & PAF_ATTEST_PHKH) != 0 ? 32 : 0);
        if (addLen < neededAdd) {
            throw new UvError(Rc.ATT_ADD_LEN);
        }
        if (!inGuest(config, arcbAddr, reqLen)) {
            throw new UvError(Rc.ATT_ARCB_INACCESSIBLE);
        }
        byte[] arcb = guest.read(arcbAddr, (int) reqLen);
        Unsealed unsealed = unseal(arcb, nks, (int) aadLen, (int) sea);
        byte[] secret = unsealed.secret();
        byte[] measKey = Arrays.copyOf(secret, 64);
        byte[] nonce = sea > 64 ? Arrays.copyOfRange(secret, 64, 80) : null;

        ImageState image = config.image;
        if (image == null) {
            throw new UvError(Rc.INV_STATE);
        }
        ByteBuffer add = ByteBuffer.allocate(neededAdd);
        if ((paf & PAF_IMAGE_PHKH) != 0) {
            add.put(image.hostKeyHash);
        }
        if ((paf & PAF_ATTEST_PHKH) != 0) {
            add.put(unsealed.hostKeyHash());
        }
        byte[] userData = Arrays.copyOf(block.userData(), userLen);
        byte[] measurement = AttestationMeasurement.compute(measKey, image.pld, image.ald, image.tld,
                image.headerTag, config.cuid, userData, nonce, add.array());
        if (!inGuest(config, measAddr, measLen)) {
            throw new UvError(Rc.ATT_MEAS_INACCESSIBLE);
        }
        if (neededAdd > 0 && !inGuest(config, addAddr, neededAdd)) {
            throw new UvError(Rc.ATT_ADD_INACCESSIBLE);
        }
        guest.write(measAddr, measurement, measLen);
        if (neededAdd > 0) {
            guest.write(addAddr, add.array(), neededAdd);
        }
        c.answer(block.withOutputs(config.cuid, neededAdd));
        return Rc.EXECUTED;
    }

    private record Unsealed(byte[] secret, byte[] hostKeyHash) {
    }

    private Unsealed unseal(byte[] arcb, int nks, int aadLen, int sea) {
        KeySlots.Unwrapped key;
        try {
            key = KeySlots.unwrap(state.keks, state.identity.hostKeys(), state.hostKeyHashes,
                    Arrays.copyOfRange(arcb, HEAD, HEAD + CPK), arcb,
                    HEAD + CPK, nks);
        } catch (KeySlots.UnwrapException e) {
            throw new UvError(Rc.ATT_UNSEAL);
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key.key(), "AES"),
                    new GCMParameterSpec(128, Arrays.copyOfRange(arcb, 0x10, 0x1c)));
            c.updateAAD(arcb, 0, aadLen);
            return new Unsealed(c.doFinal(arcb, aadLen, sea + 16), key.hostKeyHash());
        } catch (javax.crypto.AEADBadTagException e) {
            throw new UvError(Rc.ATT_UNSEAL);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    private static boolean inGuest(SecureConfig config, long addr, long len) {
        return addr >= 0 && len >= 0 && len <= config.msl && addr <= config.msl - len;
    }
}
