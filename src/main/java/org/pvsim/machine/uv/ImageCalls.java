package org.pvsim.machine.uv;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import org.pvsim.machine.storage.Storage;
import org.pvsim.machine.uv.cb.NoData;
import org.pvsim.machine.uv.cb.SetSecConfParams;
import org.pvsim.machine.uv.cb.Unpack;

/** SET_SEC_CONF_PARAMS, UNPACK_IMG, VERIFY_IMG: how an encrypted SE image becomes a secure guest. */
final class ImageCalls {
    private final UvState state;
    private final SeSupport se;

    ImageCalls(UvState state, SeSupport se) {
        this.state = state;
        this.se = se;
    }

    /**
     * Checks: handle (0x20), configuration has no header yet (0x3), a length a header can have
     * (0x10a/0x31), header readable host storage (0x103), then the header checks of {@link SeSupport#open} in the order stage3a.c's codes list.
     */
    int setParams(Call c) {
        SetSecConfParams block = c.block(SetSecConfParams.class);
        SecureConfig config = state.config(block.guestHandle());
        if (config.phase != SecureConfig.Phase.CREATED) {
            throw new UvError(Rc.INV_STATE);
        }
        long origin = block.secHeaderOrigin();
        long len = Integer.toUnsignedLong(block.secHeaderLen());
        if (len < org.pvsim.se.SeHeader.HEAD_SIZE || len > org.pvsim.se.SeHeader.MAX_SIZE) {
            throw new UvError(Rc.SSC_HDR_CORRUPT, Rc.SSC_HDR_LEN_MISMATCH_RRC);
        }
        if (!state.inStorage(origin, len) || !hostReadable(origin, len)) {
            throw new UvError(Rc.SSC_HDR_INACCESSIBLE);
        }
        byte[] header = state.storage.read(origin, (int) len, Storage.HOST);
        config.image = se.open(header, state.identity.hostKeys(), state.hostKeyHashes);
        config.phase = SecureConfig.Phase.PARAMS_SET;
        return Rc.EXECUTED;
    }

    /**
     * Decrypts the (host-written, encrypted) page at gaddr in place with tweak = prefix || offset,
     * feeds the digests and makes the page secure. Checks: handle (0x20), header set and not verified
     * (0x3), gaddr within the guest (0x101), mapped (0x10a), page not secure yet (0x107 / 0x108).
     */
    int unpack(Call c) {
        Unpack block = c.block(Unpack.class);
        SecureConfig config = state.config(block.guestHandle());
        if (config.phase != SecureConfig.Phase.PARAMS_SET) {
            throw new UvError(Rc.INV_STATE);
        }
        long gaddr = block.gaddr() & ~Storage.PAGE_MASK;
        long frame = state.frameOf(config, gaddr);
        if (config.gaddrToFrame.containsKey(gaddr)) {
            throw new UvError(Rc.UNPACK_PAGE_SECURE);
        }
        if (state.storage.tagOf(frame) != 0 || !state.claim(config, frame)) {
            throw new UvError(Rc.PAGE_OWNED_ELSEWHERE);
        }
        byte[] tweak = ByteBuffer.allocate(16).putLong(block.tweak0()).putLong(block.tweak1()).array();
        ImageState image = config.image;
        byte[] page = state.storage.rawFrameForWrite(frame);
        image.pages.add(gaddr, tweak, page, 0);
        if (image.decrypts()) {
            se.decryptPage(image, page, tweak);
        }
        state.own(config, frame, gaddr, Storage.STATE_SECURE);
        return Rc.EXECUTED;
    }

    /**
     * Compares what was unpacked with the header: page count first (rrc 0x1d), then ALD (0x1a), PLD
     * (0x1b), TLD (0x1c), all with rc 0x102. Success lets CPUs be loaded.
     */
    int verify(Call c) {
        SecureConfig config = state.config(c.block(NoData.class).handle());
        if (config.phase != SecureConfig.Phase.PARAMS_SET) {
            throw new UvError(Rc.INV_STATE);
        }
        ImageState image = config.image;
        org.pvsim.se.PagePipeline.Digests d = image.pages.digests();
        if (d.pages() != image.nep) {
            throw new UvError(Rc.UNPACK_VERIFY_MISMATCH, Rc.NUM_ENC_PAGES_MISMATCH);
        }
        if (!MessageDigest.isEqual(d.ald(), image.ald)) {
            throw new UvError(Rc.UNPACK_VERIFY_MISMATCH, Rc.ALD_MISMATCH);
        }
        if (!MessageDigest.isEqual(d.pld(), image.pld)) {
            throw new UvError(Rc.UNPACK_VERIFY_MISMATCH, Rc.PLD_MISMATCH);
        }
        if (!MessageDigest.isEqual(d.tld(), image.tld)) {
            throw new UvError(Rc.UNPACK_VERIFY_MISMATCH, Rc.TLD_MISMATCH);
        }
        config.phase = SecureConfig.Phase.VERIFIED;
        return Rc.EXECUTED;
    }

    private boolean hostReadable(long origin, long len) {
        for (long f = origin >>> Storage.PAGE_SHIFT; f <= (origin + len - 1) >>> Storage.PAGE_SHIFT; f++) {
            int s = state.storage.tagOf(f) & 3;
            if (s != Storage.STATE_HOST && s != Storage.STATE_SHARED) {
                return false;
            }
        }
        return true;
    }
}
