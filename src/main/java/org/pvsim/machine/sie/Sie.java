package org.pvsim.machine.sie;

import static org.pvsim.machine.SieBlock.*;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.pvsim.machine.ProgramInterruption;
import org.pvsim.machine.SieExitListener;
import org.pvsim.machine.cpu.Cpu;
import org.pvsim.machine.cpu.GuestCpu;
import org.pvsim.machine.cpu.GuestExit;
import org.pvsim.machine.cpu.Machine;
import org.pvsim.machine.cpu.Psw;
import org.pvsim.machine.storage.Storage;
import org.pvsim.machine.uv.SecureEntry;
import org.pvsim.machine.uv.Ultravisor;
import org.pvsim.machine.uv.UvInterception;

/**
 * START INTERPRETIVE EXECUTION (B214): runs a guest described by a state description in host storage
 * until an interception, on the machine's interpreter and translator. One entry serves every host: an
 * s390x host program executing B214 on a machine CPU ({@link #execute(Cpu, long)}) and the Java host
 * kernel ({@link #run}), so both get the same interceptions.
 *
 * <p>Format 2 (normal guest): the guest's registers come from the SD and from the host's registers
 * (GRs 0-13, FPRs, ARs, as the host loaded them before SIE) and go back there; guest absolute storage
 * is host virtual storage at MSO, translated with the host ASCE the caller gives (the host's CR1).
 * Format 4 (secure guest, {@code sdf} 2): the Ultravisor checks the handles and the ASCE and owns the
 * registers; the host sees only the interception, the SIDA and the GRs an intercepted instruction needs
 * ({@link SecureGuest}).
 *
 * <p>Guests of different host threads run one slice at a time under one lock: the machine's decode
 * cache and its code invalidation are single-threaded by design (see {@link Machine}).
 */
public final class Sie {
    /** Instructions a guest runs between looks at the SD's request flags (a kick from another thread). */
    static final int SLICE = 20_000;

    private final Machine machine;
    private final Storage storage;
    private final Ultravisor uv;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final Map<Long, GuestCpu> normalGuests = new HashMap<>();
    private final Map<Long, SecureGuest> secureGuests = new HashMap<>();
    private final java.util.concurrent.atomic.LongAdder exits = new java.util.concurrent.atomic.LongAdder(); // vCPU threads exit at once
    private final java.util.List<SieExitListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** SIE of {@code machine}; {@code uv} may be null on a machine without Ultravisor (no secure guests). */
    public Sie(Machine machine, Ultravisor uv) {
        this.machine = machine;
        this.storage = machine.storage();
        this.uv = uv;
    }

    /** The host registers SIE exchanges with a format-2 guest: GRs 0-13, FPRs, ARs. */
    public record HostRegisters(long[] gr, long[] fpr, int[] ar) {
        public static HostRegisters fresh() {
            return new HostRegisters(new long[16], new long[16], new int[16]);
        }
    }

    /** B214 executed by a host program: the SD at the second-operand address, the host ASCE in CR1. */
    public void execute(Cpu host, long sdAddress) {
        long sdAbs = host.realToAbsolute(sdAddress);
        run(sdAbs, host.cr[1], new HostRegisters(host.gr, host.fpr, host.ar), SLICE);
    }

    /**
     * Runs the guest of the SD at host absolute {@code sd} for at most {@code budget} instructions.
     * Returns the interception it wrote into the SD ({@link Interception#NONE} when the budget ran out
     * or another thread kicked it). Throws the host's program interruption when the host's tables do
     * not map a guest page (nullified: resolve and run again); the guest's state is saved first.
     */
    public Interception run(long sd, long hostAsce, HostRegisters regs, long budget) {
        if ((sd & 0x1ff) != 0 || sd < 0 || sd + PAGE_BYTES > storage.size()) {
            throw new ProgramInterruption(ProgramInterruption.SPECIFICATION, sd);
        }
        long t0 = System.nanoTime();
        StateDescription d = new StateDescription(storage, sd);
        boolean secure = d.format4();
        Interception result;
        if ((d.u32(CPUFLAGS) & CPUSTAT_STOP_INT) != 0) {
            result = Interception.of(ICPT_STOP);
        } else if (secure) {
            result = runSecure(d, hostAsce, regs, budget);
        } else {
            result = runNormal(d, hostAsce, regs, budget);
        }
        d.interception(result);
        exits.increment();
        if (!listeners.isEmpty()) {
            SieExitListener.SieExit e = new SieExitListener.SieExit(sd, secure, result.code(), result.ipa(), result.ipb(),
                    System.nanoTime() - t0);
            for (SieExitListener l : listeners) {
                l.onExit(e);
            }
        }
        return result;
    }

