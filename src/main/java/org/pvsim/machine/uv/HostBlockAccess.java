package org.pvsim.machine.uv;

import org.pvsim.machine.storage.Storage;

/** The host's UVCBs: host absolute storage, accessed as the host. */
record HostBlockAccess(Storage storage) implements BlockAccess {
    @Override
    public byte[] read(long address, int len) {
        return storage.read(address, len, Storage.HOST);
    }

    @Override
    public void write(long address, byte[] src, int len) {
        storage.write(address, src, 0, len, Storage.HOST);
    }
}
