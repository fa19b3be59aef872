package org.pvsim.machine.uv;

import java.security.SecureRandom;

/**
 * The UV's random numbers (configuration and CPU handles, CUIDs, export keys): a DRBG per calling thread.
 * One DRBG for the machine would serialise every create behind its internal lock, and a draw costs
 * microseconds, as much as the rest of a create; so a create draws what it needs before it takes the
 * global lock ({@link #forCreate}), on its own thread's generator.
 */
final class UvRandom {
    /** What one create needs, drawn before the call takes any lock; cuid and exportKey are empty for a CPU. */
    record Draw(long handle, byte[] cuid, byte[] exportKey) {
    }

    private final ThreadLocal<SecureRandom> perThread = ThreadLocal.withInitial(UvRandom::drbg);

    /** A DRBG in the JVM: the default NativePRNG reads /dev/urandom under a lock per call. */
    private static SecureRandom drbg() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (java.security.NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    long nextLong() {
        return perThread.get().nextLong();
    }

    /** The candidate handle and, for a configuration, its CUID and export key, in one draw. */
    Draw forCreate(boolean configuration) {
        if (!configuration) {
            return new Draw(nextLong(), new byte[0], new byte[0]);
        }
        byte[] b = new byte[8 + 16 + 32];
        perThread.get().nextBytes(b);
        long handle = java.nio.ByteBuffer.wrap(b, 0, 8).getLong();
        byte[] cuid = java.util.Arrays.copyOfRange(b, 8, 24);
        byte[] exportKey = java.util.Arrays.copyOfRange(b, 24, 56);
        java.util.Arrays.fill(b, (byte) 0);
        return new Draw(handle, cuid, exportKey);
    }
}
