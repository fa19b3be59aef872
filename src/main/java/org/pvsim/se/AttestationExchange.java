package org.pvsim.se;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * pvattest's exchange format v1, the file that travels between the verifier and the guest: "pvattest" ‖
 * u32 version 0x0100 ‖ u32 size ‖ 8 reserved, then five (u32 size, u32 offset) entries: attestation
 * request, measurement, additional data, user data, configuration UID; the data follow from 0x40. An
 * entry with size 0 is absent; one with offset 0 only says how large the answer will be (a request
 * names the measurement and additional-data sizes it expects this way).
 *
 * @param measurement the measurement, or null in a request
 * @param additional  the additional data, or null
 * @param userData    the user data, or null
 * @param cuid        the configuration UID, or null in a request
 */
public record AttestationExchange(byte[] request, int measurementSize, byte[] measurement, int additionalSize,
        byte[] additional, byte[] userData, byte[] cuid) {
    public static final byte[] MAGIC = "pvattest".getBytes(StandardCharsets.US_ASCII);
    public static final int VERSION_1 = 0x0100;
    public static final int HEADER = 0x40;

    /** What the verifier sends: the request and the sizes of the answer. */
    public static AttestationExchange request(byte[] arcb, int additionalSize) {
        return new AttestationExchange(arcb.clone(), AttestationMeasurement.SIZE, null, additionalSize, null, null, null);
    }

    /** What the guest sends back after RETRIEVE ATTESTATION MEASUREMENT. */
    public static AttestationExchange response(byte[] arcb, byte[] measurement, byte[] additional, byte[] userData,
            byte[] cuid) {
        return new AttestationExchange(arcb.clone(), measurement.length, measurement.clone(),
                additional == null ? 0 : additional.length, additional == null ? null : additional.clone(),
                userData == null ? null : userData.clone(), cuid.clone());
    }

    public boolean isResponse() {
        return measurement != null && cuid != null;
    }

    public byte[] encode() {
        byte[][] data = {request, measurement, additional, userData, cuid};
        int[] sizes = {request.length, measurementSize, additionalSize, userData == null ? 0 : userData.length,
            cuid == null ? 0 : 16};
        int total = HEADER;
        for (byte[] d : data) {
            total += d == null ? 0 : d.length;
        }
        ByteBuffer b = ByteBuffer.allocate(total);
        b.put(MAGIC).putInt(VERSION_1).putInt(total).putLong(0);
        int off = HEADER;
        for (int i = 0; i < 5; i++) {
            b.putInt(0x18 + 8 * i, sizes[i]).putInt(0x1c + 8 * i, data[i] == null ? 0 : off);
            if (data[i] != null) {
                b.put(off, data[i]);
                off += data[i].length;
            }
        }
        return b.array();
    }

    /** Reads an exchange file; throws {@link SeFormatException} naming the problem. */
    public static AttestationExchange parse(byte[] b) {
        if (b.length < HEADER || !Arrays.equals(b, 0, 8, MAGIC, 0, 8)) {
            throw new SeFormatException("attestation exchange file: does not start with the 'pvattest' magic");
        }
        ByteBuffer bb = ByteBuffer.wrap(b);
        if (bb.getInt(8) != VERSION_1) {
            throw new SeFormatException(String.format("attestation exchange file: unsupported version 0x%08x", bb.getInt(8)));
        }
        long size = Integer.toUnsignedLong(bb.getInt(12));
        if (size > b.length) {
            throw new SeFormatException(String.format("attestation exchange file: says 0x%x bytes, has 0x%x", size, b.length));
        }
        int[] max = {AttestationRequest.MAX_SIZE, 0x200, 0x8000, AttestationMeasurement.MAX_USER_DATA, 16};
        String[] names = {"attestation request", "measurement", "additional data", "user data", "configuration UID"};
        byte[][] data = new byte[5][];
        int[] sizes = new int[5];
        for (int i = 0; i < 5; i++) {
            long s = Integer.toUnsignedLong(bb.getInt(0x18 + 8 * i));
            long o = Integer.toUnsignedLong(bb.getInt(0x1c + 8 * i));
            if (s > max[i]) {
                throw new SeFormatException(String.format("attestation exchange file: %s of 0x%x bytes is too large", names[i], s));
            }
            sizes[i] = (int) s;
            if (s == 0 || o == 0) {
                continue;
            }
            if (o < HEADER || o + s > size) {
                throw new SeFormatException(String.format(
                        "attestation exchange file: %s at 0x%x (0x%x bytes) is outside the file", names[i], o, s));
            }
            data[i] = Arrays.copyOfRange(b, (int) o, (int) (o + s));
        }
        if (data[0] == null) {
            throw new SeFormatException("attestation exchange file: contains no attestation request");
        }
        if (data[4] != null && data[4].length != 16) {
            throw new SeFormatException("attestation exchange file: the configuration UID must be 16 bytes");
        }
        return new AttestationExchange(data[0], sizes[1], data[1], sizes[2], data[2], data[3], data[4]);
    }
}
