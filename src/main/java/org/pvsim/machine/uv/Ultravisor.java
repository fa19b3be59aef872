package org.pvsim.machine.uv;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.pvsim.machine.ProgramInterruption;
import org.pvsim.machine.storage.Storage;
import org.pvsim.machine.uv.cb.DestroyFast;
import org.pvsim.machine.uv.cb.NoData;
import org.pvsim.machine.uv.cb.QueryUvInfo;
import org.pvsim.machine.uv.cb.RawUvcb;
import org.pvsim.machine.uv.cb.UvCommand;
import org.pvsim.machine.uv.cb.Uvcb;
import org.pvsim.machine.uv.cb.UvcbHeader;
import org.pvsim.machine.uv.cb.UvcPort;
import org.pvsim.machine.uv.trace.UvCallEvent;
import org.pvsim.machine.uv.trace.UvCallListener;
import org.pvsim.machine.uv.trace.UvFaultRules;

/**
 * The Ultravisor: the trusted firmware behind the UVC instruction. Its only entry is
 * {@link #call(long, int)}: the UV control block is read from storage, executed and answered in
 * storage, as on hardware. Everything it knows (configurations, CPUs, page ownership, keys) is
 * package-private.
 *
 * <p>Checks common to every call, in this order: the header must be readable (else the access
 * exception), the command must exist and be allowed for the caller (rc 0x0002), the whole block
 * must be readable (access exception), the length must be the command's (rc 0x0005; QUI answers
 * short blocks with rc 0x0100), the UV must be initialised for anything but QUI and INIT (rc 0x0003).
 * Then the command's own checks run in the order its handler lists them.
 *
 * <p>Calls run concurrently: a call serialises only with calls on the same secure configuration, and
 * the machine-wide ones (INIT, creating a configuration, the machine reset) with each other; see
 * {@link UvState} for the locks.
 */
public final class Ultravisor implements UvcPort {
    private final UvState state;
    private final UvFaultRules faults;
    private final List<UvCallListener> listeners = new CopyOnWriteArrayList<>();
    private final HostCalls hostCalls;
    private final StorageCalls storageCalls;
    private final ImageCalls imageCalls;
    private final DumpCalls dumpCalls;
    private final GuestCalls guestCalls;
    private final SecretCalls secretCalls;
    private final BlockAccess hostAccess;

    public Ultravisor(Storage storage, MachineIdentity identity) {
        this(storage, identity, UvParameters.defaults(), new UvFaultRules());
    }

    public Ultravisor(Storage storage, MachineIdentity identity, UvParameters params, UvFaultRules faults) {
        this(new UvState(storage, params, identity), faults);
    }

    /**
     * A UV over {@code state}. The public constructors create a state nothing else holds; this
     * package's tests pass one they keep, to assert on what the UV knows without a door in the UV.
     */
    Ultravisor(UvState state, UvFaultRules faults) {
        this.state = state;
        this.faults = faults;
        this.hostCalls = new HostCalls(state);
        this.storageCalls = new StorageCalls(state);
        this.imageCalls = new ImageCalls(state, new SeApiSupport(state.keks));
        this.dumpCalls = new DumpCalls(state);
        this.guestCalls = new GuestCalls(state);
        this.secretCalls = new SecretCalls(state);
        this.hostAccess = new HostBlockAccess(state.storage);
    }

    /** The fault-injection rules this UV consults on every call (empty unless a test adds some). */
    public UvFaultRules faults() {
        return faults;
    }

    /**
     * Tells the UV how many CPUs of the machine are running: INIT_UV needs all but the calling one
     * stopped (rc 0x0102 otherwise). The CPU package wires this; the default is a single CPU.
     */
    public void setRunningCpuCensus(java.util.function.IntSupplier runningCpus) {
        hostCalls.runningCpus = runningCpus;
    }

    /** Tells the UV where the machine's CPUs have their prefix areas (no lowcore may be donated). */
    public void setCpuPrefixCensus(java.util.function.Supplier<long[]> prefixes) {
        hostCalls.cpuPrefixes = prefixes;
    }

