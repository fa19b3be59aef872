package org.pvsim.image;

import java.nio.file.Path;
import java.security.interfaces.ECPublicKey;
import java.util.List;

/**
 * What {@code pvsim image create} is asked to build (pvimg create's options).
 *
 * @param kernel         raw s390x kernel image
 * @param ramdisk        initial ramdisk or null
 * @param parmfile       kernel command line file or null
 * @param hostKeys       one key slot per key (1 to 95, P-521)
 * @param pcf            plaintext control flags (default {@link #DEFAULT_PCF}); bit 35 turns encryption off
 * @param scf            secret control flags
 * @param cck            32-byte customer communication key, or null for a random one
 * @param headerKey      32-byte header protection key, or null for a random one
 * @param imageKey       64-byte XTS key, or null for a random one
 * @param pswAddress     SE-header PSW address, or null for the stage3b address
 * @param componentCheck reject ELF kernels and kernels without "S390EP" at 0x10008; check the cmdline size
 */
public record ImageSpec(Path kernel, Path ramdisk, Path parmfile, List<ECPublicKey> hostKeys, long pcf, long scf,
        byte[] cck, byte[] headerKey, byte[] imageKey, Long pswAddress, boolean componentCheck) {
    /** PCKMO DEA/TDEA, AES and ECC allowed. */
    public static final long DEFAULT_PCF = 0xE0;
    /** MSB0 bit 34: the guest may be dumped. */
    public static final long PCF_ALLOW_DUMP = 1L << (63 - 34);
    /** MSB0 bit 35: components are not encrypted. */
    public static final long PCF_NO_ENCRYPTION = 1L << (63 - 35);
    /** The three PCKMO bits (56-58). */
    public static final long PCF_PCKMO = 0xE0;
    /** MSB0 bit 59: PCKMO HMAC allowed. */
    public static final long PCF_PCKMO_HMAC = 1L << (63 - 59);
    /** MSB0 bit 62: backup target keys allowed. */
    public static final long PCF_BACKUP_KEYS = 1L << (63 - 62);
    /** MSB0 bit 1: add-secret requests must carry the CCK extension secret. */
    public static final long SCF_CCK_EXTENSION_SECRET = 1L << (63 - 1);
    /** MSB0 bit 2: the CCK may be updated through an add-secret request (z17 and later). */
    public static final long SCF_CCK_UPDATE = 1L << (63 - 2);

    public ImageSpec {
        hostKeys = List.copyOf(hostKeys);
    }

    public boolean encrypted() {
        return (pcf & PCF_NO_ENCRYPTION) == 0;
    }
}
