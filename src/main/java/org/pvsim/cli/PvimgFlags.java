package org.pvsim.cli;

import org.pvsim.image.ImageSpec;
import picocli.CommandLine.Option;

/**
 * The header-flag options of the current pvimg create that the first pvsim image create lacked
 * (s390-tools rust/pvimg/src/cli.rs, CreateBootImageLegacyFlags): CCK update (SCF bit 2, z17), PCKMO HMAC
 * (PCF bit 59) and backup target keys (PCF bit 62), each with its --disable- default.
 */
final class PvimgFlags {
    @Option(names = "--enable-cck-update",
            description = "Enable CCK update support (z17 or later); excludes --enable-cck-extension-secret.")
    boolean enableCckUpdate;

    @Option(names = "--disable-cck-update", description = "Disable CCK update support (default).")
    boolean disableCckUpdate;

    @Option(names = "--enable-pckmo-hmac", description = "Enable the HMAC PCKMO key encryption function.")
    boolean enablePckmoHmac;

    @Option(names = "--disable-pckmo-hmac", description = "Disable the HMAC PCKMO key encryption function (default).")
    boolean disablePckmoHmac;

    @Option(names = "--enable-backup-keys", description = "Enable the support for backup target keys.")
    boolean enableBackupKeys;

    @Option(names = "--disable-backup-keys", description = "Disable the support for backup target keys (default).")
    boolean disableBackupKeys;

    long pcf(long pcf) {
        long p = apply(pcf, ImageSpec.PCF_PCKMO_HMAC, "--enable-pckmo-hmac", enablePckmoHmac,
                "--disable-pckmo-hmac", disablePckmoHmac);
        return apply(p, ImageSpec.PCF_BACKUP_KEYS, "--enable-backup-keys", enableBackupKeys,
                "--disable-backup-keys", disableBackupKeys);
    }

    long scf(long scf) {
        return apply(scf, ImageSpec.SCF_CCK_UPDATE, "--enable-cck-update", enableCckUpdate,
                "--disable-cck-update", disableCckUpdate);
    }

    private static long apply(long flags, long mask, String on, boolean set, String off, boolean clear) {
        if (set && clear) {
            throw new IllegalArgumentException(on + " and " + off + " exclude each other");
        }
        return set ? flags | mask : clear ? flags & ~mask : flags;
    }
}