    /** The simulator's KEK cache (tests check that it changes no answer). */
    KekCache kekCache() {
        return state.keks;
    }

    public void addListener(UvCallListener listener) {
        listeners.add(listener);
    }

    public void removeListener(UvCallListener listener) {
        listeners.remove(listener);
    }

    /** A UVC issued by host software: the block is at a host absolute address. */
    @Override
    public int call(long uvcbAddress) {
        return call(uvcbAddress, Storage.HOST);
    }

    /**
     * The UVC instruction after the CPU's privileged-operation and i3 checks: executes the UVCB at
     * {@code uvcbAddress} (host absolute for {@code domain} {@link Storage#HOST}, guest absolute for
     * a secure guest's domain) and returns the condition code.
     *
     * @throws ProgramInterruption when the UVCB is not accessible
     */
    public int call(long uvcbAddress, int domain) {
        long t0 = System.nanoTime();
        BlockAccess access = domain == Storage.HOST ? hostAccess : guestAccess(domain);
        UvcbHeader header = UvcbHeader.decode(access.read(uvcbAddress, UvcbHeader.SIZE));
        Optional<UvCommand> known = UvCommand.byCode(header.cmd());
        boolean host = domain == Storage.HOST;
        int cc;
        int rc;
        int rrc = 0;
        boolean injected = false;
        Object answered; // a Uvcb or a Call, decoded only if someone listens
        if (known.isEmpty() || !known.get().allowedFrom(host)) {
            answered = RawUvcb.of(header.cmd(), header.len());
            cc = 1;
            rc = Rc.INV_CMD;
            writeBack(access, uvcbAddress, header.withResult(rc, 0).encode(), UvcbHeader.SIZE);
        } else {
            UvCommand command = known.get();
            int readLen = Math.max(UvcbHeader.SIZE, Math.min(header.len(), command.size()));
            byte[] block = Arrays.copyOf(access.read(uvcbAddress, readLen), command.size());
            Optional<UvFaultRules.Injection> injection = Optional.empty();
            Call c = new Call(command, block, domain, uvcbAddress, readLen);
            try {
                checkLength(command, header.len());
                if (!state.initialized && command != UvCommand.INIT_UV && command != UvCommand.QUI) {
                    throw new UvError(Rc.INV_STATE);
                }
                injection = faults.next(command);
                boolean createThenFail = command == UvCommand.CREATE_SEC_CONF
                        && injection.map(UvFaultRules.Injection::needDestroy).orElse(false);
                if (injection.isPresent() && !createThenFail) {
                    throw new Injected(injection.get());
                }
                rc = dispatch(c);
                if (injection.isPresent()) { // NEED_DESTROY: done, but reported as failed
                    rc = injection.get().rc();
                    rrc = injection.get().rrc();
                    injected = true;
                }
            } catch (UvError e) {
                rc = e.rc;
                rrc = e.rrc;
            } catch (Injected e) {
                injected = true;
                rc = e.injection.rc();
                rrc = e.injection.rrc();
                if (e.injection.cc() > 1) {
                    emit(header.cmd(), command, domain, uvcbAddress, c, e.injection.cc(), 0, 0, t0, true);
                    return e.injection.cc();
                }
            }
            cc = rc == Rc.EXECUTED ? 0 : 1;
            c.result(rc, rrc);
            writeBack(access, uvcbAddress, c.bytes(), readLen);
            answered = c;
        }
        emit(header.cmd(), known.orElse(null), domain, uvcbAddress, answered, cc, rc, rrc, t0, injected);
        return cc;
    }

    private void checkLength(UvCommand command, int len) {
        if (command == UvCommand.QUI) {
            if (len < QueryUvInfo.MIN_LEN) {
                throw new UvError(Rc.INV_LEN);
            }
        } else if (len != command.size()) {
            throw new UvError(Rc.INV_LEN);
        }
    }

    private int dispatch(Call c) {
        if (c.command == UvCommand.CREATE_SEC_CONF || c.command == UvCommand.CREATE_SEC_CPU) {
            c.draw = state.random.forCreate(c.command == UvCommand.CREATE_SEC_CONF);
        }
        if (!changesTables(c.command)) {
            return dispatchReleasing(c);
        }
        synchronized (state.global) {
            return dispatchReleasing(c);
        }
    }

