package org.pvsim.machine.uv;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.pvsim.se.HostKeys;
import org.pvsim.se.P521;

/**
 * The customer side of attestation for tests: an attestation request control block (ARCB v1) sealed
 * for the given host keys, as pvattest builds it (reference se-image-format §6, layout of
 * kvm-unit-tests pv-attest.c).
 */
record Arcb(byte[] bytes, byte[] measurementKey, byte[] nonce) {
    static final long PAF_NONCE = 1L << 62;
    static final long PAF_IMAGE_PHKH = 1L << 61;
    static final long PAF_ATTEST_PHKH = 1L << 60;

    static Arcb seal(List<ECPublicKey> hostKeys, long paf) {
        SecureRandom rnd = new SecureRandom();
        byte[] measKey = new byte[64];
        rnd.nextBytes(measKey);
        byte[] nonce = null;
        if ((paf & PAF_NONCE) != 0) {
            nonce = new byte[16];
            rnd.nextBytes(nonce);
        }
        int nks = hostKeys.size();
        int sea = 64 + (nonce != null ? 16 : 0);
        int aad = 0x40 + 160 + 80 * nks;
        ByteBuffer b = ByteBuffer.allocate(aad + sea + 16);
        byte[] iv = new byte[12];
        rnd.nextBytes(iv);
        b.putInt(8, 0x100).putInt(0xc, b.capacity()).put(0x10, iv).put(0x27, (byte) nks).putInt(0x2c, sea)
                .putLong(0x30, paf).putInt(0x38, 1);
        KeyPair customer = P521.generate(rnd);
        b.put(0x40, P521.encodePublicKey((ECPublicKey) customer.getPublic()));
        byte[] reqKey = new byte[32];
        rnd.nextBytes(reqKey);
        for (int i = 0; i < nks; i++) {
            byte[] kek = P521.kek((ECPrivateKey) customer.getPrivate(), hostKeys.get(i));
            byte[] wrapped = gcm(kek, new byte[12], new byte[0], reqKey);
            b.put(0xe0 + 80 * i, HostKeys.hostKeyHash(hostKeys.get(i))).put(0xe0 + 80 * i + 32, wrapped);
        }
        byte[] plain = ByteBuffer.allocate(sea).put(measKey).put(nonce != null ? nonce : new byte[0]).array();
        byte[] head = java.util.Arrays.copyOf(b.array(), aad);
        b.put(aad, gcm(reqKey, iv, head, plain));
        return new Arcb(b.array(), measKey, nonce);
    }

    Arcb with(int off, long value, int width) {
        byte[] c = bytes.clone();
        ByteBuffer bb = ByteBuffer.wrap(c);
        switch (width) {
            case 1 -> bb.put(off, (byte) value);
            case 4 -> bb.putInt(off, (int) value);
            default -> bb.putLong(off, value);
        }
        return new Arcb(c, measurementKey, nonce);
    }

    private static byte[] gcm(byte[] key, byte[] iv, byte[] aad, byte[] plain) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
            c.updateAAD(aad);
            return c.doFinal(plain);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
