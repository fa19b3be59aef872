package org.pvsim.machine.uv;

/**
 * Return and reason codes the Ultravisor answers. Each says where it comes from: "reference" means
 * the value and meaning are in the reference notes (kernel uv.h, kvm-unit-tests, s390-tools'
 * stage3a.c); "model" means the meaning is not public and pvsim picked a value in the command's
 * 0x01xx range, which callers treat like any other command-specific error.
 */
final class Rc {
    private Rc() {
    }

    // ---- common (reference: kernel uv.h, kvm-unit-tests lib/s390x/asm/uv.h)
    static final int EXECUTED = 0x0001;
    static final int INV_CMD = 0x0002;
    static final int INV_STATE = 0x0003;
    static final int INV_LEN = 0x0005;
    static final int INV_GHANDLE = 0x0020;
    static final int INV_CHANDLE = 0x0021;
    /** QUI: block shorter than the full layout, the fields that fit are stored (reference). */
    static final int MORE_DATA = 0x0100;
    /** Create Secure Configuration failed but a handle exists and must be destroyed (reference). */
    static final int NEED_DESTROY = 0x8000;

    // ---- INIT_UV (reference: kvm-unit-tests uv-host test_init)
    static final int INIT_DOUBLE = 0x0101;
    static final int INIT_CPUS_RUNNING = 0x0102;
    static final int INIT_STOR_LEN = 0x0103;
    static final int INIT_ORIGIN_INVALID = 0x0104;
    static final int INIT_ORIGIN_LEN_INVALID = 0x0105;
    /** model: origin not aligned to 1 MiB. */
    static final int INIT_ORIGIN_ALIGN = 0x0106;
    /** model: the donated storage is not plain host storage. */
    static final int INIT_STOR_IN_USE = 0x0107;
    static final int INIT_BELOW_2G = 0x0108;

    // ---- CREATE_SEC_CONF (reference: uv-host test_config_create, except where "model")
    static final int CGC_MSO = 0x0101;
    static final int CGC_MSO_MSL = 0x0102;
    /** model: no free configuration slot (max_num_sec_conf reached). */
    static final int CGC_TOO_MANY = 0x0103;
    /** reference: "reuse ASCE" answers >= 0x104 and no handle. */
    static final int CGC_ASCE_IN_USE = 0x0104;
    static final int CGC_ASCE_INVALID = 0x0105;
    /** model (untested in kvm-unit-tests): guest storage length not a non-zero multiple of 1 MiB. */
    static final int CGC_MSL = 0x0106;
    /** model: variable storage beyond the end of storage. */
    static final int CGC_VAR_STOR = 0x0107;
    static final int CGC_BASE_ORIGIN = 0x0108;
    static final int CGC_BASE_LOWCORE = 0x0109;
    /** model (untested in kvm-unit-tests): base storage origin not 16 KiB aligned. */
    static final int CGC_BASE_ALIGN = 0x010a;
    /** model (untested in kvm-unit-tests): donated storage is not plain host storage (already donated / secure). */
    static final int CGC_STOR_IN_USE = 0x010b;
    static final int CGC_SCA_ZERO = 0x010c;
    static final int CGC_SCA_INACCESSIBLE = 0x010d;
    static final int CGC_VAR_LOWCORE = 0x010e;

    // ---- CREATE_SEC_CPU (reference: uv-host test_cpu_create, except where "model")
    static final int CSC_NUM = 0x0103;
    static final int CSC_ALREADY_DEFINED = 0x0104;
    static final int CSC_STOR_INACCESSIBLE = 0x0105;
    static final int CSC_STOR_LOWCORE = 0x0106;
    static final int CSC_SD_INACCESSIBLE = 0x0107;
    /** model: donated CPU storage is not plain host storage. */
    static final int CSC_STOR_IN_USE = 0x0108;

    // ---- DESTROY_SEC_CONF(_FAST)
    /** model: secure CPUs of the configuration still exist. */
    static final int DSC_CPUS_EXIST = 0x0102;
    /**
     * model: the fast variant cannot destroy now (CPUs left). The kernel expects exactly 0x104 from
     * a fast destroy that fails harmlessly (no WARN) and falls back to the normal destroy.
     */
    static final int DSC_FAST_NOT_NOW = 0x0104;

    // ---- storage conversion
    /** model: the address is beyond the configuration's guest storage (import, unpack, share). */
    static final int ADDR_BEYOND_GUEST = 0x0101;
    /** model: a host absolute address beyond the end of storage (export, destroy, pin). */
    static final int PADDR_INVALID = 0x0101;
    /** model: shared-page operation on a page that is not shared (pin), or unpin of a page not pinned. */
    static final int PAGE_NOT_SHARED = 0x0102;
    /** model: import of an exported page whose ciphertext or integrity data no longer match. */
    static final int IMPORT_INTEGRITY = 0x0104;
    /** reference (destroy on old firmware 0x107/0xd "non secure page"); model for export and pin. */
    static final int PAGE_NOT_SECURE = 0x0107;
    static final int PAGE_NOT_SECURE_RRC = 0x000d;
    /** model: the frame belongs to another configuration or to the UV itself. */
    static final int PAGE_OWNED_ELSEWHERE = 0x0108;
    /**
     * model: destroy of a page whose configuration still has secure CPUs, i.e. a running guest's page
     * (the kernel destroys only pages of guests whose CPUs are gone and falls back to export otherwise).
     */
    static final int DESTROY_CPUS_EXIST = 0x0103;
    /** reference: the guest page is not mapped in the configuration's ASCE (kernel maps it to -ENXIO). */
    static final int NOT_MAPPED = 0x010a;
    /** model: unpack into a guest page that is already secure. */
    static final int UNPACK_PAGE_SECURE = 0x0107;