    public void addListener(SieExitListener l) {
        listeners.add(l);
    }

    public void removeListener(SieExitListener l) {
        listeners.remove(l);
    }

    /** Guest CPUs SIE holds state for, normal and secure (statistics: it must not grow with reboots). */
    public int guestCpus() {
        lock.lock();
        try {
            return normalGuests.size() + secureGuests.size();
        } finally {
            lock.unlock();
        }
    }

    /** SIE exits so far (for statistics and benchmarks). */
    public long exits() {
        return exits.sum();
    }

    // ---- format 2 --------------------------------------------------------------------------------

    private Interception runNormal(StateDescription d, long hostAsce, HostRegisters regs, long budget) {
        GuestCpu g;
        lock.lock();
        try {
            g = normalGuests.computeIfAbsent(d.origin(), k -> new GuestCpu(machine, 0));
        } finally {
            lock.unlock();
        }
        Cpu c = g.cpu();
        System.arraycopy(regs.gr(), 0, c.gr, 0, 14);
        c.gr[14] = d.u64(GG14);
        c.gr[15] = d.u64(GG15);
        System.arraycopy(regs.fpr(), 0, c.fpr, 0, 16);
        System.arraycopy(regs.ar(), 0, c.ar, 0, 16);
        for (int i = 0; i < 16; i++) {
            c.cr[i] = d.u64(GCR + 8 * i);
        }
        c.setPsw(d.u64(GPSW), d.u64(GPSW + 8));
        g.setPrefix(d.prefix());
        g.setCpuTimer(d.u64(CPUTM));
        g.setClockComparator(d.u64(CKC));
        NormalGuest mode = new NormalGuest(storage, d, hostAsce);
        g.enter(mode, Storage.HOST, mode);
        try {
            return runLoop(g, d, budget);
        } finally {
            System.arraycopy(c.gr, 0, regs.gr(), 0, 14);
            d.put64(GG14, c.gr[14]);
            d.put64(GG15, c.gr[15]);
            System.arraycopy(c.fpr, 0, regs.fpr(), 0, 16);
            System.arraycopy(c.ar, 0, regs.ar(), 0, 16);
            for (int i = 0; i < 16; i++) {
                d.put64(GCR + 8 * i, c.cr[i]);
            }
            Psw psw = c.psw();
            d.put64(GPSW, psw.mask());
            d.put64(GPSW + 8, psw.address());
            d.setPrefix(g.prefix());
            d.put64(CPUTM, g.cpuTimer());
            d.put64(CKC, g.clockComparator());
        }
    }

    // ---- format 4 --------------------------------------------------------------------------------

    /**
     * Drops the guest CPUs of secure CPUs the UV has destroyed. Handles are random and never come back, so
     * without this every reboot of a protected VM would leave its guest CPUs behind. Context: lock held.
     */
    private void forgetDestroyedCpus() {
        for (var it = secureGuests.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (uv.secureCpuGeneration(e.getKey()) < 0) {
                e.getValue().cpu().release();
                it.remove();
            }
        }
    }

    /** The secure CPU with {@code cpuAddress} in the configuration {@code configHandle}, or null. */
    private SecureGuest secureSibling(long configHandle, int cpuAddress) {
        lock.lock();
        try {
            return secureGuests.values().stream()
                    .filter(s -> s.configHandle == configHandle && s.cpu().cpuAddress() == cpuAddress)
                    .findFirst().orElse(null);
        } finally {
            lock.unlock();
        }
    }

