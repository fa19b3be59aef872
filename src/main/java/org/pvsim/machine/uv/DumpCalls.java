package org.pvsim.machine.uv;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.pvsim.machine.storage.Storage;
import org.pvsim.machine.uv.cb.DumpComplete;
import org.pvsim.machine.uv.cb.DumpCpu;
import org.pvsim.machine.uv.cb.DumpStorState;
import org.pvsim.machine.uv.cb.NoData;

/**
 * Dump of a secure configuration, allowed only when the SE header's PCF bit 34 says so. The host
 * exports every page (it then holds ciphertext), and collects from the UV: the storage state of each
 * 1 MiB (per page: state, export IV and tag: integrity data, not secret), each CPU's state
 * (encrypted), and at completion the page-export key wrapped under the dump key. Only the image
 * owner, who knows the CCK, can unwrap it and decrypt the exported pages and CPU states.
 *
 * <p>Key derivation (pvsim's; IBM's is not public): dump key = the first 32 bytes of
 * HKDF-SHA512(IKM = CCK, salt = the SE header's GCM tag, info = "pvsim dump key v1" || CUID). All
 * dump data is AES-256-GCM with 12-byte IVs "DCPU"/"DFIN" || u64 counter and no AAD.
 *
 * <p>Layouts (big-endian): storage state: 256 entries of 32 bytes {u8 state (0 none, 1 secure,
 * 2 shared, 3 exported), 3 zero, IV 12, tag 16}. CPU: IV 12 || ciphertext || tag 16 in cpu_stor_len
 * bytes, plaintext {u16 num, u8 state, 5 zero, u64 PSW mask, u64 PSW address, u64 resets, zeros}.
 * Completion: "PVSIMDMP" || u32 version 1 || u32 0 || CUID 16 || IV 12 || wrapped export key 32 ||
 * tag 16, zero-padded to conf_dump_finalize_len.
 */
final class DumpCalls {
    static final int ENTRY = 32;
    private final UvState state;
    private final java.util.concurrent.atomic.AtomicLong counter = new java.util.concurrent.atomic.AtomicLong(); // calls on different configurations run at once

    DumpCalls(UvState state) {
        this.state = state;
    }

    /** DUMP_INIT: handle (0x20), verified and not dumping (0x3), PCF allows dumping (0x102). */
    int init(Call c) {
        SecureConfig config = state.config(c.block(NoData.class).handle());
        if (config.phase != SecureConfig.Phase.VERIFIED || config.dumping) {
            throw new UvError(Rc.INV_STATE);
        }
        if (!config.image.dumpAllowed() || config.secrets.dumpDisabled) { // PCF, or an add-secret request's flag
            throw new UvError(Rc.DUMP_NOT_ALLOWED);
        }
        config.dumping = true;
        return Rc.EXECUTED;
    }

    /** DUMP_CONF_STOR_STATE: handle, dumping (0x3), gaddr 1 MiB aligned in the guest and area in storage (0x103). */
    int storageState(Call c) {
        DumpStorState block = c.block(DumpStorState.class);
        SecureConfig config = dumping(block.configHandle());
        long area = block.dumpAreaOrigin();
        long gaddr = block.gaddr();
        long len = state.params.confDumpStorageStateLen();
        if ((gaddr & (UvState.MIB - 1)) != 0 || Long.compareUnsigned(gaddr, config.msl) >= 0) {
            throw new UvError(Rc.DUMP_BAD_ADDRESS);
        }
        checkArea(area, len);
        ByteBuffer out = ByteBuffer.allocate((int) len);
        for (int i = 0; i < 256; i++) {
            long g = gaddr + ((long) i << Storage.PAGE_SHIFT);
            Long frame = config.gaddrToFrame.get(g);
            PageSealer.Seal seal = config.exported.get(g);
            int s = 0;
            if (frame != null) {
                s = (state.storage.tagOf(frame) & 3) == Storage.STATE_SHARED ? 2 : 1;
            } else if (seal != null) {
                s = 3;
                out.put(i * ENTRY + 4, seal.iv()).put(i * ENTRY + 16, seal.tag());
            }
            out.put(i * ENTRY, (byte) s);
        }
        state.storage.write(area, out.array(), 0, (int) len, Storage.HOST);
        return Rc.EXECUTED;
    }

