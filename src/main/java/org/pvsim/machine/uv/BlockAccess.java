package org.pvsim.machine.uv;

import org.pvsim.machine.ProgramInterruption;
import org.pvsim.machine.storage.Storage;

/** How the UV reaches a UVCB: host absolute storage, or a secure guest's storage through its ASCE. */
sealed interface BlockAccess {
    int PAGE_TRANSLATION = 0x11;

    byte[] read(long address, int len);

    void write(long address, byte[] src, int len);

    record Host(Storage storage) implements BlockAccess {
        @Override
        public byte[] read(long address, int len) {
            return storage.read(address, len, Storage.HOST);
        }

        @Override
        public void write(long address, byte[] src, int len) {
            storage.write(address, src, 0, len, Storage.HOST);
        }
    }

    /**
     * A guest's UVCB: every page is translated through the configuration's ASCE and accessed as the
     * guest (so a page not yet imported gives 0x3e, which the host resolves by importing it). A guest
     * address beyond the guest's storage is an addressing exception; one the host has not mapped is a
     * page-translation exception the host must resolve.
     */
    record Guest(UvState state, SecureConfig config) implements BlockAccess {
        @Override
        public byte[] read(long address, int len) {
            byte[] out = new byte[len];
            long[] hostAddrs = translateAll(address, len);
            int off = 0;
            for (long h : hostAddrs) {
                int n = Math.min(len - off, Storage.PAGE_SIZE - (int) (h & Storage.PAGE_MASK));
                state.storage.read(h, out, off, n, config.domain);
                off += n;
            }
            return out;
        }

        @Override
        public void write(long address, byte[] src, int len) {
            long[] hostAddrs = translateAll(address, len);
            for (long h : hostAddrs) { // all checks before any byte changes
                state.storage.checkAccess(h >>> Storage.PAGE_SHIFT, config.domain, h);
            }
            int off = 0;
            for (long h : hostAddrs) {
                int n = Math.min(len - off, Storage.PAGE_SIZE - (int) (h & Storage.PAGE_MASK));
                state.storage.write(h, src, off, n, config.domain);
                off += n;
            }
        }

        private long[] translateAll(long address, int len) {
            if (address < 0 || address > config.msl - len) {
                throw new ProgramInterruption(ProgramInterruption.ADDRESSING, address);
            }
            long first = address >>> Storage.PAGE_SHIFT;
            long last = (address + Math.max(len, 1) - 1) >>> Storage.PAGE_SHIFT;
            long[] out = new long[(int) (last - first + 1)];
            for (long p = first; p <= last; p++) {
                long g = p == first ? address : p << Storage.PAGE_SHIFT;
                long h = state.translate(config, g);
                if (h == GuestDat.NOT_MAPPED) {
                    throw new ProgramInterruption(PAGE_TRANSLATION, g);
                }
                out[(int) (p - first)] = h;
            }
            return out;
        }
    }
}
