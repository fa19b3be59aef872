package org.pvsim.machine.cpu;

import static org.pvsim.machine.cpu.Attribute.PRIVILEGED;
import static org.pvsim.machine.cpu.Format.*;

import org.pvsim.machine.ProgramInterruption;

/**
 * Storage keys: one 7-bit key per 4 KiB frame (access-control bits 0-3, fetch protection, reference,
 * change) that SSKE sets, ISKE inserts and RRBE resets the reference bit of. {@link Dat} enforces
 * key-controlled and fetch protection with them on TLB fills, so SSKE purges the TLBs; the reference
 * and change bits are not set by accesses.
 */
final class StorageKeys {
    private StorageKeys() {
    }

    private static long frame(Cpu c, int r) {
        long real = c.gr[r] & c.amask & ~0xfffL;
        long abs = c.realToAbsolute(real);
        if (Long.compareUnsigned(abs, c.storage.size()) >= 0) { // a 64-bit address may look negative
            throw new ProgramInterruption(ProgramInterruption.ADDRESSING, real);
        }
        return abs >>> 12;
    }

    static void register(Decoder d) {
        d.addControl(0xb22b, "sske", RRF, (c, i) -> {
            c.machine.storageKeys().put(frame(c, i.r2), (byte) (c.gr[i.r1] & 0xfe));
            Dat.purgeAll(c.machine);
        }, PRIVILEGED);
        d.addControl(0xb229, "iske", RRE, (c, i) -> {
            int key = c.machine.storageKeys().getOrDefault(frame(c, i.r2), (byte) 0) & 0xfe;
            c.gr[i.r1] = (c.gr[i.r1] & ~0xffL) | key;
        }, PRIVILEGED);
        d.addControl(0xb22a, "rrbe", RRE, (c, i) -> {
            long f = frame(c, i.r2);
            int key = c.machine.storageKeys().getOrDefault(f, (byte) 0) & 0xfe;
            c.cc = (key & 0x04) >>> 1 | (key & 0x02) >>> 1; // reference bit 0x04, change bit 0x02
            c.machine.storageKeys().put(f, (byte) (key & ~0x04));
        }, PRIVILEGED);
    }
}