    private Interception runSecure(StateDescription d, long hostAsce, HostRegisters regs, long budget) {
        if (uv == null) {
            return Interception.validity(SecureEntry.VIR_CONFIG_HANDLE);
        }
        long cpuHandle = d.u64(PV_HANDLE_CPU);
        SecureGuest s;
        lock.lock();
        try {
            long generation = uv.secureCpuGeneration(cpuHandle);
            s = secureGuests.get(cpuHandle);
            if (s == null || s.generation != generation) {
                if (s == null) {
                    forgetDestroyedCpus();
                    s = new SecureGuest(new GuestCpu(machine, uv.secureCpuNumber(cpuHandle)), this::secureSibling);
                }
                s.startAfresh(generation);
                secureGuests.put(cpuHandle, s);
            }
        } finally {
            lock.unlock();
        }
        // The host sets a secure CPU's prefix through the SD (KVM's sync_regs for SIGP SET PREFIX, its
        // handle_pv_spx after the guest's SPX); the UV takes it at entry and checks both pages are secure.
        s.prefix(d.prefix());
        boolean restart = d.u8(IICTL) == IICTL_RESTART;
        SecureEntry entry = uv.enterSecure(d.u64(PV_HANDLE_CONFIG), cpuHandle, hostAsce, s.prefix(), d.u64(CPUTM),
                restart);
        if (entry instanceof SecureEntry.Validity v) {
            return Interception.validity(v.reason());
        }
        if (entry instanceof SecureEntry.PrefixNotSecure) {
            return Interception.of(ICPT_PV_PREFIX);
        }
        SecureEntry.Run run = (SecureEntry.Run) entry;
        GuestCpu g = s.cpu();
        g.cpu().setPsw(run.pswMask(), run.pswAddress());
        g.setCpuTimer(d.u64(CPUTM));
        s.bind(d, storage, hostAsce);
        g.enter(s, run.domain(), s);
        boolean reboot = false;
        Interception result = null;
        try {
            Interception pending = s.complete(); // finish the instruction the host emulated, or inject
            if (pending != null) {
                return pending;
            }
            result = runLoop(g, d, budget);
            reboot = s.rebootRequested();
            return result;
        } catch (UvInterception u) { // a guest UVC that needs the host: nullified, re-executed on entry
            g.cpu().ia = (g.cpu().ia - 4) & g.cpu().addressMask();
            s.sida(u.sida());
            return new Interception(u.code(), u.ipa(), 0);
        } finally {
            Psw psw = g.cpu().psw();
            long timer = g.cpuTimer(); // one reading for the UV and the SD: two would differ by the time between them
            uv.leaveSecure(cpuHandle, psw.mask(), psw.address(), timer, reboot);
            // the host sees the PSW's mask (interruption enablement) and the CPU timer; the address only of
            // a disabled wait, which ends the guest (pvsim's choice: user space tells shutdown from panic)
            boolean disabledWait = result != null && result.code() == ICPT_WAIT
                    && (psw.mask() & (Psw.EXT | Psw.IO | Psw.MCHK)) == 0;
            d.put64(GPSW, psw.mask());
            d.put64(GPSW + 8, disabledWait ? psw.address() : 0);
            d.put64(CPUTM, timer);
            d.setPrefix(s.prefix());
            java.util.Arrays.fill(regs.gr(), 0, 14, 0L);
        }
    }

    // ---- the guest run loop ----------------------------------------------------------------------

    private Interception runLoop(GuestCpu g, StateDescription d, long budget) {
        long left = budget;
        while (true) {
            int flags = d.u32(CPUFLAGS);
            long mask = g.pswMask();
            if ((flags & CPUSTAT_STOP_INT) != 0) {
                return Interception.of(ICPT_STOP);
            }
            if ((flags & CPUSTAT_EXT_INT) != 0 && (mask & Psw.EXT) != 0) {
                return Interception.of(ICPT_EXTERNAL_REQUEST);
            }
            if ((flags & CPUSTAT_IO_INT) != 0 && (mask & Psw.IO) != 0) {
                return Interception.of(ICPT_IO_REQUEST);
            }
            g.deliverPending();
            if (g.waiting()) {
                return Interception.of(ICPT_WAIT);
            }
            if (left <= 0) {
                return Interception.of(ICPT_NONE);
            }
            lock.lock();
            try {
                left -= g.run(Math.min(SLICE, left));
            } catch (GuestExit e) {
                if (e.reason() instanceof ProgramInterruption pi) { // the host's to resolve, at the guest absolute address
                    throw pi.inHost() ? pi : ProgramInterruption.inHost(pi.code(), g.cpu().realToAbsolute(pi.address()));
                }
                return (Interception) e.reason();
            } finally {
                lock.unlock();
            }
            if (g.checkStop() != null) {
                d.put16(IPRCC, ProgramInterruption.SPECIFICATION);
                return Interception.of(ICPT_PROGRAM);
            }
        }
    }
}
