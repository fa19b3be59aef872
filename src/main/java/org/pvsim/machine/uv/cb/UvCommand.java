package org.pvsim.machine.uv.cb;

import java.util.Optional;

/**
 * The Ultravisor calls: command code, "installed calls" bit in QUI (MSB-0 over inst_calls_list), the
 * size of the UVCB in the kernel's {@code asm/uv.h}, and who may issue it (reference kernel-pv §2.3).
 */
public enum UvCommand {
    QUI(0x0001, 0, QueryUvInfo.SIZE, Issuer.BOTH),
    INIT_UV(0x000f, 1, InitUv.SIZE, Issuer.HOST),
    CREATE_SEC_CONF(0x0100, 2, CreateSecConf.SIZE, Issuer.HOST),
    DESTROY_SEC_CONF(0x0101, 3, NoData.SIZE, Issuer.HOST),
    DESTROY_SEC_CONF_FAST(0x0102, 23, DestroyFast.SIZE, Issuer.HOST),
    CREATE_SEC_CPU(0x0120, 4, CreateSecCpu.SIZE, Issuer.HOST),
    DESTROY_SEC_CPU(0x0121, 5, NoData.SIZE, Issuer.HOST),
    CONV_TO_SEC_STOR(0x0200, 6, ConvertToSecure.SIZE, Issuer.HOST),
    CONV_FROM_SEC_STOR(0x0201, 7, ConvertFromSecure.SIZE, Issuer.HOST),
    /** No installed-calls bit is defined for it (reference §2.3); it is always present. */
    DESTR_SEC_STOR(0x0202, -1, ConvertFromSecure.SIZE, Issuer.HOST),
    SET_SEC_CONF_PARAMS(0x0300, 11, SetSecConfParams.SIZE, Issuer.HOST),
    UNPACK_IMG(0x0301, 13, Unpack.SIZE, Issuer.HOST),
    VERIFY_IMG(0x0302, 14, NoData.SIZE, Issuer.HOST),
    CPU_RESET(0x0310, 15, NoData.SIZE, Issuer.HOST),
    CPU_RESET_INITIAL(0x0311, 16, NoData.SIZE, Issuer.HOST),
    PREPARE_RESET(0x0320, 18, NoData.SIZE, Issuer.HOST),
    CPU_RESET_CLEAR(0x0321, 19, NoData.SIZE, Issuer.HOST),
    CPU_SET_STATE(0x0330, 17, CpuSetState.SIZE, Issuer.HOST),
    SET_UNSHARE_ALL(0x0340, 20, NoData.SIZE, Issuer.HOST),
    PIN_PAGE_SHARED(0x0341, 21, ConvertFromSecure.SIZE, Issuer.HOST),
    UNPIN_PAGE_SHARED(0x0342, 22, ConvertToSecure.SIZE, Issuer.HOST),
    DUMP_INIT(0x0400, 24, NoData.SIZE, Issuer.HOST),
    DUMP_CONF_STOR_STATE(0x0401, 25, DumpStorState.SIZE, Issuer.HOST),
    DUMP_CPU(0x0402, 26, DumpCpu.SIZE, Issuer.HOST),
    DUMP_COMPLETE(0x0403, 27, DumpComplete.SIZE, Issuer.HOST),
    SET_SHARED_ACCESS(0x1000, 8, Share.SIZE, Issuer.GUEST),
    REMOVE_SHARED_ACCESS(0x1001, 9, Share.SIZE, Issuer.GUEST),
    RETR_ATTEST(0x1020, 28, Attest.SIZE, Issuer.GUEST),
    ADD_SECRET(0x1031, 29, GuestAddr.SIZE, Issuer.GUEST),
    LIST_SECRETS(0x1033, 30, ListSecrets.SIZE, Issuer.GUEST),
    LOCK_SECRETS(0x1034, 31, NoData.SIZE, Issuer.GUEST),
    RETR_SECRET(0x1035, 33, RetrieveSecret.SIZE, Issuer.GUEST);

    /** Who may issue a call; the other side gets rc 0x0002 (invalid command). */
    public enum Issuer { HOST, GUEST, BOTH }

    private final int code;
    private final int bit;
    private final int size;
    private final Issuer issuer;

    UvCommand(int code, int bit, int size, Issuer issuer) {
        this.code = code;
        this.bit = bit;
        this.size = size;
        this.issuer = issuer;
    }

    public int code() {
        return code;
    }

    /** Bit number in QUI's installed-calls list, or -1 when none is architected. */
    public int bit() {
        return bit;
    }

    /** Size of the UVCB in bytes (the value {@code header.len} must have). */
    public int size() {
        return size;
    }

    public Issuer issuer() {
        return issuer;
    }

    public boolean allowedFrom(boolean host) {
        return issuer == Issuer.BOTH || (issuer == Issuer.HOST) == host;
    }

    /** The record type of this command's control block. */
    public Class<? extends Uvcb> blockType() {
        return switch (this) {
            case QUI -> QueryUvInfo.class;
            case INIT_UV -> InitUv.class;
            case CREATE_SEC_CONF -> CreateSecConf.class;
            case DESTROY_SEC_CONF_FAST -> DestroyFast.class;
            case CREATE_SEC_CPU -> CreateSecCpu.class;
            case CONV_TO_SEC_STOR, UNPIN_PAGE_SHARED -> ConvertToSecure.class;
            case CONV_FROM_SEC_STOR, DESTR_SEC_STOR, PIN_PAGE_SHARED -> ConvertFromSecure.class;
            case SET_SEC_CONF_PARAMS -> SetSecConfParams.class;
            case UNPACK_IMG -> Unpack.class;
            case CPU_SET_STATE -> CpuSetState.class;
            case DUMP_CONF_STOR_STATE -> DumpStorState.class;
            case DUMP_CPU -> DumpCpu.class;
            case DUMP_COMPLETE -> DumpComplete.class;
            case SET_SHARED_ACCESS, REMOVE_SHARED_ACCESS -> Share.class;
            case RETR_ATTEST -> Attest.class;
            case ADD_SECRET -> GuestAddr.class;
            case LIST_SECRETS -> ListSecrets.class;
            case RETR_SECRET -> RetrieveSecret.class;
            default -> NoData.class;
        };
    }

    private static final UvCommand[] VALUES = values();

    public static Optional<UvCommand> byCode(int code) {
        for (UvCommand c : VALUES) { // 32 entries: a scan beats hashing a boxed key
            if (c.code == code) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** Accepts the enum name ("CREATE_SEC_CPU") or the hex code ("0x0120"); throws with a precise message. */
    public static UvCommand parse(String text) {
        String t = text.trim();
        if (t.toLowerCase().startsWith("0x")) {
            int code;
            try {
                code = Integer.parseInt(t.substring(2), 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a UV command code: '" + text + "'");
            }
            return byCode(code).orElseThrow(() -> new IllegalArgumentException(
                    String.format("unknown UV command code 0x%04x", code)));
        }
        try {
            return valueOf(t.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown UV command '" + text + "' (expected e.g. CREATE_SEC_CPU or 0x0120)");
        }
    }
}