    /** The command, then the end of the call's hold on its configuration (before the global lock's). */
    private int dispatchReleasing(Call c) {
        try {
            return dispatchCommand(c);
        } finally {
            state.releaseCallLock();
        }
    }

    /**
     * Calls that run wholly under the global lock: INIT. CREATE_SEC_CONF takes it only for its checks that
     * read every configuration and for entering the tables; destroying a configuration and creating or
     * destroying a CPU concern one configuration and take only its lock (see {@link UvState}).
     */
    private static boolean changesTables(UvCommand command) {
        return command == UvCommand.INIT_UV;
    }

    private int dispatchCommand(Call c) {
        return switch (c.command) {
            case QUI -> hostCalls.query(c);
            case INIT_UV -> hostCalls.init(c);
            case CREATE_SEC_CONF -> hostCalls.createConfig(c);
            case DESTROY_SEC_CONF -> hostCalls.destroyConfig(c.block(NoData.class).handle(), false);
            case DESTROY_SEC_CONF_FAST -> hostCalls.destroyConfig(c.block(DestroyFast.class).handle(), true);
            case CREATE_SEC_CPU -> hostCalls.createCpu(c);
            case DESTROY_SEC_CPU -> hostCalls.destroyCpu(c);
            case CPU_RESET, CPU_RESET_INITIAL, CPU_RESET_CLEAR -> hostCalls.resetCpu(c);
            case CPU_SET_STATE -> hostCalls.setCpuState(c);
            case PREPARE_RESET -> hostCalls.prepareReset(c);
            case CONV_TO_SEC_STOR -> storageCalls.importPage(c);
            case CONV_FROM_SEC_STOR -> storageCalls.exportPage(c);
            case DESTR_SEC_STOR -> storageCalls.destroyPage(c);
            case PIN_PAGE_SHARED -> storageCalls.pinShared(c);
            case UNPIN_PAGE_SHARED -> storageCalls.unpinShared(c);
            case SET_UNSHARE_ALL -> storageCalls.unshareAll(c);
            case SET_SEC_CONF_PARAMS -> imageCalls.setParams(c);
            case UNPACK_IMG -> imageCalls.unpack(c);
            case VERIFY_IMG -> imageCalls.verify(c);
            case DUMP_INIT -> dumpCalls.init(c);
            case DUMP_CONF_STOR_STATE -> dumpCalls.storageState(c);
            case DUMP_CPU -> dumpCalls.cpu(c);
            case DUMP_COMPLETE -> dumpCalls.complete(c);
            case SET_SHARED_ACCESS -> guestCalls.share(c);
            case REMOVE_SHARED_ACCESS -> guestCalls.unshare(c);
            case RETR_ATTEST -> guestCalls.attest(c);
            case ADD_SECRET -> secretCalls.add(c);
            case LIST_SECRETS -> secretCalls.list(c);
            case LOCK_SECRETS -> secretCalls.lock(c);
            case RETR_SECRET -> secretCalls.retrieve(c);
        };
    }

    /**
     * A clear reset or load-normal of the machine (diag 308 subcodes 0/1 in the host): the UV forgets
     * every configuration and CPU, all secure and donated storage is cleared and given back, and the
     * UV is uninitialised again (kvm-unit-tests uv-host 13). The CPU's diag 308 handler calls this.
     */
    public void machineReset() {
        synchronized (state.global) {
            for (SecureConfig c : List.copyOf(state.configs.values())) {
                c.lock.lock();
                try { // each configuration leaves the tables under its own lock, so no call sees it half gone
                    if (state.configs.get(c.handle) != c) {
                        continue; // a DESTROY_SEC_CONF (which takes no global lock) removed it meanwhile
                    }
                    if (c.image != null) {
                        c.image.pages.close();
                    }
                    state.releasePages(c);
                    state.reclaim(c.baseOrigin, c.baseLen);
                    state.reclaim(c.varOrigin, c.varLen);
                    for (long h : c.cpus) {
                        SecureCpu cpu = state.cpus.remove(h);
                        state.reclaim(cpu.storOrigin, cpu.storLen);
                        state.releaseHandle(h);
                    }
                    state.removeConfig(c);
                    state.byDomain.remove(c.domain);
                    state.releaseHandle(c.handle);
                } finally {
                    c.lock.unlock();
                }
            }
            for (SecureCpu cpu : state.cpus.values()) {
                state.reclaim(cpu.storOrigin, cpu.storLen);
            }
            if (state.initialized) {
                state.reclaim(state.uvBaseOrigin, state.uvBaseLen);
            }
            state.clearTables();
            state.initialized = false;
            state.uvBaseOrigin = 0;
            state.uvBaseLen = 0;
        }
    }

