package org.pvsim.machine.uv;

import java.util.function.IntSupplier;
import org.pvsim.machine.storage.Storage;
import org.pvsim.machine.uv.cb.CpuSetState;
import org.pvsim.machine.uv.cb.CreateSecConf;
import org.pvsim.machine.uv.cb.CreateSecCpu;
import org.pvsim.machine.uv.cb.InitUv;
import org.pvsim.machine.uv.cb.NoData;
import org.pvsim.machine.uv.cb.QueryUvInfo;
import org.pvsim.machine.uv.cb.UvCommand;
import org.pvsim.machine.uv.cb.UvcbHeader;

/** Query, initialisation, configurations and CPUs. */
final class HostCalls {
    static final long TWO_GIB = 1L << 31;
    static final long SCA_SIZE = 0x4000; // ESCA, 16 KiB
    static final long SD_SIZE = 0x200; // SIE state description

    /** Feature bits (MSB-0): MISC (0). */
    static final long FEATURES = 1L << 63;
    /** Supported SE header versions: MSB-0 bit 0 = version 0x100, the only one defined. */
    static final long HDR_VERSIONS = 1L << 63;
    /** PCF bits the UV accepts: dump 34, no decryption 35, PCKMO 56..59, backup keys 62 (reference §1.4). */
    static final long SUPPORTED_PCF = bit(34) | bit(35) | bit(56) | bit(57) | bit(58) | bit(59) | bit(62);
    /** Attestation request versions: MSB-0 bit 0 = 0x0100. */
    static final long ATT_VERSIONS = 1L << 63;

    private final UvState state;
    IntSupplier runningCpus = () -> 1;
    /** The prefixes of the machine's CPUs: their lowcores may not be donated (CREATE_SEC_CONF 0x109/0x10e). */
    java.util.function.Supplier<long[]> cpuPrefixes = () -> new long[0];

    HostCalls(UvState state) {
        this.state = state;
    }

    static long bit(int msb0) {
        return 1L << (63 - msb0);
    }

    // ---- QUI ---------------------------------------------------------------------------------

    int query(Call c) {
        boolean host = c.domain == Storage.HOST;
        long[] calls = new long[4];
        for (UvCommand cmd : UvCommand.values()) {
            if (cmd.bit() >= 0 && cmd.allowedFrom(host)) {
                calls[cmd.bit() / 64] |= 1L << (63 - cmd.bit() % 64);
            }
        }
        UvParameters p = state.params;
        UvcbHeader header = c.block(QueryUvInfo.class).header();
        c.answer(new QueryUvInfo(header, calls, p.uvBaseStorLen(), p.confBasePhysStorLen(),
                p.confBaseVirtStorLen(), p.confVirtVarStorLen(), p.cpuStorLen(), p.maxNumSecConf(),
                p.maxGuestStorAddr(), p.maxGuestCpuId(), FEATURES, HDR_VERSIONS, SUPPORTED_PCF,
                p.confDumpStorageStateLen(), p.confDumpFinalizeLen(), ATT_VERSIONS, GuestCalls.SUPPORTED_PAF));
        return header.len() < QueryUvInfo.SIZE ? Rc.MORE_DATA : Rc.EXECUTED;
    }

    // ---- INIT_UV -----------------------------------------------------------------------------

    int init(Call c) {
        InitUv block = c.block(InitUv.class);
        long origin = block.storOrigin();
        long len = block.storLen();
        if (state.initialized) {
            throw new UvError(Rc.INIT_DOUBLE);
        }
        if (Long.compareUnsigned(len, state.params.uvBaseStorLen()) < 0) {
            throw new UvError(Rc.INIT_STOR_LEN);
        }
        if (origin < 0 || origin >= state.storage.size()) {
            throw new UvError(Rc.INIT_ORIGIN_INVALID);
        }
        if (!state.inStorage(origin, len)) {
            throw new UvError(Rc.INIT_ORIGIN_LEN_INVALID);
        }
        if (origin < TWO_GIB) {
            throw new UvError(Rc.INIT_BELOW_2G);
        }
        if ((origin & (UvState.MIB - 1)) != 0) {
            throw new UvError(Rc.INIT_ORIGIN_ALIGN);
        }
        if (!state.allHost(origin, len) || c.blockWithin(origin, len)) {
            throw new UvError(Rc.INIT_STOR_IN_USE);
        }
        if (runningCpus.getAsInt() > 1) {
            throw new UvError(Rc.INIT_CPUS_RUNNING);
        }
        if (!state.donate(origin, len, 0)) {
            throw new UvError(Rc.INIT_STOR_IN_USE);
        }
        state.uvBaseOrigin = origin;
        state.uvBaseLen = UvState.pageAlign(len);
        state.initialized = true;
        return Rc.EXECUTED;
    }

