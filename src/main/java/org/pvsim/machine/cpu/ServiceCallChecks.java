package org.pvsim.machine.cpu;

import org.pvsim.machine.ProgramInterruption;
import org.pvsim.machine.storage.Storage;

/**
 * The program checks of SERVC on its SCCB address (the second operand, a 64-bit real address), in
 * QEMU's order (hw/s390x/sclp.c, sclp_service_call), which kvm-unit-tests' sclp test holds hardware to:
 * <ol>
 * <li>an address beyond the configuration's storage: addressing exception;
 * <li>an SCCB in the first 8 KiB, in the CPU's prefix area, not doubleword aligned or not below
 *     2 GiB: specification exception;
 * <li>an SCCB length (its first halfword) below the 8-byte header: specification exception.
 * </ol>
 * What the SCLP itself answers (unknown command 0x01F0, page-boundary crossing 0x0100, too short for
 * the command 0x0300) is a response code in the SCCB, with the service signal, see
 * {@link org.pvsim.machine.sclp.Sclp}.
 */
final class ServiceCallChecks {
    private static final int HEADER = 8;

    private ServiceCallChecks() {
    }

    /** The SCCB's absolute address, once every program check has passed. */
    static long sccbAbsolute(Cpu c, long sccb) {
        if (Long.compareUnsigned(sccb, c.storage.size()) >= 0) {
            throw new ProgramInterruption(ProgramInterruption.ADDRESSING, sccb);
        }
        long pair = sccb & ~0x1fffL;
        if (pair == 0 || pair == c.prefix || (sccb & ~0x7ffffff8L) != 0) {
            throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
        }
        // outside both prefix areas a real address is absolute
        if (sccb + HEADER > c.storage.size()) {
            throw new ProgramInterruption(ProgramInterruption.ADDRESSING, sccb);
        }
        c.storage.checkAccess(sccb >>> Storage.PAGE_SHIFT, c.domain, sccb);
        if (c.storage.readShort(sccb, c.domain) < HEADER) {
            throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
        }
        return sccb;
    }
}