    /** DUMP_CPU: CPU handle (0x21), its configuration dumping (0x3), area in storage (0x103). */
    int cpu(Call c) {
        DumpCpu block = c.block(DumpCpu.class);
        SecureCpu cpu = state.cpu(block.cpuHandle());
        SecureConfig config = cpu.config;
        if (!config.dumping) {
            throw new UvError(Rc.INV_STATE);
        }
        long area = block.dumpAreaOrigin();
        int len = (int) state.params.cpuStorLen();
        checkArea(area, len);
        ByteBuffer plain = ByteBuffer.allocate(len - 12 - 16);
        plain.putShort((short) cpu.num).put((byte) cpu.state.ordinal()).position(8);
        plain.putLong(cpu.pswMask).putLong(cpu.pswAddress).putLong(cpu.resets);
        byte[] iv = iv("DCPU");
        byte[] sealed = gcm(dumpKey(config), iv, plain.array());
        byte[] out = ByteBuffer.allocate(len).put(iv).put(sealed).array();
        state.storage.write(area, out, 0, len, Storage.HOST);
        return Rc.EXECUTED;
    }

    /** DUMP_COMPLETE: handle (0x20), dumping (0x3), area (0x103); ends the dump. */
    int complete(Call c) {
        DumpComplete block = c.block(DumpComplete.class);
        SecureConfig config = dumping(block.configHandle());
        long area = block.dumpAreaOrigin();
        int len = (int) state.params.confDumpFinalizeLen();
        checkArea(area, len);
        byte[] iv = iv("DFIN");
        byte[] wrapped = gcm(dumpKey(config), iv, config.sealer.keyBytes());
        ByteBuffer out = ByteBuffer.allocate(len);
        out.put("PVSIMDMP".getBytes(StandardCharsets.US_ASCII)).putInt(1).putInt(0).put(config.cuid).put(iv)
                .put(wrapped);
        state.storage.write(area, out.array(), 0, len, Storage.HOST);
        config.dumping = false;
        return Rc.EXECUTED;
    }

    private SecureConfig dumping(long handle) {
        SecureConfig config = state.config(handle);
        if (!config.dumping) {
            throw new UvError(Rc.INV_STATE);
        }
        return config;
    }

    private void checkArea(long area, long len) {
        if (!state.inStorage(area, len)) {
            throw new UvError(Rc.DUMP_BAD_ADDRESS);
        }
        for (long f = area >>> Storage.PAGE_SHIFT; f <= (area + len - 1) >>> Storage.PAGE_SHIFT; f++) {
            if ((state.storage.tagOf(f) & 3) != Storage.STATE_HOST) {
                throw new UvError(Rc.DUMP_BAD_ADDRESS);
            }
        }
    }

    private byte[] iv(String tag) {
        return ByteBuffer.allocate(12).put(tag.getBytes(StandardCharsets.US_ASCII)).putLong(counter.incrementAndGet()).array();
    }

    /** The dump key of a configuration (see the class comment); public so that tests can check it. */
    static byte[] dumpKey(byte[] cck, byte[] headerTag, byte[] cuid) {
        try {
            Mac mac = Mac.getInstance("HmacSHA512");
            mac.init(new SecretKeySpec(headerTag, "HmacSHA512"));
            byte[] prk = mac.doFinal(cck);
            mac.init(new SecretKeySpec(prk, "HmacSHA512"));
            mac.update("pvsim dump key v1".getBytes(StandardCharsets.US_ASCII));
            mac.update(cuid);
            mac.update((byte) 1);
            return java.util.Arrays.copyOf(mac.doFinal(), 32);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] dumpKey(SecureConfig config) {
        return dumpKey(config.image.cck, config.image.headerTag, config.cuid);
    }

    private static byte[] gcm(byte[] key, byte[] iv, byte[] plain) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
            return c.doFinal(plain);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
