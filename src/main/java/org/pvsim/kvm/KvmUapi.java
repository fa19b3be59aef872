package org.pvsim.kvm;

/** Numbers of the KVM s390 user-space API (include/uapi/linux/kvm.h, arch/s390/include/uapi/asm/kvm.h). */
public final class KvmUapi {
    private KvmUapi() {
    }

    // capabilities
    public static final int KVM_CAP_S390_PROTECTED = 180;
    public static final int KVM_CAP_S390_PROTECTED_DUMP = 217;
    public static final int KVM_CAP_S390_PROTECTED_ASYNC_DISABLE = 224;

    // enum pv_cmd_id
    public static final int KVM_PV_ENABLE = 0;
    public static final int KVM_PV_DISABLE = 1;
    public static final int KVM_PV_SET_SEC_PARMS = 2;
    public static final int KVM_PV_UNPACK = 3;
    public static final int KVM_PV_VERIFY = 4;
    public static final int KVM_PV_PREP_RESET = 5;
    public static final int KVM_PV_UNSHARE_ALL = 6;
    public static final int KVM_PV_INFO = 7;
    public static final int KVM_PV_DUMP = 8;
    public static final int KVM_PV_ASYNC_CLEANUP_PREPARE = 9;
    public static final int KVM_PV_ASYNC_CLEANUP_PERFORM = 10;

    // enum pv_cmd_dmp_id
    public static final int KVM_PV_DUMP_INIT = 0;
    public static final int KVM_PV_DUMP_CONFIG_STOR_STATE = 1;
    public static final int KVM_PV_DUMP_COMPLETE = 2;
    public static final int KVM_PV_DUMP_CPU = 3;

    // enum pv_cmd_info_id
    public static final int KVM_PV_INFO_VM = 0;
    public static final int KVM_PV_INFO_DUMP = 1;

    // KVM_S390_MEM_OP ops
    public static final int KVM_S390_MEMOP_LOGICAL_READ = 0;
    public static final int KVM_S390_MEMOP_LOGICAL_WRITE = 1;
    public static final int KVM_S390_MEMOP_SIDA_READ = 2;
    public static final int KVM_S390_MEMOP_SIDA_WRITE = 3;
    public static final int KVM_S390_MEMOP_ABSOLUTE_READ = 4;
    public static final int KVM_S390_MEMOP_ABSOLUTE_WRITE = 5;
    public static final int KVM_S390_MEMOP_ABSOLUTE_CMPXCHG = 6;

    // MP states
    public static final int KVM_MP_STATE_STOPPED = 5;
    public static final int KVM_MP_STATE_CHECK_STOP = 6;
    public static final int KVM_MP_STATE_OPERATING = 7;
    public static final int KVM_MP_STATE_LOAD = 8;

    /** KVM_USER_MEM_SLOTS on s390. */
    public static final int KVM_USER_MEM_SLOTS = 32;

    /** KVM_S390_INTERRUPT types (struct kvm_s390_interrupt.type). */
    public static final int KVM_S390_PROGRAM_INT = 0xfffe0001;
    public static final int KVM_S390_RESTART = 0xfffe0003;
    public static final int KVM_S390_INT_EMERGENCY = 0xffff1201;
    public static final int KVM_S390_INT_EXTERNAL_CALL = 0xffff1202;
    public static final int KVM_S390_INT_SERVICE = 0xffff2401;
    /** KVM_MAX_VCPUS on s390 (ESCA: 248 CPUs). */
    public static final int KVM_MAX_VCPUS = 248;

    /** Names of the PV commands, for messages. */
    public static String pvCommandName(int cmd) {
        return switch (cmd) {
            case KVM_PV_ENABLE -> "KVM_PV_ENABLE";
            case KVM_PV_DISABLE -> "KVM_PV_DISABLE";
            case KVM_PV_SET_SEC_PARMS -> "KVM_PV_SET_SEC_PARMS";
            case KVM_PV_UNPACK -> "KVM_PV_UNPACK";
            case KVM_PV_VERIFY -> "KVM_PV_VERIFY";
            case KVM_PV_PREP_RESET -> "KVM_PV_PREP_RESET";
            case KVM_PV_UNSHARE_ALL -> "KVM_PV_UNSHARE_ALL";
            case KVM_PV_INFO -> "KVM_PV_INFO";
            case KVM_PV_DUMP -> "KVM_PV_DUMP";
            case KVM_PV_ASYNC_CLEANUP_PREPARE -> "KVM_PV_ASYNC_CLEANUP_PREPARE";
            case KVM_PV_ASYNC_CLEANUP_PERFORM -> "KVM_PV_ASYNC_CLEANUP_PERFORM";
            default -> "KVM_S390_PV_COMMAND cmd " + Integer.toUnsignedString(cmd);
        };
    }
}
