package org.pvsim.machine.cpu;

/**
 * The facility list STFL and STFLE report. Bit n is facility n (bit 0 the leftmost of the first
 * doubleword). Only facilities whose instructions this CPU implements are claimed.
 */
public final class Facilities {
    public static final int ZARCH_INSTALLED = 1;
    public static final int ZARCH_ACTIVE = 2;
    public static final int STFLE = 7;
    public static final int EDAT_1 = 8;
    public static final int LONG_DISPLACEMENT = 18;
    public static final int EXTENDED_IMMEDIATE = 21;
    public static final int STORE_CLOCK_FAST = 25;
    public static final int GENERAL_INSTRUCTIONS_EXTENSION = 34;
    public static final int EXECUTE_EXTENSIONS = 35;
    public static final int FLOATING_POINT_EXTENSION = 37;
    public static final int DISTINCT_OPERANDS = 45;
    public static final int MISC_INSTRUCTION_EXTENSIONS = 49;
    public static final int LOAD_STORE_ON_CONDITION_2 = 53;
    public static final int EDAT_2 = 78;
    public static final int VECTOR = 129;
    public static final int INSTRUCTION_EXECUTION_PROTECTION = 130;
    public static final int ULTRAVISOR_CALL = 158;
    public static final int SECURE_EXECUTION_UNPACK = 161;

    private final long[] words = new long[4];

    private Facilities() {
    }

    public static Facilities standard(boolean ultravisor) {
        Facilities f = new Facilities();
        for (int bit : new int[] {0, ZARCH_INSTALLED, ZARCH_ACTIVE, STFLE, LONG_DISPLACEMENT,
                EXTENDED_IMMEDIATE, STORE_CLOCK_FAST, GENERAL_INSTRUCTIONS_EXTENSION, EXECUTE_EXTENSIONS,
                DISTINCT_OPERANDS, MISC_INSTRUCTION_EXTENSIONS, LOAD_STORE_ON_CONDITION_2,
                EDAT_1, EDAT_2, INSTRUCTION_EXECUTION_PROTECTION}) {
            f.set(bit);
        }
        f.set(VECTOR);
        if (ultravisor) {
            f.set(ULTRAVISOR_CALL);
            f.set(SECURE_EXECUTION_UNPACK);
        }
        return f;
    }

    private void set(int bit) {
        words[bit >>> 6] |= 1L << (63 - (bit & 63));
    }

    public boolean has(int bit) {
        return bit >= 0 && bit < 64 * words.length && (words[bit >>> 6] & 1L << (63 - (bit & 63))) != 0;
    }

    /** Doubleword {@code i} of the list (zero beyond its end). */
    public long word(int i) {
        return i < words.length ? words[i] : 0;
    }

    /** Number of doublewords that hold a set bit. */
    public int words() {
        int n = words.length;
        while (n > 1 && words[n - 1] == 0) {
            n--;
        }
        return n;
    }
}
