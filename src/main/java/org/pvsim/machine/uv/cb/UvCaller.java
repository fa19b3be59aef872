package org.pvsim.machine.uv.cb;

import org.pvsim.machine.storage.HostStorage;

/**
 * The host's convenience path to the Ultravisor, exactly what host code does: write the UVCB to
 * storage at a scratch address, issue UVC, read the block back. Nothing here reaches UV state, and there is
 * no guest domain: it works on the host's view of storage and the host's UVC only.
 */
public final class UvCaller {
    private final HostStorage storage;
    private final UvcPort port;
    private final long scratch;

    /** A host caller using {@code scratch} (at least 0x188 bytes of host storage) for the blocks. */
    public UvCaller(HostStorage storage, UvcPort port, long scratch) {
        this.storage = storage;
        this.port = port;
        this.scratch = scratch;
    }

    /** One UVC: the condition code and the block as the UV left it. Busy (cc 2/3) is returned as is. */
    public <T extends Uvcb> Answer<T> once(T cb) {
        put(cb);
        int cc = port.call(scratch);
        return new Answer<>(cc, back(cb));
    }

    /** How often {@link #call} executes a UVC that stays busy before it gives up (the kernel would spin forever). */
    public static final int MAX_BUSY_RETRIES = 100_000;

    /**
     * The one busy policy of every UV caller, like the kernel's {@code uv_call()}: the block is written
     * once and the UVC re-executed on it while the UV answers cc 2 or 3 (the block stays as the UV
     * left it, as a partial answer needs). Unlike the kernel it is bounded: after
     * {@link #MAX_BUSY_RETRIES} busy answers it throws {@link UvBusyException}, so a stuck UV is an
     * error, not a hang.
     */
    public <T extends Uvcb> Answer<T> call(T cb) {
        put(cb);
        int cc;
        int tries = 0;
        do {
            cc = port.call(scratch);
            if (cc > 1 && ++tries >= MAX_BUSY_RETRIES) {
                throw new UvBusyException(cb.header().cmd(), cc, tries);
            }
        } while (cc > 1);
        return new Answer<>(cc, back(cb));
    }

    private void put(Uvcb cb) {
        byte[] b = cb.encode();
        storage.write(scratch, b, 0, b.length);
    }

    @SuppressWarnings("unchecked")
    private <T extends Uvcb> T back(T cb) {
        Class<T> type = (Class<T>) cb.getClass();
        return Uvcb.decode(type, storage.read(scratch, Uvcb.sizeOf(type)));
    }

    /** The result of a UVC: condition code plus the block read back from storage. */
    public record Answer<T extends Uvcb>(int cc, T cb) {
        public int rc() {
            return cb.header().rc();
        }

        public int rrc() {
            return cb.header().rrc();
        }

        public boolean ok() {
            return cc == 0 && rc() == 1;
        }

        @Override
        public String toString() {
            return String.format("cc %d rc 0x%04x rrc 0x%04x", cc, rc(), rrc());
        }
    }
}
