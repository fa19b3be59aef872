package org.pvsim.machine.uv;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.pvsim.machine.storage.Storage;

/**
 * Everything the Ultravisor knows. Package-private: reachable only through {@link Ultravisor#call}.
 *
 * <p>Locking (the UV runs calls of different configurations at once): {@link #global} guards the small
 * machine-wide part: INIT, the machine reset, and the middle of CREATE_SEC_CONF, whose checks read every
 * configuration (ASCE in use, too many) and which picks the access domain and enters the tables; each configuration's {@link SecureConfig#lock}
 * guards everything of that configuration (its pages, CPUs, image, secrets). A call takes the global lock
 * first, if at all, then at most one configuration's lock, never the other way round. DESTROY_SEC_CONF
 * and CREATE/DESTROY_SEC_CPU take only their configuration's lock: a destroy releases and clears its
 * frames first and leaves the tables last (as it did under the global lock), so a create that still sees
 * it in the tables has not seen its storage free, and its domain is not reused while frames carry it.
 * A host frame that nobody owns is claimed by an atomic change of its tag ({@link Storage#casTag}), so two
 * configurations (or a donation) racing for one frame cannot both get it; a handle is reserved atomically
 * in {@link #handles}. The tables are concurrent maps: looking up a handle needs no lock, using what it
 * names does.
 */
final class UvState {
    static final long LOWCORE_END = 0x2000; // absolute lowcore: the first two pages
    static final long MIB = 1L << 20;

    final Storage storage;
    final UvParameters params;
    final MachineIdentity identity;
    /** The key-slot digests of {@code identity}'s host keys, in the same order (computed once). */
    final java.util.List<byte[]> hostKeyHashes;
    /** Handles, CUIDs, export keys. */
    final UvRandom random = new UvRandom();
    /** KEKs of recent (host key, customer key) pairs: a simulator speed-up, see {@link KekCache}. */
    final KekCache keks = new KekCache();
    /**
     * The machine-wide lock: INIT, the tables below, donation and reclaim (see the class comment). A monitor,
     * not a ReentrantLock: its sections are a few microseconds, and a monitor spins briefly before it parks
     * a contending thread, which saves the sleep and wake-up of every contended hand-over.
     */
    final Object global = new Object();
    /** The configuration lock the current thread's UV call holds (released when the call ends). */
    private final ThreadLocal<SecureConfig[]> held = ThreadLocal.withInitial(() -> new SecureConfig[1]);
    volatile boolean initialized;
    long uvBaseOrigin;
    long uvBaseLen;
    /*
     * The tables are sized for many entries, as a map changes a bin to insert or remove, and the bins of a small
     * table share a few cache lines, over which two threads creating and destroying configurations fought.
     */
    final Map<Long, SecureConfig> configs = new ConcurrentHashMap<>(TABLE_SIZE);
    final Map<Integer, SecureConfig> byDomain = new ConcurrentHashMap<>(TABLE_SIZE);
    final Map<Long, SecureCpu> cpus = new ConcurrentHashMap<>(TABLE_SIZE);
    /** Every configuration and CPU handle in use or being created: one namespace, reserved atomically. */
    private final java.util.Set<Long> handles = ConcurrentHashMap.newKeySet(TABLE_SIZE);
    /** The ASCE origins of the configurations in {@link #configs}: CREATE_SEC_CONF's check looks one up. */
    private final java.util.Set<Long> asceOrigins = ConcurrentHashMap.newKeySet(TABLE_SIZE);
    private static final int TABLE_SIZE = 1024;
    private int nextDomain = 1;
    /**
     * How far {@link #newDomain} moves on: domains in a row are neighbouring bins of {@link #byDomain}, on one
     * cache line; 37 apart (coprime to the maximum, so that every domain is still tried) they are not.
     */
    private final int domainStride;

    UvState(Storage storage, UvParameters params, MachineIdentity identity) {
        this.storage = storage;
        this.params = params;
        this.identity = identity;
        this.hostKeyHashes = identity.hostKeys().stream().map(HostKey::hash).toList();
        int stride = 37;
        while (java.math.BigInteger.valueOf(stride).gcd(java.math.BigInteger.valueOf(params.maxNumSecConf())).intValue() != 1) {
            stride += 2;
        }
        this.domainStride = stride;
    }

    /** The configuration with this handle, locked for the rest of the call. */
    SecureConfig config(long handle) {
        SecureConfig c = configs.get(handle);
        if (c == null || !lockForCall(c) || configs.get(handle) != c) {
            throw new UvError(Rc.INV_GHANDLE);
        }
        return c;
    }

    /** The secure CPU with this handle, its configuration locked for the rest of the call. */
    SecureCpu cpu(long handle) {
        SecureCpu c = cpus.get(handle);
        if (c == null || !lockForCall(c.config) || cpus.get(handle) != c) {
            throw new UvError(Rc.INV_CHANDLE);
        }
        return c;
    }

    /** The configuration of a guest's access domain, locked for the rest of the call. */
    SecureConfig configOfDomain(int domain) {
        SecureConfig c = byDomain.get(domain);
        if (c == null || !lockForCall(c) || byDomain.get(domain) != c) {
            throw new IllegalArgumentException("UVC from domain " + domain + ": no secure configuration has it");
        }
        return c;
    }

