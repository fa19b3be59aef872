package org.pvsim.kvm;

/** The Linux errno values the KVM API answers with (asm-generic/errno-base.h, errno.h). */
public enum Errno {
    EPERM(1), ENOENT(2), EINTR(4), EIO(5), ENXIO(6), E2BIG(7), EBADF(9), EAGAIN(11), ENOMEM(12), EFAULT(14), EBUSY(16),
    EEXIST(17), EINVAL(22), ENOTTY(25), ENOSPC(28), ENOSYS(38), EOPNOTSUPP(95);

    private final int number;

    Errno(int number) {
        this.number = number;
    }

    /** The positive Linux errno number (the ioctl returns its negative). */
    public int number() {
        return number;
    }
}
