package org.pvsim.machine.uv;

import org.pvsim.se.PagePipeline;

/**
 * What the UV keeps of a configuration's SE header after SET_SEC_CONF_PARAMS: the expected digests,
 * the secrets, and the running digests of the pages unpacked so far.
 */
final class ImageState {
    final byte[] pld;
    final byte[] ald;
    final byte[] tld;
    final byte[] headerTag;
    final long nep;
    final long pcf;
    final long scf;
    final byte[] cck;
    final byte[] xtsKey;
    final long pswMask;
    final long pswAddress;
    /** The hash of the host key that unwrapped the header (attestation's image PHKH). */
    final byte[] hostKeyHash;
    /** The running digests of the pages unpacked so far. */
    final PagePipeline pages = PagePipeline.pageByPage("uv-pld", ImageState::pldOnSecondThread);

    ImageState(byte[] pld, byte[] ald, byte[] tld, byte[] headerTag, long nep, long pcf, long scf, byte[] cck,
            byte[] xtsKey, long pswMask, long pswAddress, byte[] hostKeyHash) {
        this.pld = pld;
        this.ald = ald;
        this.tld = tld;
        this.headerTag = headerTag;
        this.nep = nep;
        this.pcf = pcf;
        this.scf = scf;
        this.cck = cck;
        this.xtsKey = xtsKey;
        this.pswMask = pswMask;
        this.pswAddress = pswAddress;
        this.hostKeyHash = hostKeyHash;
    }

    static final long PCF_ALLOW_DUMP = HostCalls.bit(34);
    static final long PCF_NO_DECRYPTION = HostCalls.bit(35);

    boolean dumpAllowed() {
        return (pcf & PCF_ALLOW_DUMP) != 0;
    }

    /**
     * A second thread for the PLD only pays when a CPU is free for it: with {@code -Dpvsim.uv.pldThread=true}
     * or {@code false} the caller decides (the benchmark measures both); otherwise it is used when the host
     * has more than one CPU and the system load leaves one idle. On a busy host everything stays on the
     * calling CPU's thread.
     */
    static boolean pldOnSecondThread() {
        String forced = System.getProperty("pvsim.uv.pldThread");
        if (forced != null) {
            return Boolean.parseBoolean(forced);
        }
        int cpus = Runtime.getRuntime().availableProcessors();
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return cpus > 1 && load >= 0 && load <= cpus - 1;
    }

    boolean decrypts() {
        return (pcf & PCF_NO_DECRYPTION) == 0;
    }
}
