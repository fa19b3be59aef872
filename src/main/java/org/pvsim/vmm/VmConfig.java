package org.pvsim.vmm;

/**
 * What {@code pvsim run} was asked for, in QEMU's terms.
 *
 * @param memory          guest memory in bytes ({@code -m}), a multiple of 1 MiB
 * @param cpus            vCPUs ({@code -smp})
 * @param confidential    {@code confidential-guest-support} is set: the guest may turn itself protected
 * @param append          kernel command line ({@code -append}) for a Linux-shaped kernel, or null
 * @param maxExits        exits to user space before the VMM gives up (a guard against a guest that never stops)
 * @param maxReboots      reboots the guest may ask for; the next request shuts it down instead (QEMU's
 *                        {@code -no-reboot} is 0); negative: no limit
 */
public record VmConfig(long memory, int cpus, boolean confidential, String append, long maxExits, int maxReboots) {
    public static final long MIB = 1L << 20;

    public VmConfig(long memory, int cpus, boolean confidential, String append, long maxExits) {
        this(memory, cpus, confidential, append, maxExits, -1);
    }

    public VmConfig {
        if (memory < MIB || (memory & (MIB - 1)) != 0) {
            throw new IllegalArgumentException("-m: guest memory must be a whole number of MiB, at least 1 MiB");
        }
        if (cpus < 1 || cpus > 248) {
            throw new IllegalArgumentException("-smp: 1 to 248 CPUs, not " + cpus);
        }
    }

    public static VmConfig of(long memory, int cpus, boolean confidential, String append) {
        return new VmConfig(memory, cpus, confidential, append, 10_000_000);
    }

    /** The same, with at most {@code n} reboots. */
    public VmConfig withMaxReboots(int n) {
        return new VmConfig(memory, cpus, confidential, append, maxExits, n);
    }
}