    /**
     * SIE entry into a secure guest: checks the handles and ASCE of the format-4 state description
     * against what the UV created, that the CPU is loaded, operating and not running elsewhere, and
     * that both prefix pages are secure; then hands out the guest's domain and PSW. Machine-internal
     * (the sie package); never reachable from host software.
     */
    public SecureEntry enterSecure(long configHandle, long cpuHandle, long asce, long prefix, long cpuTimer) {
        return enterSecure(configHandle, cpuHandle, asce, prefix, cpuTimer, false);
    }

    /**
     * SIE entry as above; {@code restartInjected}: the SD injects a restart interruption (iictl 4), with
     * which a secondary CPU that was never loaded starts (the guest's SIGP RESTART of a stopped CPU: the
     * host sets it operating and injects the restart; the CPU begins at its restart new PSW).
     */
    public SecureEntry enterSecure(long configHandle, long cpuHandle, long asce, long prefix,
            long cpuTimer, boolean restartInjected) {
        SecureConfig config = state.configs.get(configHandle);
        if (config == null) {
            return new SecureEntry.Validity(SecureEntry.VIR_CONFIG_HANDLE);
        }
        config.lock.lock();
        try {
            if (state.configs.get(configHandle) != config) {
                return new SecureEntry.Validity(SecureEntry.VIR_CONFIG_HANDLE);
            }
            return enterLocked(config, cpuHandle, asce, prefix, cpuTimer, restartInjected);
        } finally {
            config.lock.unlock();
        }
    }

    private SecureEntry enterLocked(SecureConfig config, long cpuHandle, long asce, long prefix, long cpuTimer,
            boolean restartInjected) {
        SecureCpu cpu = state.cpus.get(cpuHandle);
        if (cpu == null || cpu.config != config) {
            return new SecureEntry.Validity(SecureEntry.VIR_CPU_HANDLE);
        }
        if (asce != config.asce) {
            return new SecureEntry.Validity(SecureEntry.VIR_ASCE);
        }
        boolean startedByRestart = restartInjected && cpu.state == SecureCpu.State.OPERATING
                && config.phase == SecureConfig.Phase.VERIFIED && !config.resetPrepared && !cpu.rebootRequested;
        if (startedByRestart) {
            cpu.loaded = true;
        }
        if (!cpu.loaded || (cpu.state != SecureCpu.State.OPERATING && cpu.state != SecureCpu.State.OPERATING_LOADED)) {
            return new SecureEntry.Validity(SecureEntry.VIR_NOT_RUNNABLE);
        }
        if (cpu.running) {
            return new SecureEntry.Validity(SecureEntry.VIR_ALREADY_RUNNING);
        }
        if (cpu.timerSaved && !timerPlausible(cpu, cpuTimer)) {
            return new SecureEntry.Validity(SecureEntry.VIR_CPU_TIMER);
        }
        for (long p = prefix & ~0x1fffL; p < (prefix & ~0x1fffL) + 0x2000; p += Storage.PAGE_SIZE) {
            long h = state.translate(config, p);
            int tag = h == GuestDat.NOT_MAPPED ? 0 : state.storage.tagOf(h >>> Storage.PAGE_SHIFT);
            if (tag >>> 2 != config.domain || (tag & 3) == Storage.STATE_UV) {
                return new SecureEntry.PrefixNotSecure(prefix & ~0x1fffL);
            }
        }
        cpu.running = true;
        return new SecureEntry.Run(config.domain, cpu.pswMask, cpu.pswAddress);
    }

