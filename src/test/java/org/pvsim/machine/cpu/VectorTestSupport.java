package org.pvsim.machine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.pvsim.machine.Lowcore;
import org.pvsim.machine.storage.Storage;

/**
 * Hand-assembled vector code (encodings from GNU as -march=z14) at 0x2000 with the data page at 0x3000
 * in R2; the program-new PSW is a disabled wait at 0xfff. The AFP-register and vector-enablement
 * controls are on unless a test turns them off.
 */
abstract class VectorTestSupport {
    static final long CODE = 0x2000;
    static final long DATA = 0x3000;
    static final long WAIT = 0xfff;

    final Machine m = new Machine(new Machine.Options(1L << 20, 1, true, false), s -> { });
    final Cpu c = m.cpu(0);

    void code(String hex) {
        byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
        m.storage().write(CODE, b, 0, b.length, Storage.HOST);
        m.storage().writeLong(Lowcore.PGM_NEW_PSW, 0x0002000180000000L, Storage.HOST);
        m.storage().writeLong(Lowcore.PGM_NEW_PSW + 8, WAIT, Storage.HOST);
        m.ipl(new Psw(Psw.MASK_64BIT_DISABLED, CODE));
        c.cr[0] |= Vector.CR0_AFP | Vector.CR0_VECTOR;
        c.gr[2] = DATA;
    }

    void run(int n) {
        m.run(n);
    }

    void put(long a, byte[] b) {
        m.storage().write(a, b, 0, b.length, Storage.HOST);
    }

    byte[] get(long a, int n) {
        return m.storage().read(a, n, Storage.HOST);
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    void vr(int v, long hi, long lo) {
        Vector.set(c, v, hi, lo);
    }

    /** Sets VR v from 16 bytes written as 32 hex digits. */
    void vr(int v, String hex32) {
        byte[] b = hex(hex32);
        assertThat(b).hasSize(16);
        vr(v, java.nio.ByteBuffer.wrap(b).getLong(0), java.nio.ByteBuffer.wrap(b).getLong(8));
    }

    /** VR v as 32 hex digits. */
    String vr(int v) {
        return String.format("%016x%016x", Vector.hi(c, v), Vector.lo(c, v));
    }

    /** VR v with 4 word elements. */
    void words(int v, int w0, int w1, int w2, int w3) {
        vr(v, (long) w0 << 32 | (w1 & 0xffffffffL), (long) w2 << 32 | (w3 & 0xffffffffL));
    }

    String words(int w0, int w1, int w2, int w3) {
        return String.format("%08x%08x%08x%08x", w0, w1, w2, w3);
    }

    int pgmCode() {
        return m.storage().readShort(Lowcore.PGM_CODE, Storage.HOST);
    }

    int pgmIlc() {
        return m.storage().readShort(Lowcore.PGM_ILC, Storage.HOST);
    }

    long pgmOldIa() {
        return m.storage().readLong(Lowcore.PGM_OLD_PSW + 8, Storage.HOST);
    }

    int dxc() {
        return m.storage().readInt(Lowcore.DXC, Storage.HOST);
    }

    boolean waiting() {
        return c.ia == WAIT;
    }
}
