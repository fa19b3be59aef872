package org.pvsim.machine.sie;

import static org.pvsim.machine.SieBlock.*;

import org.pvsim.machine.ProgramInterruption;
import org.pvsim.machine.cpu.Cpu;
import org.pvsim.machine.cpu.GuestCpu;
import org.pvsim.machine.cpu.GuestExit;
import org.pvsim.machine.cpu.GuestMode;
import org.pvsim.machine.cpu.Insn;
import org.pvsim.machine.cpu.InterceptionHook;
import org.pvsim.machine.cpu.Psw;
import org.pvsim.machine.storage.HostDat;
import org.pvsim.machine.storage.Storage;

/**
 * A secure CPU as SIE runs it (format 4): its registers stay here, in the firmware, across entries; an
 * intercepted instruction shows the host only normalised instruction parcels, the GRs it needs in the SD
 * page's save area ({@code pv_grregs}) and its data in the SIDA (kernel Documentation/virt/kvm/s390/s390-pv.rst,
 * reference kernel-pv §5, userspace-and-tests §2.2/§2.4):
 * <ul>
 * <li>DIAGNOSE shows as {@code diag 0,2,0(5)} (IPA 0x8302, IPB 0x50000000) with the code in GR5:
 *     0x44 and 0x9c (its r1 value in GR0) are notifications (108); 0x308 subcodes 0, 1 and 3 are
 *     notifications with the subcode in GR2 (and stop the CPU until the host's reset and load), subcodes 5
 *     and 6 move the IPIB over the SIDA, every other subcode is a specification exception in the guest;
 *     0x500 (GR1-4) and any other code (GR0-2) are instruction interceptions (104).</li>
 * <li>SERVC (104): the SCCB in the SIDA, the command in GR r1; on the next entry the SIDA goes back to the
 *     SCCB, the CC is 0, and SIE at once reports the finished instruction as notification 108, IPA 0xb220
 *     (pvsim's reading of "errors and real sccb returns will only be delivered after a notification").</li>
 * <li>SPX is done by the firmware and notified (108, IPA 0xb210, the new prefix in the SIDA); STSI (104)
 *     stores the SIDA page at the operand on completion; SIGP (104, pvsim's choice) shows GRs r1, r1+1,
 *     r3 and b2 and takes back GR r1 (the status).</li>
 * </ul>
 * After an instruction interception (104) the next entry completes it: GRs the instruction defines as
 * outputs come back from the save area, the CC from the SD's PSW; or, with iictl specification or
 * operand, that program interruption is presented instead. External and restart interruptions are
 * injected with iictl on any entry; the guest must be enabled for them.
 */
final class SecureGuest implements GuestMode, InterceptionHook {
    /** pvsim's validity reasons (the real values are not public; see SecureEntry for the UV's). */
    static final int VIR_NOT_ENABLED = 0x2007;
    static final int VIR_INJECTION = 0x2008;
    static final int VIR_SIDA = 0x2009;

    private static final int DIAG_IPA = 0x8302;
    private static final int DIAG_IPB = 0x50000000;

    /** An instruction the host is emulating: what its completion takes back. */
    private sealed interface Pending {
    }

    private record Servc(long sccb) implements Pending {
    }

    private record Diag(int code, int r1, long ipibAddress) implements Pending {
    }

    private record Stsi(long address) implements Pending {
    }

    /** A SIGP: its status register, order, parameter and destination CPU address. */
    private record Sigp(int r1, int order, long parameter, int destination) implements Pending {
    }

    private static final int SIGP_STOP_AND_STORE_STATUS = 0x09;
    private static final int SIGP_STORE_STATUS_AT_ADDRESS = 0x0e;

    /** Another secure CPU of the same configuration, by its CPU address (null if there is none). */
    @FunctionalInterface
    interface Siblings {
        SecureGuest of(long configHandle, int cpuAddress);
    }

    private final GuestCpu guest;
    long generation = -1;
    private long prefix;
    private Pending pending;
    /** The SCCB of the guest's last SERVC: a service signal's parameter names it, whatever the host says. */
    private long lastSccb;
    private boolean reboot;
    private StateDescription sd;
    private Storage storage;
    /** The host ASCE this entry runs with (the UV checked it is the configuration's). */
    private long asce;

    private final Siblings siblings;
    /** The configuration this CPU belongs to (its SD's handle at the last entry). */
    long configHandle;

    SecureGuest(GuestCpu guest, Siblings siblings) {
        this.guest = guest;
        this.siblings = siblings;
    }

    GuestCpu cpu() {
        return guest;
    }

    long prefix() {
        return prefix;
    }