    /**
     * SIE exit from a secure guest: the UV keeps the guest's PSW (the host never sees it). With
     * {@code rebootRequested} (the guest issued diag 308 subcode 0 or 1) the CPU cannot be entered
     * again until the host ran the reset sequence and an operating-with-load.
     */
    public void leaveSecure(long cpuHandle, long pswMask, long pswAddress, long cpuTimer,
            boolean rebootRequested) {
        SecureCpu cpu = state.cpus.get(cpuHandle);
        if (cpu == null) {
            return;
        }
        cpu.config.lock.lock();
        try {
            leaveLocked(cpu, pswMask, pswAddress, cpuTimer, rebootRequested);
        } finally {
            cpu.config.lock.unlock();
        }
    }

    private static void leaveLocked(SecureCpu cpu, long pswMask, long pswAddress, long cpuTimer,
            boolean rebootRequested) {
        cpu.running = false;
        cpu.timerSaved = true;
        cpu.cpuTimer = cpuTimer;
        cpu.exitNanos = System.nanoTime();
        cpu.pswMask = pswMask;
        cpu.pswAddress = pswAddress;
        if (rebootRequested) {
            cpu.loaded = false;
            cpu.rebootRequested = true;
        }
    }

    /** The CPU number the host gave a secure CPU at CREATE_SEC_CPU (what its STAP stores); machine-internal. */
    public int secureCpuNumber(long cpuHandle) {
        SecureCpu cpu = state.cpus.get(cpuHandle);
        return cpu == null ? 0 : cpu.num;
    }

    /**
     * The register generation of a secure CPU (see SecureCpu#generation), or -1 if no CPU has the handle.
     * Machine-internal (the sie package): SIE keeps the registers and starts them afresh when it changes.
     */
    public long secureCpuGeneration(long cpuHandle) {
        SecureCpu cpu = state.cpus.get(cpuHandle);
        if (cpu == null) {
            return -1;
        }
        cpu.config.lock.lock();
        try {
            return cpu.generation;
        } finally {
            cpu.config.lock.unlock();
        }
    }

    /**
     * The host may let the guest's CPU timer run down by the time it spent outside SIE (plus 1 ms of
     * slack), never raise it (pv-icptcode). Units: bit 51 is one microsecond.
     */
    private static boolean timerPlausible(SecureCpu cpu, long cpuTimer) {
        long oneMs = 1000L << 12;
        long outside = ((System.nanoTime() - cpu.exitNanos) / 1000) << 12;
        return cpuTimer <= cpu.cpuTimer && cpu.cpuTimer - cpuTimer <= outside + oneMs;
    }

    private BlockAccess guestAccess(int domain) {
        SecureConfig config = state.byDomain.get(domain); // no lock: the block is read as the guest reads it
        if (config == null) {
            throw new IllegalArgumentException("UVC from domain " + domain + ": no secure configuration has it");
        }
        return new GuestBlockAccess(state, config);
    }

    private static void writeBack(BlockAccess access, long address, byte[] block, int len) {
        access.write(address, block, len);
    }

    private void emit(int cmd, UvCommand command, int domain, long address, Object answered, int cc, int rc,
            int rrc, long t0, boolean injected) {
        if (listeners.isEmpty()) {
            return;
        }
        Uvcb block = answered instanceof Call call ? call.decodeBlock() : (Uvcb) answered;
        UvCallEvent e = new UvCallEvent(cmd, command, domain, address, block, cc, rc, rrc, System.nanoTime() - t0,
                injected);
        for (UvCallListener l : listeners) {
            l.onCall(e);
        }
    }

    /** An injected failure that skips the command (not the NEED_DESTROY kind). */
    private static final class Injected extends RuntimeException {
        final UvFaultRules.Injection injection;

        Injected(UvFaultRules.Injection injection) {
            super(null, null, false, false);
            this.injection = injection;
        }
    }
}