    // ---- CREATE_SEC_CONF ---------------------------------------------------------------------

    /**
     * Whether [origin, origin+len) holds a lowcore: absolute 0-8K or any CPU's prefix area (uv-host's
     * "variable storage area contains lowcore" sets a second CPU's prefix into it; kvm-unit-tests expected
     * 0x10e there, later 0x10b on newer machines, then dropped the check: pvsim keeps 0x10e).
     */
    private boolean containsLowcore(long origin, long len) {
        if (UvState.overlaps(origin, len, 0, UvState.LOWCORE_END)) {
            return true;
        }
        for (long prefix : cpuPrefixes.get()) {
            if (UvState.overlaps(origin, len, prefix, UvState.LOWCORE_END)) {
                return true;
            }
        }
        return false;
    }

    int createConfig(Call c) {
        CreateSecConf block = c.block(CreateSecConf.class);
        long baseOrigin = block.confBaseStorOrigin();
        long varOrigin = block.confVirtStorOrigin();
        long mso = block.guestStorOrigin();
        long msl = block.guestStorLen();
        long sca = block.guestSca();
        long asce = block.guestAsce();
        UvParameters p = state.params;
        long max = p.maxGuestStorAddr();
        if (Long.compareUnsigned(mso, max) > 0) {
            throw new UvError(Rc.CGC_MSO);
        }
        if (msl == 0 || Long.compareUnsigned(msl - 1, max - mso) > 0) {
            throw new UvError(Rc.CGC_MSO_MSL);
        }
        if ((msl & (UvState.MIB - 1)) != 0) {
            throw new UvError(Rc.CGC_MSL);
        }
        if ((asce & GuestDat.ASCE_PRIVATE) == 0 || (asce & GuestDat.ASCE_REAL_SPACE) != 0) {
            throw new UvError(Rc.CGC_ASCE_INVALID);
        }
        long baseLen = p.confBasePhysStorLen();
        long varLen = p.varStorLen(msl);
        // The checks that read only the block run before the global lock; their answer waits for its place
        // in the order, after those that read the tables, so that every rc stays what one lock gave.
        int storageError = baseAndVarError(baseOrigin, baseLen, varOrigin, varLen);
        int scaError = sca == 0 ? Rc.CGC_SCA_ZERO : !state.inStorage(sca, SCA_SIZE) ? Rc.CGC_SCA_INACCESSIBLE : 0;
        long handle = state.newHandle(c.draw.handle()); // reserved, so it needs no lock; unobservable if it fails
        boolean created = false;
        try {
            synchronized (state.global) {
                createLocked(c, handle, baseOrigin, baseLen, varOrigin, varLen, mso, msl, sca, asce, storageError,
                        scaError);
            }
            created = true;
        } finally {
            if (!created) {
                state.releaseHandle(handle);
            }
        }
        c.answer(block.withGuestHandle(handle));
        return Rc.EXECUTED;
    }

    /** The base and variable storage checks that need no table, in their order; 0 if all pass. */
    private int baseAndVarError(long baseOrigin, long baseLen, long varOrigin, long varLen) {
        if (!state.inStorage(baseOrigin, baseLen)) {
            return Rc.CGC_BASE_ORIGIN;
        }
        if (containsLowcore(baseOrigin, baseLen)) {
            return Rc.CGC_BASE_LOWCORE;
        }
        if ((baseOrigin & 0x3fff) != 0) {
            return Rc.CGC_BASE_ALIGN;
        }
        if (!state.inStorage(varOrigin, varLen) || (varOrigin & Storage.PAGE_MASK) != 0) {
            return Rc.CGC_VAR_STOR;
        }
        if (containsLowcore(varOrigin, varLen)) {
            return Rc.CGC_VAR_LOWCORE;
        }
        return 0;
    }

