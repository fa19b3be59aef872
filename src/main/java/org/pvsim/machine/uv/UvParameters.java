package org.pvsim.machine.uv;

/**
 * The limits and storage needs this Ultravisor reports in QUI. Values are in the range real machines
 * report (kvm-unit-tests requires the INIT storage above 2 GiB, 1 MiB aligned; the config base 16 KiB
 * aligned); none is architected.
 */
public record UvParameters(long uvBaseStorLen, long confBasePhysStorLen, long confBaseVirtStorLen,
        long confVirtVarStorLen, long cpuStorLen, int maxNumSecConf, long maxGuestStorAddr, int maxGuestCpuId,
        long confDumpStorageStateLen, long confDumpFinalizeLen) {
    /** Association and retrievable secrets a configuration may hold, each (QUI max_assoc/max_retr_secrets). */
    static final int MAX_SECRETS_EACH = 64;

    public static UvParameters defaults() {
        return new UvParameters(1L << 20, 0x8000, 0x4000, 0x40, 0x1000, 1024, (1L << 42) - 1, 247,
                256 * 32, 0x100);
    }

    /** Size of the variable (virtual) configuration storage for a guest of {@code msl} bytes. */
    public long varStorLen(long msl) {
        long raw = confBaseVirtStorLen + (msl >>> 20) * confVirtVarStorLen;
        return (raw + 0xfff) & ~0xfffL;
    }
}