    /** The prefix the host put in the SD (SIGP SET PREFIX of a stopped CPU, or the one this CPU set itself). */
    void prefix(long p) {
        prefix = p & 0x7fffe000L;
    }

    /** The UV started the CPU's registers afresh (creation, operating with load): a clear reset here. */
    void startAfresh(long newGeneration) {
        guest.cpu().reset();
        guest.setPrefix(0);
        prefix = 0;
        pending = null;
        generation = newGeneration;
    }

    void bind(StateDescription d, Storage s, long hostAsce) {
        this.sd = d;
        this.configHandle = d.u64(PV_HANDLE_CONFIG);
        this.storage = s;
        this.asce = hostAsce;
        this.reboot = false;
        guest.setPrefix(prefix);
    }

    /** Whether this entry ended with a guest reboot request (diag 308 subcode 0, 1 or 3). */
    boolean rebootRequested() {
        return reboot;
    }

    // ---- storage -----------------------------------------------------------------------------------

    @Override
    public long hostFrame(long abs, long logical) {
        long a = HostDat.translate(storage, asce, abs);
        if (a < 0) {
            throw ProgramInterruption.inHost((int) -a, abs);
        }
        return a >>> Storage.PAGE_SHIFT;
    }

    // ---- entry: completion and injection -------------------------------------------------------------

    /**
     * Finishes what the last exit left to the host, then injects what iictl asks. Returns an interception
     * to report without running the guest (a validity, the SERVC notification), or null to run it.
     */
    Interception complete() {
        int iictl = sd.u8(IICTL);
        Cpu c = guest.cpu();
        Pending p = pending;
        pending = null;
        if (iictl == IICTL_SPECIFICATION || iictl == IICTL_OPERAND) {
            if (p == null) {
                return Interception.validity(VIR_INJECTION); // only an intercepted instruction may end so
            }
            sd.put8(IICTL, IICTL_NONE);
            guest.program(iictl == IICTL_SPECIFICATION ? ProgramInterruption.SPECIFICATION : 0x15, 4);
            return null;
        }
        if (p != null) {
            Interception notify = finish(c, p);
            if (notify != null) {
                return notify;
            }
        }
        return inject(iictl);
    }

    private Interception finish(Cpu c, Pending p) {
        long[] saved = grregs();
        int hostCc = (int) (sd.u64(GPSW) >>> Psw.CC_SHIFT) & 3;
        if (p instanceof Servc s) {
            byte[] sida = readSida();
            int len = Math.min(Math.max(be16(sida, 0), 8), sida.length);
            store(c, s.sccb(), sida, len);
            c.cc = 0;
            return new Interception(ICPT_PV_NOTIFICATION, 0xb220, 0);
        } else if (p instanceof Diag d) {
            if (d.code() == 0x500) {
                c.gr[2] = saved[2];
            } else if (d.code() == 0x308) {
                if (d.ipibAddress() >= 0) {
                    byte[] sida = readSida();
                    store(c, d.ipibAddress(), sida, (int) Math.min(be32(sida, 0) & 0xffffffffL, sida.length));
                }
                c.gr[(d.r1() + 1) & 15] = saved[1];
            } else {
                c.cc = hostCc;
            }
        } else if (p instanceof Stsi s) {
            c.cc = hostCc;
            if (hostCc == 0 && (c.gr[0] >>> 28 & 0xf) != 0) {
                store(c, s.address(), readSida(), Storage.PAGE_SIZE);
            }
            c.gr[0] = c.gr[0] & ~0xffffffffL | saved[0] & 0xffffffffL;
        } else if (p instanceof Sigp s) {
            c.cc = hostCc;
            c.gr[s.r1()] = saved[s.r1()];
            if (hostCc == 0) {
                storeStatus(s);
            }
        }
        return null;
    }

    /**
     * The store-status part of a SIGP the host accepted: a protected CPU's registers are the UV's, so the
     * firmware stores them into the guest's storage, not the host (QEMU stores nothing for a protected VM).
     */
    private void storeStatus(Sigp s) {
        if (s.order() != SIGP_STORE_STATUS_AT_ADDRESS && s.order() != SIGP_STOP_AND_STORE_STATUS) {
            return;
        }
        SecureGuest dest = siblings.of(configHandle, s.destination());
        if (dest == null) {
            return;
        }
        if (s.order() == SIGP_STORE_STATUS_AT_ADDRESS) {
            guest.storeStatusOf(dest.guest, s.parameter() & 0x7ffffe00L);
        } else {
            guest.storeStatusInPrefixAreaOf(dest.guest);
        }
    }

