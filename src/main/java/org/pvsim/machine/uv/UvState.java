package org.pvsim.machine.uv;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.pvsim.machine.storage.Storage;

/** Everything the Ultravisor knows. Package-private: reachable only through {@link Ultravisor#call}. */
final class UvState {
    static final long LOWCORE_END = 0x2000; // absolute lowcore: the first two pages
    static final long MIB = 1L << 20;

    final Storage storage;
    final UvParameters params;
    final MachineIdentity identity;
    /** The key-slot digests of {@code identity}'s host keys, in the same order (computed once). */
    final java.util.List<byte[]> hostKeyHashes;
    /** Handles, CUIDs, export keys. A DRBG in the JVM: the default NativePRNG reads /dev/urandom under a lock per call. */
    final SecureRandom random = drbg();
    /** KEKs of recent (host key, customer key) pairs: a simulator speed-up, see {@link KekCache}. */
    final KekCache keks = new KekCache();
    boolean initialized;
    long uvBaseOrigin;
    long uvBaseLen;
    final Map<Long, SecureConfig> configs = new LinkedHashMap<>();
    final Map<Integer, SecureConfig> byDomain = new HashMap<>();
    final Map<Long, SecureCpu> cpus = new LinkedHashMap<>();
    private int nextDomain = 1;

    UvState(Storage storage, UvParameters params, MachineIdentity identity) {
        this.storage = storage;
        this.params = params;
        this.identity = identity;
        this.hostKeyHashes = identity.hostKeys().stream().map(HostKey::hash).toList();
    }

    private static SecureRandom drbg() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (java.security.NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    SecureConfig config(long handle) {
        SecureConfig c = configs.get(handle);
        if (c == null) {
            throw new UvError(Rc.INV_GHANDLE);
        }
        return c;
    }

    SecureCpu cpu(long handle) {
        SecureCpu c = cpus.get(handle);
        if (c == null) {
            throw new UvError(Rc.INV_CHANDLE);
        }
        return c;
    }

    /** Whether [origin, origin+len) lies inside storage (unsigned arithmetic, no overflow). */
    boolean inStorage(long origin, long len) {
        return origin >= 0 && len >= 0 && origin < storage.size() && len <= storage.size() - origin;
    }

    static boolean overlaps(long aOrigin, long aLen, long bOrigin, long bLen) {
        return aLen > 0 && bLen > 0 && aOrigin < bOrigin + bLen && bOrigin < aOrigin + aLen;
    }

    /** Whether every frame of the (in-storage) range is plain host storage. */
    boolean allHost(long origin, long len) {
        for (long f = origin >>> Storage.PAGE_SHIFT; f < (origin + len + Storage.PAGE_MASK) >>> Storage.PAGE_SHIFT; f++) {
            if (storage.tagOf(f) != 0) {
                return false;
            }
        }
        return true;
    }

    /** Donated storage becomes UV-owned: host access gives 0x3d until it is given back. */
    void donate(long origin, long len, int owner) {
        for (long f = origin >>> Storage.PAGE_SHIFT; f < (origin + len + Storage.PAGE_MASK) >>> Storage.PAGE_SHIFT; f++) {
            storage.setTag(f, Storage.tag(owner, Storage.STATE_UV));
        }
    }

    /** Gives donated storage back to the host, cleared (the UV's data must not leak). */
    void reclaim(long origin, long len) {
        for (long f = origin >>> Storage.PAGE_SHIFT; f < (origin + len + Storage.PAGE_MASK) >>> Storage.PAGE_SHIFT; f++) {
            storage.rawClearFrame(f);
            storage.setTag(f, 0);
        }
    }

    long newHandle() {
        long h;
        do {
            h = random.nextLong();
        } while (h == 0 || configs.containsKey(h) || cpus.containsKey(h));
        return h;
    }

    int newDomain() {
        for (int i = 0; i < params.maxNumSecConf(); i++) {
            int d = nextDomain;
            nextDomain = nextDomain % params.maxNumSecConf() + 1;
            if (!byDomain.containsKey(d)) {
                return d;
            }
        }
        throw new UvError(Rc.CGC_TOO_MANY);
    }

    /** The frame backing gaddr, after the range (0x101) and mapping (0x10a) checks. */
    long frameOf(SecureConfig config, long gaddr) {
        if (Long.compareUnsigned(gaddr, config.msl) >= 0) {
            throw new UvError(Rc.ADDR_BEYOND_GUEST);
        }
        long h = translate(config, gaddr);
        if (h == GuestDat.NOT_MAPPED) {
            throw new UvError(Rc.NOT_MAPPED);
        }
        return h >>> Storage.PAGE_SHIFT;
    }

    /** Host absolute address of guest absolute {@code gaddr} (MSO applied, then the ASCE), or -1. */
    long translate(SecureConfig c, long gaddr) {
        if (gaddr < 0 || gaddr >= c.msl) {
            return GuestDat.NOT_MAPPED;
        }
        return GuestDat.translate(storage, c.asce, c.mso + gaddr);
    }

    /** Releases every secure and shared frame of the configuration: cleared, back to the host. */
    void releasePages(SecureConfig c) {
        for (long frame : c.frameToGaddr.keySet()) {
            storage.rawClearFrame(frame);
            storage.setTag(frame, 0);
        }
        c.frameToGaddr.clear();
        c.gaddrToFrame.clear();
        c.pinned.clear();
        c.exported.clear();
    }

    /** Makes {@code frame} a page of the configuration at guest address {@code gaddr}. */
    void own(SecureConfig c, long frame, long gaddr, int frameState) {
        storage.setTag(frame, Storage.tag(c.domain, frameState));
        c.frameToGaddr.put(frame, gaddr);
        c.gaddrToFrame.put(gaddr, frame);
    }

    /** Gives a configuration's frame back to the host (its bytes are whatever the caller left). */
    void disown(SecureConfig c, long frame) {
        Long gaddr = c.frameToGaddr.remove(frame);
        if (gaddr != null) {
            c.gaddrToFrame.remove(gaddr);
        }
        c.pinned.remove(frame);
        storage.setTag(frame, 0);
    }

    /** Total donated bytes the UV holds right now (INIT base, configurations, CPUs). */
    long donatedBytes() {
        long n = uvBaseLen;
        for (SecureConfig c : configs.values()) {
            n += pageAlign(c.baseLen) + pageAlign(c.varLen);
        }
        for (SecureCpu cpu : cpus.values()) {
            n += pageAlign(cpu.storLen);
        }
        return n;
    }

    static long pageAlign(long len) {
        return (len + Storage.PAGE_MASK) & ~Storage.PAGE_MASK;
    }
}
