package org.pvsim.machine.uv.cb;

import java.nio.ByteBuffer;

/** Retrieve Attestation Measurement, issued by a secure guest ({@code struct uv_cb_attest}). */
public record Attest(UvcbHeader header, long arcbAddr, long contToken, int userDataLen, byte[] userData, int measLen, long measAddr, byte[] configUid, int addDataLen, long addDataAddr) implements Uvcb {
    public static final int SIZE = 0x188;

    public Attest {
        userData = userData == null ? new byte[256] : userData.clone();
        if (userData.length != 256) {
            throw new IllegalArgumentException("userData must be 256 bytes: " + userData.length);
        }
        configUid = configUid == null ? new byte[16] : configUid.clone();
        if (configUid.length != 16) {
            throw new IllegalArgumentException("configUid must be 16 bytes: " + configUid.length);
        }
    }

    @Override
    public byte[] userData() {
        return userData.clone();
    }

    @Override
    public byte[] configUid() {
        return configUid.clone();
    }

    /** A fresh block for {@link UvCommand#RETR_ATTEST} with the architected length. */
    public static Attest of(long arcbAddr, long contToken, int userDataLen, byte[] userData, int measLen, long measAddr, byte[] configUid, int addDataLen, long addDataAddr) {
        return new Attest(UvcbHeader.of(UvCommand.RETR_ATTEST), arcbAddr, contToken, userDataLen, userData, measLen, measAddr, configUid, addDataLen, addDataAddr);
    }

    public Attest withHeader(UvcbHeader newHeader) {
        return new Attest(newHeader, arcbAddr, contToken, userDataLen, userData, measLen, measAddr, configUid, addDataLen, addDataAddr);
    }

    /** The block as the UV answers it: the configuration's UID and how much additional data it stored. */
    public Attest withOutputs(byte[] newConfigUid, int newAddDataLen) {
        return new Attest(header, arcbAddr, contToken, userDataLen, userData, measLen, measAddr, newConfigUid, newAddDataLen, addDataAddr);
    }

    @Override
    public void encodeInto(byte[] block) {
        ByteBuffer b = Uvcb.over(block, SIZE, header, "Attest");
        b.putLong(0x18, arcbAddr);
        b.putLong(0x20, contToken);
        b.putShort(0x2e, (short) userDataLen);
        b.put(0x30, userData, 0, 256);
        b.putInt(0x13c, measLen);
        b.putLong(0x140, measAddr);
        b.put(0x148, configUid, 0, 16);
        b.putInt(0x15c, addDataLen);
        b.putLong(0x160, addDataAddr);
    }

    public static Attest decode(byte[] bytes) {
        ByteBuffer b = Uvcb.wrap(bytes, SIZE, "Attest");
        return new Attest(UvcbHeader.get(b),
                b.getLong(0x18),
                b.getLong(0x20),
                b.getShort(0x2e) & 0xffff,
                java.util.Arrays.copyOfRange(bytes, 0x30, 0x130),
                b.getInt(0x13c),
                b.getLong(0x140),
                java.util.Arrays.copyOfRange(bytes, 0x148, 0x158),
                b.getInt(0x15c),
                b.getLong(0x160));
    }
}