    /** The part of CREATE_SEC_CONF that reads and changes the tables: under the global lock. */
    private void createLocked(Call c, long handle, long baseOrigin, long baseLen, long varOrigin, long varLen,
            long mso, long msl, long sca, long asce, int storageError, int scaError) {
        if (state.asceInUse(asce)) {
            throw new UvError(Rc.CGC_ASCE_IN_USE);
        }
        if (state.configs.size() >= state.params.maxNumSecConf()) {
            throw new UvError(Rc.CGC_TOO_MANY);
        }
        if (storageError != 0) {
            throw new UvError(storageError);
        }
        if (!state.allHost(baseOrigin, baseLen) || !state.allHost(varOrigin, varLen)
                || UvState.overlaps(baseOrigin, baseLen, varOrigin, varLen)
                || c.blockWithin(baseOrigin, baseLen) || c.blockWithin(varOrigin, varLen)) {
            throw new UvError(Rc.CGC_STOR_IN_USE);
        }
        if (scaError != 0) {
            throw new UvError(scaError);
        }
        int domain = state.newDomain();
        byte[] cuid = c.draw.cuid();
        byte[] exportKey = c.draw.exportKey();
        SecureConfig config = new SecureConfig(handle, domain, cuid, baseOrigin, baseLen, varOrigin, varLen, mso,
                msl, sca, asce, new PageSealer(exportKey, handle));
        if (!state.donate(baseOrigin, baseLen, domain)) {
            throw new UvError(Rc.CGC_STOR_IN_USE);
        }
        if (!state.donate(varOrigin, varLen, domain)) {
            state.undonate(baseOrigin, baseLen);
            throw new UvError(Rc.CGC_STOR_IN_USE);
        }
        state.addConfig(config);
    }

    // ---- DESTROY_SEC_CONF (and FAST) ---------------------------------------------------------

    int destroyConfig(long handle, boolean fast) {
        SecureConfig config = state.config(handle);
        if (!config.cpus.isEmpty()) {
            throw new UvError(fast ? Rc.DSC_FAST_NOT_NOW : Rc.DSC_CPUS_EXIST);
        }
        // Out of the table before its storage is the host's again: a create that takes the storage once it is
        // free (under the global lock, not this configuration's) must not meet this one in the table still,
        // as two live configurations on one storage (and one too many against the maximum).
        state.removeConfig(config);
        if (config.image != null) {
            config.image.pages.close();
        }
        state.releasePages(config);
        state.reclaim(config.baseOrigin, config.baseLen);
        state.reclaim(config.varOrigin, config.varLen);
        state.byDomain.remove(config.domain);
        state.releaseHandle(handle);
        return Rc.EXECUTED;
    }

    // ---- CREATE_SEC_CPU / DESTROY_SEC_CPU ----------------------------------------------------

    int createCpu(Call c) {
        CreateSecCpu block = c.block(CreateSecCpu.class);
        SecureConfig config = state.config(block.guestHandle());
        long storOrigin = block.storOrigin();
        int num = block.num();
        long stateOrigin = block.stateOrigin();
        long storLen = state.params.cpuStorLen();
        if (num > state.params.maxGuestCpuId()) {
            throw new UvError(Rc.CSC_NUM);
        }
        if (!state.inStorage(storOrigin, storLen)) {
            throw new UvError(Rc.CSC_STOR_INACCESSIBLE);
        }
        if (UvState.overlaps(storOrigin, storLen, 0, UvState.LOWCORE_END)) {
            throw new UvError(Rc.CSC_STOR_LOWCORE);
        }
        if (!state.inStorage(stateOrigin, SD_SIZE)) {
            throw new UvError(Rc.CSC_SD_INACCESSIBLE);
        }
        for (long h : config.cpus) {
            if (state.cpus.get(h).num == num) {
                throw new UvError(Rc.CSC_ALREADY_DEFINED);
            }
        }
        if ((storOrigin & Storage.PAGE_MASK) != 0 || !state.allHost(storOrigin, storLen)
                || c.blockWithin(storOrigin, storLen)) {
            throw new UvError(Rc.CSC_STOR_IN_USE);
        }
        long handle = state.newHandle(c.draw.handle());
        SecureCpu cpu = new SecureCpu(handle, config, num, storOrigin, storLen, stateOrigin);
        if (!state.donate(storOrigin, storLen, config.domain)) {
            state.releaseHandle(handle);
            throw new UvError(Rc.CSC_STOR_IN_USE);
        }
        state.cpus.put(handle, cpu);
        config.cpus.add(handle);
        c.answer(block.withCpuHandle(handle));
        return Rc.EXECUTED;
    }