    private Interception inject(int iictl) {
        Cpu c = guest.cpu();
        switch (iictl) {
            case IICTL_NONE -> {
                return null;
            }
            case IICTL_EXT -> {
                int code = sd.u16(EIC);
                if ((guest.pswMask() & Psw.EXT) == 0 || (c.cr[0] & subclass(code)) == 0) {
                    return Interception.validity(VIR_NOT_ENABLED); // the architecture's rule, s390-pv.rst
                }
                long param = sd.u32(EIPARAMS) & 0xffffffffL;
                if (code == 0x2401) { // "UV will then use its saved copy of the SCCB value"
                    param = lastSccb | param & 7;
                }
                guest.external(code, sd.u16(EXTCPUADDR), param);
            }
            case IICTL_RESTART -> guest.restart();
            default -> {
                return Interception.validity(VIR_INJECTION);
            }
        }
        sd.put8(IICTL, IICTL_NONE);
        return null;
    }

    /** The CR0 subclass mask that enables external interruption {@code code}. */
    private static long subclass(int code) {
        return switch (code) {
            case 0x1004 -> 1L << 11; // clock comparator
            case 0x1005 -> 1L << 10; // CPU timer
            case 0x1201 -> 1L << 14; // emergency signal
            case 0x1202 -> 1L << 13; // external call
            case 0x2401 -> 1L << 9; // service signal
            default -> 0;
        };
    }

    // ---- interception ----------------------------------------------------------------------------

    @Override
    public boolean intercept(Cpu c, Insn in) {
        int op = (int) (in.bits >>> 56) & 0xff;
        int op2 = (int) (in.bits >>> 48) & 0xff;
        if (op == 0x83) {
            c.privileged();
            diagnose(c, in);
        } else if (op == 0xae) {
            c.privileged();
            long[] r = new long[16];
            for (int n : new int[] {in.r1, in.r1 | 1, in.r3, in.b2}) {
                r[n] = c.gr[n];
            }
            int order = (int) ((in.b2 != 0 ? c.gr[in.b2] : 0) + in.d2) & 0xff;
            long parameter = c.gr[in.r1 | 1] & 0xffffffffL; // R1+1 of an even R1, R1 itself if odd
            instruction(new Sigp(in.r1, order, parameter, (int) c.gr[in.r3] & 0xffff), r,
                    Interception.instruction(ICPT_PV_INSTRUCTION, in.bits));
        } else if (op == 0xb2 && op2 == 0x20) {
            c.privileged();
            servc(c, in);
        } else if (op == 0xb2 && op2 == 0x10) {
            c.privileged();
            long a = c.ea(in.b2, in.d2);
            if ((a & 3) != 0) {
                throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
            }
            prefix = c.load32(a) & 0x7fffe000L;
            guest.setPrefix(prefix);
            writeSida(new byte[] {(byte) (prefix >>> 24), (byte) (prefix >>> 16), (byte) (prefix >>> 8), (byte) prefix});
            throw new GuestExit(Interception.instruction(ICPT_PV_NOTIFICATION, in.bits));
        } else if (op == 0xb2 && op2 == 0x7d) {
            c.privileged();
            long[] r = new long[16];
            r[0] = c.gr[0];
            r[1] = c.gr[1];
            instruction(new Stsi(c.ea(in.b2, in.d2)), r, Interception.instruction(ICPT_PV_INSTRUCTION, in.bits));
        } else if (op == 0xb2 && op2 == 0x14) {
            throw new ProgramInterruption(ProgramInterruption.OPERATION); // no SIE inside a secure guest
        } else {
            return false;
        }
        return true;
    }

    private void diagnose(Cpu c, Insn in) {
        int code = (int) (c.ea(in.b2, in.d2) & 0xffff);
        long[] r = new long[16];
        r[5] = code;
        Interception diag104 = new Interception(ICPT_PV_INSTRUCTION, DIAG_IPA, DIAG_IPB);
        Interception diag108 = new Interception(ICPT_PV_NOTIFICATION, DIAG_IPA, DIAG_IPB);
        switch (code) {
            case 0x44 -> notification(r, diag108);
            case 0x9c -> {
                r[0] = c.gr[in.r1];
                notification(r, diag108);
            }
            case 0x500 -> {
                System.arraycopy(c.gr, 1, r, 1, 4);
                r[5] = code;
                instruction(new Diag(code, in.r1, -1), r, diag104);
            }
            case 0x308 -> diag308(c, in, r, diag104, diag108);
            default -> {
                r[0] = c.gr[in.r1];
                r[1] = c.gr[(in.r1 + 1) & 15];
                r[2] = c.gr[in.r3];
                instruction(new Diag(code, in.r1, -1), r, diag104);
            }
        }
    }

