package org.pvsim.machine.uv;

/**
 * The limits and storage needs this Ultravisor reports in QUI. Values are in the range real machines
 * report (kvm-unit-tests requires the INIT storage above 2 GiB, 1 MiB aligned; the config base 16 KiB
 * aligned); none is architected.
 *
 * <p>The UV base storage is {@link #UV_BASE_STOR_LEN}, what a z15 host logs at boot ("Reserving 98MB as
 * ultravisor base storage", in the public Secure Execution set-up guides). It must exceed 1 MiB: uv-host's
 * INIT_UV test puts the origin 1 MiB below the end of storage and expects rc 0x0105, which a base of
 * exactly 1 MiB would fit.
 */
public record UvParameters(long uvBaseStorLen, long confBasePhysStorLen, long confBaseVirtStorLen,
        long confVirtVarStorLen, long cpuStorLen, int maxNumSecConf, long maxGuestStorAddr, int maxGuestCpuId,
        long confDumpStorageStateLen, long confDumpFinalizeLen) {
    /** Association and retrievable secrets a configuration may hold, each (QUI max_assoc/max_retr_secrets). */
    static final int MAX_SECRETS_EACH = 64;
    /** QUI uv_base_stor_len: 98 MiB. */
    public static final long UV_BASE_STOR_LEN = 98L << 20;

    public static UvParameters defaults() {
        return new UvParameters(UV_BASE_STOR_LEN, 0x8000, 0x4000, 0x40, 0x1000, 1024, (1L << 42) - 1, 247,
                256 * 32, 0x100);
    }

    /** Size of the variable (virtual) configuration storage for a guest of {@code msl} bytes. */
    public long varStorLen(long msl) {
        long raw = confBaseVirtStorLen + (msl >>> 20) * confVirtVarStorLen;
        return (raw + 0xfff) & ~0xfffL;
    }
}
