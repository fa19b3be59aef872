package org.pvsim.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.pvsim.image.BoundedInput;
import org.pvsim.se.KeySlot;
import org.pvsim.se.SeHeader;

/**
 * The host key hashes of Query Ultravisor Keys as Linux shows them in /sys/firmware/uv/keys/all: 15 lines of
 * 64 hex digits, the current host key's hash, the backup host key's, then 13 more (zero when unused).
 */
final class UvKeyHashes {
    static final int COUNT = 15;

    private UvKeyHashes() {
    }

    static List<byte[]> read(Path p) throws IOException {
        byte[] raw;
        try {
            raw = BoundedInput.readAll(p, BoundedInput.Limit.of("host key hash list", 4096));
        } catch (NoSuchFileException e) {
            if (p.toString().equals(CommandTree.KEY_HASHES_DEFAULT)) {
                throw new IllegalArgumentException(p + ": no such file: this system does not report its host key"
                        + " hashes (Query Ultravisor Keys); give --key-hashes=FILE", e);
            }
            throw e;
        }
        List<byte[]> hashes = new ArrayList<>();
        for (String line : new String(raw, StandardCharsets.US_ASCII).split("\n")) {
            String t = line.trim();
            if (t.isEmpty()) {
                continue;
            }
            if (!t.matches("[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException(p + ": line " + (hashes.size() + 1) + " is not a host key hash"
                        + " (64 hex digits)");
            }
            hashes.add(HexFormat.of().parseHex(t));
        }
        if (hashes.size() < COUNT) {
            throw new IllegalArgumentException(p + ": " + hashes.size() + " host key hashes, expected " + COUNT);
        }
        return hashes;
    }

    /** An unused (all-zero) hash matches nothing. */
    static boolean contains(SeHeader h, byte[] hash) {
        if (Arrays.equals(hash, new byte[32])) {
            return false;
        }
        for (KeySlot s : h.keySlots()) {
            if (Arrays.equals(s.hostKeyHash(), hash)) {
                return true;
            }
        }
        return false;
    }

    static String label(int i) {
        return switch (i) {
            case 0 -> "Host key hash";
            case 1 -> "Backup host key hash";
            default -> "Key hash";
        };
    }
}
