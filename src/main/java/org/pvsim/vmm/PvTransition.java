package org.pvsim.vmm;

import org.pvsim.kvm.KvmException;
import org.pvsim.kvm.KvmS390PvSecParm;
import org.pvsim.kvm.KvmS390PvUnp;
import org.pvsim.kvm.KvmUapi;
import org.pvsim.kvm.KvmVcpu;
import org.pvsim.se.Ipib;

/**
 * Entering and leaving protected mode as QEMU's s390_machine_protect / unprotect / s390_pv_prepare_reset
 * do it (target/s390x/kvm/pv.c, hw/s390x/s390-virtio-ccw.c), through KVM_S390_PV_COMMAND only.
 */
final class PvTransition {
    /** A PV command failed during the protected boot: which one, and the kernel's errno and UV rc/rrc. */
    static final class BootFailure extends Exception {
        final int pvCmd;
        final KvmException cause;

        BootFailure(int pvCmd, KvmException cause) {
            super(message(pvCmd, cause), null, false, false);
            this.pvCmd = pvCmd;
            this.cause = cause;
        }

        private static String message(int pvCmd, KvmException e) {
            String hint = pvCmd == KvmUapi.KVM_PV_SET_SEC_PARMS && e.rc() == 0x108
                    ? "; Please check whether the image is correctly encrypted for this host" : "";
            String what = pvCmd == KvmUapi.KVM_PV_SET_SEC_PARMS ? "Failed to set secure execution parameters: " : "";
            return String.format("Protected boot has failed: %sKVM PV command %d (%s) failed: header rc %x rrc %x "
                    + "IOCTL rc: %d (%s)%s", what, pvCmd, KvmUapi.pvCommandName(pvCmd), e.rc(), e.rrc(),
                    -e.errno().number(), e.errno(), hint);
        }

        /** QEMU's Diag308Response for R1+1: {pv_cmd, pv_rrc, pv_rc, 0x0a02}. */
        long diagResponse() {
            return (long) (pvCmd & 0xffff) << 48 | (long) (cause.rrc() & 0xffff) << 32
                    | (long) (cause.rc() & 0xffff) << 16 | Diag308.RC_INVAL_FOR_PV;
        }
    }

    private final GuestMachine m;
    private Thread asyncCleanup;

    PvTransition(GuestMachine m) {
        this.m = m;
    }

    /**
     * ENABLE, SET_SEC_PARMS with the SE header the IPIB points to, UNPACK of every component in IPIB
     * order, VERIFY. On a failure after ENABLE the VM is made unprotected again before the failure is
     * reported, as QEMU does.
     */
    void protect(Ipib ipib) throws BootFailure {
        run(KvmUapi.KVM_PV_ENABLE, null);
        try {
            byte[] header = m.readRam(ipib.headerAddress(), (int) ipib.headerSize()); // still plain guest memory
            long hdr = m.mm.put(header);
            try {
                run(KvmUapi.KVM_PV_SET_SEC_PARMS, new KvmS390PvSecParm(hdr, header.length).encode());
            } finally {
                m.mm.munmap(hdr);
            }
            for (Ipib.Component c : ipib.components()) {
                long size = (c.length() + 0xfff) & ~0xfffL; // TARGET_PAGE_ALIGN
                run(KvmUapi.KVM_PV_UNPACK, new KvmS390PvUnp(c.address(), size, c.tweakPrefix()).encode());
            }
            run(KvmUapi.KVM_PV_VERIFY, null);
        } catch (BootFailure | RuntimeException e) {
            unprotect();
            throw e;
        }
    }

    private void run(int cmd, byte[] arg) throws BootFailure {
        try {
            m.pv(cmd, arg);
        } catch (KvmException e) {
            throw new BootFailure(cmd, e);
        }
    }

    /**
     * s390_machine_unprotect: the asynchronous teardown when the kernel offers it and the guest is larger
     * than 2 GiB (ASYNC_CLEANUP_PREPARE now, PERFORM on a thread of its own), else DISABLE. QEMU exits when
     * this fails; so does the VMM (a {@link VmmException}).
     */
    void unprotect() {
        try {
            if (m.config.memory() > (2L << 30) && m.kvm.checkExtension(KvmUapi.KVM_CAP_S390_PROTECTED_ASYNC_DISABLE) != 0) {
                awaitAsyncCleanup();
                m.pv(KvmUapi.KVM_PV_ASYNC_CLEANUP_PREPARE, null);
                asyncCleanup = new Thread(() -> m.pv(KvmUapi.KVM_PV_ASYNC_CLEANUP_PERFORM, null), "async_cleanup");
                asyncCleanup.setDaemon(true);
                asyncCleanup.start();
            } else {
                m.pv(KvmUapi.KVM_PV_DISABLE, null);
            }
        } catch (KvmException e) {
            throw new VmmException(pvFailure(e), e);
        }
    }

    /** Waits for the last asynchronous teardown (before the VM closes, or before the next one). */
    void awaitAsyncCleanup() {
        Thread t = asyncCleanup;
        if (t != null) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            asyncCleanup = null;
        }
    }

    /**
     * s390_pv_prepare_reset, before a reset that keeps the guest protected (diag 308 subcodes 0 and 1):
     * every CPU stopped (unsharing needs that), then UNSHARE_ALL and PREP_RESET.
     */
    void prepareReset() {
        try {
            for (KvmVcpu v : m.vcpus) {
                m.setMpState(v, KvmUapi.KVM_MP_STATE_STOPPED);
            }
            m.pv(KvmUapi.KVM_PV_UNSHARE_ALL, null);
            m.pv(KvmUapi.KVM_PV_PREP_RESET, null);
        } catch (KvmException e) {
            throw new VmmException(pvFailure(e), e);
        }
    }

    /** QEMU's words for a failed PV ioctl. */
    static String pvFailure(KvmException e) {
        return String.format("%s failed: header rc %x rrc %x IOCTL rc: %d (%s)", e.command(), e.rc(), e.rrc(),
                -e.errno().number(), e.errno());
    }
}
