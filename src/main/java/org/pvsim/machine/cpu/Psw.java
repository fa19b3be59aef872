package org.pvsim.machine.cpu;

/**
 * The program-status word: a 64-bit mask (bit 0 is the most significant) and a 64-bit instruction
 * address. The CPU keeps the condition code apart from the mask while running; this record holds the
 * architected 16-byte form.
 */
public record Psw(long mask, long address) {
    public static final long PER = 1L << 62;
    public static final long DAT = 1L << 58;
    public static final long IO = 1L << 57;
    public static final long EXT = 1L << 56;
    public static final long KEY = 0xfL << 52;
    /** Must be zero in a z/Architecture PSW; set in the ESA/390-format short PSW (LPSW, IPL). */
    public static final long BIT12 = 1L << 51;
    public static final long MCHK = 1L << 50;
    public static final long WAIT = 1L << 49;
    public static final long PROBLEM = 1L << 48;
    public static final long AS = 3L << 46;
    public static final long CC = 3L << 44;
    public static final int CC_SHIFT = 44;
    public static final long PROGRAM_MASK = 0xfL << 40;
    public static final long FIXED_POINT_OVERFLOW_MASK = 1L << 43;
    public static final long EA = 1L << 32;
    public static final long BA = 1L << 31;
    /** Mask bits that must be zero: 0, 2-4, 12, 24-30 (24 is runtime instrumentation, not modelled), 33-63. */
    public static final long INVALID_BITS = (1L << 63) | (7L << 59) | BIT12 | (0x7fL << 33) | 0x7fffffffL;

    public static final long MASK_64BIT_DISABLED = EA | BA;

    public boolean isWait() {
        return (mask & WAIT) != 0;
    }

    public boolean isDisabledWait() {
        return isWait() && (mask & (IO | EXT)) == 0;
    }

    public int conditionCode() {
        return (int) (mask >>> CC_SHIFT) & 3;
    }

    /** The address-mode mask applied to effective addresses: 24, 31 or 64 bits. */
    public static long addressMask(long mask) {
        if ((mask & EA) != 0) {
            return -1L;
        }
        return (mask & BA) != 0 ? 0x7fffffffL : 0xffffffL;
    }

    /** Converts the ESA/390-format short PSW (LPSW, IPL) to the 16-byte form; null if invalid. */
    public static Psw fromShort(long shortPsw) {
        long mask = shortPsw & 0xffffffff80000000L;
        if ((mask & BIT12) == 0) {
            return null;
        }
        return new Psw(mask & ~BIT12, shortPsw & 0x7fffffffL);
    }

    /** True if the PSW is valid for loading: reserved bits zero, addressing mode consistent. */
    public static boolean isValid(long mask, long address) {
        if ((mask & INVALID_BITS) != 0) {
            return false;
        }
        if ((mask & EA) != 0 && (mask & BA) == 0) {
            return false;
        }
        return (address & ~addressMask(mask)) == 0;
    }

    @Override
    public String toString() {
        return String.format("%016x %016x", mask, address);
    }
}
