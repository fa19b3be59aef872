package org.pvsim.kvm;

import java.util.LinkedHashMap;
import java.util.Map;
import org.pvsim.machine.storage.Storage;
import org.pvsim.machine.uv.cb.CreateSecConf;
import org.pvsim.machine.uv.cb.CreateSecCpu;
import org.pvsim.machine.uv.cb.NoData;
import org.pvsim.machine.uv.cb.QueryUvInfo;
import org.pvsim.machine.uv.cb.UvCommand;
import org.pvsim.machine.uv.cb.UvcPort;
import org.pvsim.machine.uv.cb.Uvcb;
import org.pvsim.machine.uv.cb.UvcbHeader;

/**
 * A deterministic stand-in for the Ultravisor behind the UVC port, for model checking the KVM layer: it
 * keeps only the bookkeeping that the configuration and CPU lifecycle needs (which configurations and
 * secure CPUs exist) and answers the calls KVM makes for ENABLE, DISABLE, UNSHARE_ALL and vCPU creation
 * and destruction, through the same UVCBs in host storage as the real one. Everything else is refused
 * as an invalid command. The real Ultravisor is far too big (crypto, page tables, many threads' worth of
 * state) for Lincheck to explore its interleavings; KVM's locking is what is under test here.
 *
 * <p>The rc values are the ones the machine's Ultravisor uses for the same situations.
 */
final class TinyUltravisor implements UvcPort {
    private static final int EXECUTED = 0x0001;
    private static final int INV_CMD = 0x0002;
    private static final int INV_GHANDLE = 0x0020;
    private static final int INV_CHANDLE = 0x0021;
    private static final int CGC_ASCE_IN_USE = 0x0104;
    private static final int CSC_ALREADY_DEFINED = 0x0104;
    private static final int DSC_CPUS_EXIST = 0x0102;
    private static final long SMALL = Storage.PAGE_SIZE;

    private final Storage storage;
    /** Live configurations: guest handle to the ASCE it was created with. */
    private final Map<Long, Long> configs = new LinkedHashMap<>();
    /** Live secure CPUs: CPU handle to its configuration's handle and CPU number. */
    private final Map<Long, long[]> cpus = new LinkedHashMap<>();
    private long nextHandle = 0x1000;

    TinyUltravisor(Storage storage) {
        this.storage = storage;
    }

    int configurations() {
        return configs.size();
    }

    int secureCpus() {
        return cpus.size();
    }

    @Override
    public int call(long uvcb) {
        int cmd = storage.readShort(uvcb + 2, Storage.HOST);
        int rc = switch (UvCommand.byCode(cmd).orElse(UvCommand.RETR_ATTEST)) {
            case QUI -> query(uvcb);
            case INIT_UV -> EXECUTED;
            case CREATE_SEC_CONF -> createConfig(read(CreateSecConf.class, uvcb), uvcb);
            case DESTROY_SEC_CONF -> destroyConfig(read(NoData.class, uvcb).handle());
            case CREATE_SEC_CPU -> createCpu(read(CreateSecCpu.class, uvcb), uvcb);
            case DESTROY_SEC_CPU -> cpus.remove(read(NoData.class, uvcb).handle()) != null ? EXECUTED : INV_CHANDLE;
            case SET_UNSHARE_ALL -> configs.containsKey(read(NoData.class, uvcb).handle()) ? EXECUTED : INV_GHANDLE;
            default -> INV_CMD;
        };
        storage.writeShort(uvcb + 4, rc, Storage.HOST);
        storage.writeShort(uvcb + 6, 0, Storage.HOST);
        return rc == EXECUTED ? 0 : 1;
    }

    private <T extends Uvcb> T read(Class<T> type, long uvcb) {
        return Uvcb.read(type, storage, uvcb, Storage.HOST);
    }

    /** Tiny storage needs, every call the kernel uses installed except the fast destroy. */
    private int query(long uvcb) {
        long[] installed = new long[4];
        for (UvCommand c : UvCommand.values()) {
            if (c.bit() >= 0 && c != UvCommand.DESTROY_SEC_CONF_FAST) {
                installed[c.bit() / 64] |= 1L << (63 - c.bit() % 64);
            }
        }
        new QueryUvInfo(UvcbHeader.of(UvCommand.QUI).withResult(EXECUTED, 0), installed, SMALL, SMALL, SMALL, 0,
                SMALL, 4, (1L << 40) - 1, 7, 0, 1, 0, SMALL, SMALL, 0, 0).write(storage, uvcb, Storage.HOST);
        return EXECUTED;
    }

    private int createConfig(CreateSecConf cb, long uvcb) {
        if (configs.containsValue(cb.guestAsce())) {
            return CGC_ASCE_IN_USE;
        }
        long handle = nextHandle++;
        configs.put(handle, cb.guestAsce());
        storage.writeLong(uvcb + 0x18, handle, Storage.HOST);
        return EXECUTED;
    }

    private int destroyConfig(long handle) {
        if (!configs.containsKey(handle)) {
            return INV_GHANDLE;
        }
        for (long[] cpu : cpus.values()) {
            if (cpu[0] == handle) {
                return DSC_CPUS_EXIST;
            }
        }
        configs.remove(handle);
        return EXECUTED;
    }

    private int createCpu(CreateSecCpu cb, long uvcb) {
        if (!configs.containsKey(cb.guestHandle())) {
            return INV_GHANDLE;
        }
        for (long[] cpu : cpus.values()) {
            if (cpu[0] == cb.guestHandle() && cpu[1] == cb.num()) {
                return CSC_ALREADY_DEFINED;
            }
        }
        long handle = nextHandle++;
        cpus.put(handle, new long[] {cb.guestHandle(), cb.num()});
        storage.writeLong(uvcb + 0x18, handle, Storage.HOST);
        return EXECUTED;
    }
}