    private void diag308(Cpu c, Insn in, long[] r, Interception diag104, Interception diag108) {
        long subcode = c.gr[in.r3];
        r[2] = subcode;
        if (subcode == 0 || subcode == 1 || subcode == 3) {
            reboot = true;
            notification(r, diag108);
        }
        long ipib = c.gr[in.r1] & c.addressMask();
        if (subcode == 5) {
            byte[] head = load(c, ipib, 4);
            int len = (int) Math.min(be32(head, 0) & 0xffffffffL, sidaSize());
            writeSida(load(c, ipib, Math.max(len, 4)));
            instruction(new Diag(0x308, in.r1, -1), r, diag104);
        }
        if (subcode == 6) {
            instruction(new Diag(0x308, in.r1, ipib), r, diag104);
        }
        // 4 and 7 do not clear storage, 8-10 would enter PV again: not in a secure guest (s390-pv-boot.rst)
        throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
    }

    private void servc(Cpu c, Insn in) {
        long sccb = c.gr[in.r2] & 0xffffffffL;
        if ((sccb & 7) != 0) {
            throw new ProgramInterruption(ProgramInterruption.SPECIFICATION);
        }
        int len = Math.min(Math.max(c.load16(sccb), 8), Storage.PAGE_SIZE - (int) (sccb & Storage.PAGE_MASK));
        writeSida(load(c, sccb, len));
        lastSccb = sccb;
        long[] r = new long[16];
        r[in.r1] = c.gr[in.r1];
        instruction(new Servc(sccb), r, Interception.instruction(ICPT_PV_INSTRUCTION, in.bits));
    }

    private void notification(long[] regs, Interception i) {
        grregs(regs);
        throw new GuestExit(i);
    }

    private void instruction(Pending p, long[] regs, Interception i) {
        grregs(regs);
        pending = p;
        throw new GuestExit(i);
    }

    @Override
    public void programInterruption(Cpu cpu, int code, int ilc) {
        // presented to the guest by the firmware itself
    }

    @Override
    public GuestExit invalidNewPsw(Cpu cpu, String what) {
        sd.put16(IPRCC, ProgramInterruption.SPECIFICATION); // "a loop of specification exceptions"
        return new GuestExit(Interception.of(ICPT_PROGRAM));
    }

    // ---- the SD page's save area and the SIDA ------------------------------------------------------

    private void grregs(long[] regs) {
        for (int i = 0; i < 16; i++) {
            sd.put64(PV_GRREGS + 8 * i, regs[i]);
        }
    }

    private long[] grregs() {
        long[] r = new long[16];
        for (int i = 0; i < 16; i++) {
            r[i] = sd.u64(PV_GRREGS + 8 * i);
        }
        return r;
    }

    private long sidaSize() {
        return ((sd.u64(SIDAD) & SIDAD_SIZE_MASK) + 1) * Storage.PAGE_SIZE;
    }

    private long sidaOrigin() {
        long sida = sd.u64(SIDAD) & ~Storage.PAGE_MASK;
        if (sida == 0 || sida + sidaSize() > storage.size()) {
            throw new GuestExit(Interception.validity(VIR_SIDA));
        }
        return sida;
    }

    /** Called for a UVC interception: the guest's UVCB is what the host sees in the SIDA. */
    void sida(byte[] data) {
        writeSida(data);
    }

    private void writeSida(byte[] data) {
        long origin = sidaOrigin();
        storage.write(origin, data, 0, (int) Math.min(data.length, sidaSize()), Storage.HOST);
    }

    private byte[] readSida() {
        return storage.read(sidaOrigin(), (int) Math.min(sidaSize(), Storage.PAGE_SIZE), Storage.HOST);
    }

    // ---- guest storage, through the guest CPU (prefixing, ownership, host tables) ---------------------

    private static byte[] load(Cpu c, long real, int len) {
        c.checkRead(real, len);
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) c.load8(c.wrap(real + i));
        }
        return b;
    }

    private static void store(Cpu c, long real, byte[] data, int len) {
        if (len <= 0) {
            return;
        }
        c.checkWrite(real, len);
        for (int i = 0; i < len; i++) {
            c.store8(c.wrap(real + i), data[i]);
        }
    }

    private static int be16(byte[] b, int off) {
        return (b[off] & 0xff) << 8 | b[off + 1] & 0xff;
    }

    private static int be32(byte[] b, int off) {
        return be16(b, off) << 16 | be16(b, off + 2);
    }
}
