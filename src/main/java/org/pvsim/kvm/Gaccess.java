package org.pvsim.kvm;

/**
 * The host's access to a normal guest's storage by guest absolute address (arch/s390/kvm/gaccess.c):
 * through the memory slots to the VMM's pages, as copy_from/to_guest_absolute do. A secure guest's
 * storage is never accessed this way (its pages would be exported: ciphertext only).
 */
final class Gaccess {
    private Gaccess() {
    }

    /** Reads {@code len} bytes at guest absolute {@code gaddr}; false if a slot does not back them. */
    static boolean read(KvmVm vm, String name, long gaddr, byte[] dst) {
        return copy(vm, name, gaddr, dst, false);
    }

    static boolean write(KvmVm vm, String name, long gaddr, byte[] src) {
        return copy(vm, name, gaddr, src, true);
    }

    static long readLong(KvmVm vm, String name, long gaddr) {
        byte[] b = new byte[8];
        if (!read(vm, name, gaddr, b)) {
            throw new KvmException(name, Errno.EFAULT, String.format("guest address 0x%x is not backed", gaddr));
        }
        return java.nio.ByteBuffer.wrap(b).getLong();
    }

    static void writeUnsigned(KvmVm vm, String name, long gaddr, long value, int len) {
        byte[] b = new byte[len];
        for (int i = len - 1; i >= 0; i--, value >>>= 8) {
            b[i] = (byte) value;
        }
        if (!write(vm, name, gaddr, b)) {
            throw new KvmException(name, Errno.EFAULT, String.format("guest address 0x%x is not backed", gaddr));
        }
    }

    private static boolean copy(KvmVm vm, String name, long gaddr, byte[] buf, boolean toGuest) {
        int done = 0;
        while (done < buf.length) {
            long g = gaddr + done;
            int n = (int) Math.min(buf.length - done, 4096 - (g & 0xfff));
            long uaddr = vm.slots.toUser(g);
            if (uaddr < 0) {
                return false;
            }
            if (toGuest) {
                vm.kvm.mm().write(name, uaddr, buf, done, n);
            } else {
                vm.kvm.mm().read(name, uaddr, buf, done, n);
            }
            done += n;
        }
        return true;
    }

    /** Prefixing: a guest real address to its absolute address. */
    static long realToAbsolute(long real, long prefix) {
        long page = real & ~0x1fffL;
        return page == 0 ? real + prefix : page == prefix ? real - prefix : real;
    }
}
