package org.pvsim.machine.uv;

/** How the UV reaches a UVCB: host absolute storage, or a secure guest's storage through its ASCE. */
sealed interface BlockAccess permits HostBlockAccess, GuestBlockAccess {
    int PAGE_TRANSLATION = 0x11;

    byte[] read(long address, int len);

    void write(long address, byte[] src, int len);
}