    /**
     * Locks the configuration that owns {@code frame} (per its tag) for the rest of the call, so that the tag
     * cannot change under the caller (a frame with owner 0, host or the UV's own, needs no lock). A tag that
     * changes while the lock is being taken is read again.
     */
    void lockOwnerOf(long frame) {
        while (true) {
            int owner = storage.tagOf(frame) >>> 2;
            SecureConfig c = owner == 0 ? null : byDomain.get(owner);
            if (c == null) {
                if (storage.tagOf(frame) >>> 2 == owner) {
                    return; // owner 0, or a configuration whose removal is still releasing its frames
                }
                continue;
            }
            lockForCall(c);
            if (storage.tagOf(frame) >>> 2 == owner && byDomain.get(owner) == c) {
                return;
            }
            releaseCallLock();
        }
    }

    /** Takes {@code c}'s lock until {@link #releaseCallLock}; a call holds at most one configuration. */
    private boolean lockForCall(SecureConfig c) {
        SecureConfig[] h = held.get();
        if (h[0] == c) {
            return true;
        }
        if (h[0] != null) {
            throw new IllegalStateException("one UV call touched two secure configurations");
        }
        c.lock.lock();
        h[0] = c;
        return true;
    }

    /** Ends the call's hold on its configuration, if it took one. */
    void releaseCallLock() {
        SecureConfig[] h = held.get();
        if (h[0] != null) {
            h[0].lock.unlock();
            h[0] = null;
        }
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
        for (long f = firstFrame(origin); f < endFrame(origin, len); f++) {
            if (storage.tagOf(f) != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Donated storage becomes UV-owned: host access gives 0x3d until it is given back. Each frame is claimed
     * from the host atomically; false (and nothing donated) if one was taken meanwhile by a configuration's
     * import, which does not take the global lock.
     */
    boolean donate(long origin, long len, int owner) {
        return storage.claimFrames(firstFrame(origin), endFrame(origin, len), Storage.tag(owner, Storage.STATE_UV));
    }

    /** Undoes a whole {@link #donate} that succeeded, for a call that fails after it. */
    void undonate(long origin, long len) {
        storage.setTags(firstFrame(origin), endFrame(origin, len), 0);
    }

    /** Gives donated storage back to the host, cleared (the UV's data must not leak). */
    void reclaim(long origin, long len) {
        storage.clearAndRelease(firstFrame(origin), endFrame(origin, len));
    }

    private static long firstFrame(long origin) {
        return origin >>> Storage.PAGE_SHIFT;
    }

    /** The frame after the last one [origin, origin+len) touches. */
    private static long endFrame(long origin, long len) {
        return (origin + len + Storage.PAGE_MASK) >>> Storage.PAGE_SHIFT;
    }

    /**
     * {@code candidate} (drawn before any lock) if no configuration or CPU has it, else a fresh one; reserved
     * until {@link #releaseHandle}, so that creates on two configurations cannot pick the same.
     */
    long newHandle(long candidate) {
        long h = candidate;
        while (h == 0 || !handles.add(h)) {
            h = random.nextLong();
        }
        return h;
    }

    /** The handle of a configuration or CPU that is gone (or whose create failed) may be drawn again. */
    void releaseHandle(long handle) {
        handles.remove(handle);
    }

    /** Whether a configuration in the tables has {@code asce}'s origin. */
    boolean asceInUse(long asce) {
        return asceOrigins.contains(asceOrigin(asce));
    }

    private static long asceOrigin(long asce) {
        return asce & GuestDat.ASCE_ORIGIN_MASK;
    }

    /** Enters a configuration just created in the tables (under the global lock). */
    void addConfig(SecureConfig c) {
        configs.put(c.handle, c);
        asceOrigins.add(asceOrigin(c.asce));
        byDomain.put(c.domain, c);
    }

    /**
     * Takes a configuration being destroyed out of the handle and ASCE tables (under its lock); its domain
     * stays in {@link #byDomain} until its frames are released, as the storage calls find a frame's
     * configuration by it.
     */
    void removeConfig(SecureConfig c) {
        configs.remove(c.handle);
        asceOrigins.remove(asceOrigin(c.asce));
    }

    /** Forgets every configuration, CPU and handle (the machine reset, under the global lock). */
    void clearTables() {
        configs.clear();
        asceOrigins.clear();
        byDomain.clear();
        cpus.clear();
        handles.clear();
    }

    int newDomain() {
        for (int i = 0; i < params.maxNumSecConf(); i++) {
            int d = nextDomain;
            nextDomain = (nextDomain - 1 + domainStride) % params.maxNumSecConf() + 1;
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

    /**
     * Claims a host frame for the configuration's page being made secure: until {@link #own} the frame's
     * tag names the configuration with the host state, so other configurations, donations and by-address
     * calls keep off it (they see it in use, or wait for the configuration's lock), while the guest's
     * own accesses still see a page to import (0x3e) and the host sees what it saw before. False if the
     * frame is not the host's.
     */
    boolean claim(SecureConfig c, long frame) {
        return storage.casTag(frame, 0, Storage.tag(c.domain, Storage.STATE_HOST));
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
