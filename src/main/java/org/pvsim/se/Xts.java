package org.pvsim.se;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-XTS (IEEE 1619) on the JDK's AES, one 4096-byte page per data unit as SE images use it
 * (reference §2.2). The JDK has no XTS mode, so this computes the tweak sequence for a whole data unit,
 * lets a single ECB call encrypt all blocks (the JDK's AES intrinsics then run on the whole buffer) and
 * xors the tweaks in and out. No ciphertext stealing: SE data units are whole blocks.
 *
 * <p>Not thread-safe: it owns its ciphers and scratch buffers (no allocation per page). Use one per thread.
 */
public final class Xts {
    public static final int PAGE_SIZE = 4096;
    private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final Cipher dataEncrypt;
    private final Cipher dataDecrypt;
    private final Cipher tweakEncrypt;
    private final byte[] tweakBlock = new byte[16];
    private final byte[] masks = new byte[PAGE_SIZE];
    private final byte[] work = new byte[PAGE_SIZE];
    /** Separate from {@link #work}: the JDK copies the input when a cipher works in place. */
    private final byte[] crypted = new byte[PAGE_SIZE];

    /** key64 = key1 (data) ‖ key2 (tweak), 32 bytes each. */
    public Xts(byte[] key64) {
        if (key64.length != 64) {
            throw new IllegalArgumentException("AES-256-XTS key must be 64 bytes, got " + key64.length);
        }
        try {
            SecretKeySpec k1 = new SecretKeySpec(key64, 0, 32, "AES");
            SecretKeySpec k2 = new SecretKeySpec(key64, 32, 32, "AES");
            dataEncrypt = Cipher.getInstance("AES/ECB/NoPadding");
            dataEncrypt.init(Cipher.ENCRYPT_MODE, k1);
            dataDecrypt = Cipher.getInstance("AES/ECB/NoPadding");
            dataDecrypt.init(Cipher.DECRYPT_MODE, k1);
            tweakEncrypt = Cipher.getInstance("AES/ECB/NoPadding");
            tweakEncrypt.init(Cipher.ENCRYPT_MODE, k2);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES is not available", e);
        }
    }

    /** Encrypts one 4096-byte page; src and dst may be the same range. */
    public void encryptPage(byte[] src, int srcOff, byte[] dst, int dstOff, byte[] tweak16) {
        process(dataEncrypt, src, srcOff, dst, dstOff, PAGE_SIZE, tweak16);
    }

    /** Decrypts one 4096-byte page; src and dst may be the same range. */
    public void decryptPage(byte[] src, int srcOff, byte[] dst, int dstOff, byte[] tweak16) {
        process(dataDecrypt, src, srcOff, dst, dstOff, PAGE_SIZE, tweak16);
    }

    /** Encrypts one data unit of any whole number of blocks up to 4096 bytes. */
    public void encrypt(byte[] src, int srcOff, byte[] dst, int dstOff, int len, byte[] tweak16) {
        process(dataEncrypt, src, srcOff, dst, dstOff, len, tweak16);
    }

    /** Decrypts one data unit of any whole number of blocks up to 4096 bytes. */
    public void decrypt(byte[] src, int srcOff, byte[] dst, int dstOff, int len, byte[] tweak16) {
        process(dataDecrypt, src, srcOff, dst, dstOff, len, tweak16);
    }

    private void process(Cipher data, byte[] src, int srcOff, byte[] dst, int dstOff, int len, byte[] tweak16) {
        if (len <= 0 || len % 16 != 0 || len > PAGE_SIZE) {
            throw new IllegalArgumentException("XTS data unit must be 16 to 4096 bytes in whole blocks, got " + len);
        }
        if (tweak16.length != 16) {
            throw new IllegalArgumentException("XTS tweak must be 16 bytes, got " + tweak16.length);
        }
        try {
            tweakEncrypt.update(tweak16, 0, 16, tweakBlock, 0);
            // T_j = E_k2(tweak) · α^j in GF(2^128), with the block read as a little-endian number.
            long lo = (long) LE_LONG.get(tweakBlock, 0);
            long hi = (long) LE_LONG.get(tweakBlock, 8);
            for (int i = 0; i < len; i += 16) {
                LE_LONG.set(masks, i, lo);
                LE_LONG.set(masks, i + 8, hi);
                LE_LONG.set(work, i, lo ^ (long) LE_LONG.get(src, srcOff + i));
                LE_LONG.set(work, i + 8, hi ^ (long) LE_LONG.get(src, srcOff + i + 8));
                long carry = hi >> 63; // all ones when the top bit falls out
                hi = (hi << 1) | (lo >>> 63);
                lo = (lo << 1) ^ (carry & 0x87);
            }
            data.update(work, 0, len, crypted, 0);
            for (int i = 0; i < len; i += 8) {
                LE_LONG.set(dst, dstOff + i, (long) LE_LONG.get(crypted, i) ^ (long) LE_LONG.get(masks, i));
            }
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
