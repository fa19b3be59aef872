package org.pvsim.machine.uv;

import org.pvsim.machine.ProgramInterruption;
import org.pvsim.machine.storage.Storage;
import org.pvsim.machine.uv.cb.Share;

/** Calls a secure guest issues: share, unshare, attestation. */
final class GuestCalls {
    /** Attestation flags the UV supports (MSB-0): 1 nonce, 2 image PHKH, 3 attestation PHKH. */
    static final long SUPPORTED_PAF = HostCalls.bit(1) | HostCalls.bit(2) | HostCalls.bit(3);

    private final UvState state;
    private final Attestation attestation;

    GuestCalls(UvState state) {
        this.state = state;
        this.attestation = new Attestation(state);
    }

    /**
     * SET_SHARED_ACCESS: the guest makes one of its secure pages host-accessible. A page beyond the
     * guest's storage answers 0x101 (kvm-unit-tests uv-guest). A page the host has not mapped or
     * not imported yet raises the exception the host resolves (page translation, 0x3e), after
     * which the guest re-executes the call.
     */
    int share(Call c) {
        SecureConfig config = state.configOfDomain(c.domain);
        long frame = guestFrame(config, c.block(Share.class).paddr());
        int tag = state.storage.tagOf(frame);
        if (tag == Storage.tag(config.domain, Storage.STATE_SECURE)) {
            state.storage.setTag(frame, Storage.tag(config.domain, Storage.STATE_SHARED));
        }
        return Rc.EXECUTED;
    }

    /** REMOVE_SHARED_ACCESS: a shared page becomes secure again; a pinned one needs the host first. */
    int unshare(Call c) {
        SecureConfig config = state.configOfDomain(c.domain);
        long frame = guestFrame(config, c.block(Share.class).paddr());
        if (config.pinned.contains(frame)) {
            throw new UvInterception(c.bytes());
        }
        state.storage.setTag(frame, Storage.tag(config.domain, Storage.STATE_SECURE));
        return Rc.EXECUTED;
    }

    int attest(Call c) {
        return attestation.retrieve(c, state.configOfDomain(c.domain));
    }

    private long guestFrame(SecureConfig config, long paddr) {
        long gaddr = paddr & ~Storage.PAGE_MASK;
        if (Long.compareUnsigned(gaddr, config.msl) >= 0) {
            throw new UvError(Rc.SHARE_BAD_ADDRESS);
        }
        long h = state.translate(config, gaddr);
        if (h == GuestDat.NOT_MAPPED) {
            throw new ProgramInterruption(BlockAccess.PAGE_TRANSLATION, gaddr);
        }
        long frame = h >>> Storage.PAGE_SHIFT;
        state.storage.checkAccess(frame, config.domain, gaddr); // 0x3e until imported, 0x3f if not ours
        return frame;
    }
}
