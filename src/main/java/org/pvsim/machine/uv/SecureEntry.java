package org.pvsim.machine.uv;

/**
 * The UV's answer when SIE enters a secure guest (format-4 state description): run it, or an
 * interception the host gets instead. Validity reason codes are pvsim's (the real VIR values are not
 * public): 0x2001 configuration handle, 0x2002 CPU handle (unknown or of another configuration),
 * 0x2003 ASCE not the configuration's, 0x2004 CPU not loaded or not operating (also after a guest
 * reboot until the reset sequence and operating-with-load), 0x2005 CPU already running on another
 * host CPU.
 */
public sealed interface SecureEntry {
    int VIR_CONFIG_HANDLE = 0x2001;
    int VIR_CPU_HANDLE = 0x2002;
    int VIR_ASCE = 0x2003;
    int VIR_NOT_RUNNABLE = 0x2004;
    int VIR_ALREADY_RUNNING = 0x2005;

    /** Run the guest CPU in {@code domain} from this PSW. */
    record Run(int domain, long pswMask, long pswAddress) implements SecureEntry {
    }

    /** Validity interception (code 0x20) with this reason. */
    record Validity(int reason) implements SecureEntry {
    }

    /** Interception 112: a prefix page is not secure; the host imports both and re-enters. */
    record PrefixNotSecure(long prefix) implements SecureEntry {
    }
}