    int destroyCpu(Call c) {
        SecureCpu cpu = state.cpu(c.block(NoData.class).handle());
        state.reclaim(cpu.storOrigin, cpu.storLen);
        cpu.config.cpus.remove(cpu.handle);
        state.cpus.remove(cpu.handle);
        state.releaseHandle(cpu.handle);
        return Rc.EXECUTED;
    }

    // ---- resets and CPU state ----------------------------------------------------------------

    int resetCpu(Call c) {
        SecureCpu cpu = state.cpu(c.block(NoData.class).handle());
        cpu.resets++;
        if (c.command != UvCommand.CPU_RESET) { // initial and clear reset also stop the CPU
            cpu.resetDone = true;
            cpu.state = SecureCpu.State.STOPPED;
        }
        return Rc.EXECUTED;
    }

    int prepareReset(Call c) {
        SecureConfig config = state.config(c.block(NoData.class).handle());
        config.resetPrepared = true;
        for (long h : config.cpus) {
            state.cpus.get(h).resetDone = false;
            state.cpus.get(h).loaded = false;
        }
        return Rc.EXECUTED;
    }

    int setCpuState(Call c) {
        CpuSetState block = c.block(CpuSetState.class);
        SecureCpu cpu = state.cpu(block.cpuHandle());
        switch (block.state()) {
            case 1 -> cpu.state = SecureCpu.State.OPERATING;
            case 2 -> cpu.state = SecureCpu.State.STOPPED;
            case 3 -> cpu.state = SecureCpu.State.CHECK_STOP;
            case 5 -> load(cpu);
            default -> throw new UvError(Rc.CPU_STATE_INVALID);
        }
        return Rc.EXECUTED;
    }

    /**
     * Operating with load: after a verified image, the PSW of the SE header; after PREPARE_RESET and a
     * CPU initial/clear reset, the reset PSW the guest left at its absolute address 0 (diag 308).
     */
    private void load(SecureCpu cpu) {
        cpu.startAfresh();
        SecureConfig config = cpu.config;
        if (config.phase != SecureConfig.Phase.VERIFIED) {
            throw new UvError(Rc.INV_STATE);
        }
        if (config.resetPrepared) {
            if (!cpu.resetDone) {
                throw new UvError(Rc.INV_STATE);
            }
            long h = state.translate(config, 0);
            if (h == GuestDat.NOT_MAPPED || state.storage.tagOf(h >>> Storage.PAGE_SHIFT)
                    != Storage.tag(config.domain, Storage.STATE_SECURE)) {
                throw new UvError(Rc.INV_STATE);
            }
            byte[] f = state.storage.rawFrameForRead(h >>> Storage.PAGE_SHIFT);
            long shortPsw = java.nio.ByteBuffer.wrap(f, 0, 8).getLong();
            cpu.pswMask = shortPsw & 0xfff7ffff80000000L; // drop the short-PSW bit 12, keep EA/BA
            cpu.pswAddress = shortPsw & 0x7fffffffL;
            config.resetPrepared = false;
        } else {
            cpu.pswMask = config.image.pswMask;
            cpu.pswAddress = config.image.pswAddress;
        }
        cpu.state = SecureCpu.State.OPERATING_LOADED;
        cpu.loaded = true;
    }
}
