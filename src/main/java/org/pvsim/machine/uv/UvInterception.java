package org.pvsim.machine.uv;

/**
 * A guest's UV call the UV cannot finish without the host: the CPU nullifies the guest's UVC and
 * leaves SIE with this interception (code 108, notification, ipa 0xb9a4) and the UVCB in the SIDA.
 * Today only REMOVE_SHARED_ACCESS of a page the host pinned does this (reference kernel-pv §4.5): the
 * host unpins with UNPIN_PAGE_SHARED and re-enters SIE, the guest re-executes its UVC.
 */
public final class UvInterception extends RuntimeException {
    public static final int ICPT_PV_NOTIFICATION = 108;
    public static final int IPA_UVC = 0xb9a4;

    private final byte[] sida;

    UvInterception(byte[] uvcb) {
        super("UVC needs the host: notification interception 108, ipa 0xb9a4", null, false, false);
        this.sida = uvcb.clone();
    }

    public int code() {
        return ICPT_PV_NOTIFICATION;
    }

    public int ipa() {
        return IPA_UVC;
    }

    /** The guest's UVCB, as the SIDA shows it to the host. */
    public byte[] sida() {
        return sida.clone();
    }
}
