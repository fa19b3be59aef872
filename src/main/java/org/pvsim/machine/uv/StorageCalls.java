package org.pvsim.machine.uv;

import org.pvsim.machine.storage.Storage;
import org.pvsim.machine.uv.cb.ConvertFromSecure;
import org.pvsim.machine.uv.cb.ConvertToSecure;
import org.pvsim.machine.uv.cb.NoData;

/** Import, export, destroy, pin and unpin of pages, and unshare-all (reference kernel-pv §4). */
final class StorageCalls {
    private final UvState state;

    StorageCalls(UvState state) {
        this.state = state;
    }

    /**
     * CONV_TO_SEC_STOR: makes the guest page at gaddr secure. A page imported for the first time is
     * cleared; a page exported before is decrypted and its integrity checked. Checks: handle (0x20),
     * gaddr within the guest (0x101), mapped (0x10a), the frame free for this page (0x108),
     * integrity (0x104).
     */
    int importPage(Call c) {
        ConvertToSecure block = c.block(ConvertToSecure.class);
        SecureConfig config = state.config(block.guestHandle());
        long gaddr = block.gaddr() & ~Storage.PAGE_MASK;
        long frame = state.frameOf(config, gaddr);
        int tag = state.storage.tagOf(frame);
        Long current = config.gaddrToFrame.get(gaddr);
        if (current != null) {
            if (current == frame) {
                return Rc.EXECUTED; // already secure: another CPU imported it first
            }
            throw new UvError(Rc.PAGE_OWNED_ELSEWHERE); // the page lives in another frame: a remap attack
        }
        if (tag != 0 || !state.claim(config, frame)) {
            throw new UvError(Rc.PAGE_OWNED_ELSEWHERE);
        }
        PageSealer.Seal seal = config.exported.get(gaddr);
        if (seal != null) {
            byte[] plain = config.sealer.open(state.storage.rawFrameForRead(frame), gaddr, seal);
            if (plain == null) {
                state.storage.setTag(frame, 0); // the claim ends, the frame stays as the host left it
                throw new UvError(Rc.IMPORT_INTEGRITY);
            }
            System.arraycopy(plain, 0, state.storage.rawFrameForWrite(frame), 0, Storage.PAGE_SIZE);
            config.exported.remove(gaddr);
            state.own(config, frame, gaddr, seal.shared() ? Storage.STATE_SHARED : Storage.STATE_SECURE);
        } else {
            state.storage.rawClearFrame(frame);
            state.own(config, frame, gaddr, Storage.STATE_SECURE);
        }
        return Rc.EXECUTED;
    }

    /**
     * CONV_FROM_SEC_STOR: encrypts a secure (or shared) page in place and gives it to the host; the
     * UV keeps IV and tag. Checks: paddr in storage (0x101), not donated (0x108), secure (0x107).
     */
    int exportPage(Call c) {
        long frame = secureFrame(c.block(ConvertFromSecure.class).paddr(), false);
        int tag = state.storage.tagOf(frame);
        SecureConfig config = state.byDomain.get(tag >>> 2);
        long gaddr = config.frameToGaddr.get(frame);
        byte[] page = state.storage.rawFrameForWrite(frame);
        PageSealer.Seal seal = config.sealer.seal(page, gaddr, (tag & 3) == Storage.STATE_SHARED);
        config.exported.put(gaddr, seal);
        state.disown(config, frame);
        return Rc.EXECUTED;
    }

    /**
     * DESTR_SEC_STOR: clears a secure page and gives it to the host without encryption; refused (0x103)
     * while the page's configuration has secure CPUs. Destroying is for the pages of a guest that no
     * longer runs: KVM takes the CPUs out of PV first everywhere it destroys (DISABLE, ASYNC_CLEANUP_PREPARE,
     * the mmu notifier), and gmap_destroy_page expects the destroy to fail on a page a new guest has
     * imported meanwhile and then exports it. Without this refusal ASYNC_CLEANUP_PERFORM, which walks the
     * whole address space on its own thread after the reboot, wiped the pages the next protected boot of
     * the same VM had just unpacked (its lowcore and code), and the guest died in a program-interruption loop.
     */
    int destroyPage(Call c) {
        long frame = secureFrame(c.block(ConvertFromSecure.class).paddr(), true);
        SecureConfig config = state.byDomain.get(state.storage.tagOf(frame) >>> 2);
        if (!config.cpus.isEmpty()) {
            throw new UvError(Rc.DESTROY_CPUS_EXIST);
        }
        state.storage.rawClearFrame(frame);
        state.disown(config, frame);
        return Rc.EXECUTED;
    }

    /** PIN_PAGE_SHARED: the host may keep doing I/O on a page the guest shared. */
    int pinShared(Call c) {
        long frame = secureFrame(c.block(ConvertFromSecure.class).paddr(), false);
        int tag = state.storage.tagOf(frame);
        if ((tag & 3) != Storage.STATE_SHARED) {
            throw new UvError(Rc.PAGE_NOT_SHARED);
        }
        state.byDomain.get(tag >>> 2).pinned.add(frame);
        return Rc.EXECUTED;
    }

    /**
     * UNPIN_PAGE_SHARED: the host finished its I/O on a page the guest wants back; the page becomes
     * secure again (its content stays), so the guest's re-executed REMOVE_SHARED_ACCESS succeeds.
     */
    int unpinShared(Call c) {
        ConvertToSecure block = c.block(ConvertToSecure.class);
        SecureConfig config = state.config(block.guestHandle());
        long gaddr = block.gaddr() & ~Storage.PAGE_MASK;
        long frame = state.frameOf(config, gaddr);
        if (state.storage.tagOf(frame) != Storage.tag(config.domain, Storage.STATE_SHARED)) {
            throw new UvError(Rc.PAGE_NOT_SHARED);
        }
        config.pinned.remove(frame);
        state.storage.setTag(frame, Storage.tag(config.domain, Storage.STATE_SECURE));
        return Rc.EXECUTED;
    }

    /** SET_UNSHARE_ALL: every shared page of the configuration becomes secure (before a reboot). */
    int unshareAll(Call c) {
        SecureConfig config = state.config(c.block(NoData.class).handle());
        for (long frame : config.frameToGaddr.keySet()) {
            state.storage.setTag(frame, Storage.tag(config.domain, Storage.STATE_SECURE));
        }
        config.pinned.clear();
        return Rc.EXECUTED;
    }

    /** A configuration's secure or shared frame at host address paddr, after the checks. */
    private long secureFrame(long paddr, boolean destroy) {
        if (!state.inStorage(paddr, 1)) {
            throw new UvError(Rc.PADDR_INVALID);
        }
        long frame = paddr >>> Storage.PAGE_SHIFT;
        state.lockOwnerOf(frame);
        int frameState = state.storage.tagOf(frame) & 3;
        if (frameState == Storage.STATE_UV) {
            throw new UvError(Rc.PAGE_OWNED_ELSEWHERE);
        }
        if (frameState == Storage.STATE_HOST) {
            throw new UvError(Rc.PAGE_NOT_SECURE, destroy ? Rc.PAGE_NOT_SECURE_RRC : 0);
        }
        return frame;
    }
}