    // ---- SET_SEC_CONF_PARAMS (reference: s390-tools stage3a.c enum UV_RC, kvm-unit-tests for 0x103)
    static final int SSC_HDR_INACCESSIBLE = 0x0103;
    static final int SSC_HDR_VER_MISMATCH = 0x0104;
    static final int SSC_HDR_VER_MISMATCH_RRC = 0x0001;
    static final int SSC_UNSUPPORTED_PCF = 0x0106;
    static final int SSC_UNSUPPORTED_PCF_RRC = 0x0030;
    static final int SSC_HOSTKEY = 0x0108;
    static final int SSC_HOSTKEY_MISMATCH_RRC = 0x0005;
    static final int SSC_INVAL_ECDH_KEY_RRC = 0x000b;
    static final int SSC_UNSUPPORTED_SCF = 0x0109;
    static final int SSC_HDR_CORRUPT = 0x010a;
    static final int SSC_HDR_LEN_MISMATCH_RRC = 0x0031;
    static final int SSC_HDR_SIZE_ENC_INVAL_RRC = 0x0039;
    static final int SSC_KEY_SLOT_EMPTY_RRC = 0x0040;
    /** model: bad magic in the header. */
    static final int SSC_BAD_MAGIC_RRC = 0x0041;
    /** model: a key slot matched but the header's GCM tag (or the slot's wrapping tag) does not verify. */
    static final int SSC_HDR_TAG_RRC = 0x0042;

    // ---- VERIFY_IMG (reference: stage3a.c)
    static final int UNPACK_VERIFY_MISMATCH = 0x0102;
    static final int ALD_MISMATCH = 0x001a;
    static final int PLD_MISMATCH = 0x001b;
    static final int TLD_MISMATCH = 0x001c;
    static final int NUM_ENC_PAGES_MISMATCH = 0x001d;

    // ---- CPU_SET_STATE
    /** model: state value other than 1, 2, 3, 5. */
    static final int CPU_STATE_INVALID = 0x0101;

    // ---- dump
    /** model: the SE header's PCF does not allow dumping (bit 34). */
    static final int DUMP_NOT_ALLOWED = 0x0102;
    /** model: dump area or guest address not acceptable (beyond storage, not 1 MiB aligned). */
    static final int DUMP_BAD_ADDRESS = 0x0103;

    // ---- SET_SHARED_ACCESS / REMOVE_SHARED_ACCESS (reference: uv-guest, paddr beyond RAM → 0x101)
    static final int SHARE_BAD_ADDRESS = 0x0101;

    // ---- RETR_ATTEST (reference: kvm-unit-tests pv-attest)
    static final int ATT_CONT_TOKEN = 0x0101;
    static final int ATT_USER_DATA_LEN = 0x0102;
    static final int ATT_ARCB_INACCESSIBLE = 0x0103;
    /** model: measurement buffer inaccessible. */
    static final int ATT_MEAS_INACCESSIBLE = 0x0104;
    /** model: additional-data buffer inaccessible. */
    static final int ATT_ADD_INACCESSIBLE = 0x0105;
    static final int ATT_REQ_VERSION = 0x0106;
    static final int ATT_REQ_LEN = 0x0107;
    static final int ATT_NKS = 0x0108;
    static final int ATT_SEA = 0x0109;
    static final int ATT_PAF = 0x010a;
    static final int ATT_MEAS_ALG = 0x010b;
    static final int ATT_UNSEAL = 0x010c;
    static final int ATT_MEAS_LEN = 0x010d;
    static final int ATT_ADD_LEN = 0x010e;

    // ---- ADD_SECRET / LIST_SECRETS / LOCK_SECRETS: model (no public source gives these rcs;
    // docs/ultravisor.md lists them). RETR_SECRET: the kernel's asm/uv.h names 0x109, 0x10f-0x111.
    static final int ADD_REQ_INACCESSIBLE = 0x0101;
    static final int ADD_STORE_LOCKED = 0x0102;
    static final int ADD_REQ_VERSION = 0x0103;
    static final int ADD_REQ_MALFORMED = 0x0104;
    /** No key slot for any of this machine's host keys: a request for another host. */
    static final int ADD_NO_HOST_KEY = 0x0105;
    static final int ADD_UNSEAL = 0x0106;
    /** The boot tags are not this configuration's image: a request for another image. */
    static final int ADD_WRONG_IMAGE = 0x0107;
    static final int ADD_WRONG_CUID = 0x0108;
    static final int ADD_EXT_SECRET = 0x0109;
    static final int ADD_DUPLICATE = 0x010a;
    static final int ADD_STORE_FULL = 0x010b;
    static final int LIST_INACCESSIBLE = 0x0101;
    static final int LOCK_ALREADY = 0x0101;
    static final int RETR_INACCESSIBLE = 0x0101;
    static final int RETR_BUF_SMALL = 0x0109;
    static final int RETR_STORE_EMPTY = 0x010f;
    static final int RETR_INV_IDX = 0x0110;
    static final int RETR_INV_SECRET = 0x0111;
}
