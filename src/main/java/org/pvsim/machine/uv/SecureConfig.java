package org.pvsim.machine.uv;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** A secure configuration: everything the UV knows about one protected guest. Never leaves the UV. */
final class SecureConfig {
    enum Phase {
        /** Created, no SE header yet. */
        CREATED,
        /** SE header accepted; image pages may be unpacked. */
        PARAMS_SET,
        /** VERIFY_IMG succeeded: CPUs may be loaded and run. */
        VERIFIED
    }

    /** Guards every field that changes (see {@link UvState}'s locking comment). */
    final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
    final long handle;
    /** The owner id used in storage frame tags and as access domain. */
    final int domain;
    final byte[] cuid;
    final long baseOrigin;
    final long baseLen;
    final long varOrigin;
    final long varLen;
    final long mso;
    final long msl;
    final long sca;
    final long asce;
    Phase phase = Phase.CREATED;
    ImageState image;
    final Set<Long> cpus = new LinkedHashSet<>();
    /** Secure or shared frames of this configuration → the guest absolute address they hold. */
    final Map<Long, Long> frameToGaddr = new HashMap<>();
    /** The reverse: guest page address → its secure or shared frame. */
    final PageMap<Long> gaddrToFrame = new PageMap<>();
    /** Shared frames the host has pinned (PIN_PAGE_SHARED). */
    final Set<Long> pinned = new LinkedHashSet<>();
    /** Exported pages: guest address → the integrity data the UV keeps for the next import. */
    final PageMap<PageSealer.Seal> exported = new PageMap<>();
    final PageSealer sealer;
    /** The secrets added through ADD_SECRET. */
    final SecretStore secrets = new SecretStore();
    boolean resetPrepared;
    boolean dumping;

    SecureConfig(long handle, int domain, byte[] cuid, long baseOrigin, long baseLen, long varOrigin, long varLen,
            long mso, long msl, long sca, long asce, PageSealer sealer) {
        this.handle = handle;
        this.domain = domain;
        this.cuid = cuid;
        this.baseOrigin = baseOrigin;
        this.baseLen = baseLen;
        this.varOrigin = varOrigin;
        this.varLen = varLen;
        this.mso = mso;
        this.msl = msl;
        this.sca = sca;
        this.asce = asce;
        this.sealer = sealer;
    }
}
