package org.pvsim.machine.uv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.pvsim.se.SecretType;

/** One configuration's secret store: the secrets in the order they were added, the lock, the dump flag. */
final class SecretStore {
    /** Room for secrets (QUI's max_assoc_secrets + max_retr_secrets in this model). */
    static final int CAPACITY = 2 * UvParameters.MAX_SECRETS_EACH;

    /** A stored secret: its list index, type, id and value (for keys: as the guest retrieves it). */
    record Entry(int index, SecretType type, byte[] id, byte[] value) {
    }

    private final List<Entry> entries = new ArrayList<>();
    boolean locked;
    boolean dumpDisabled;

    List<Entry> entries() {
        return List.copyOf(entries);
    }

    boolean contains(SecretType type, byte[] id) {
        return entries.stream().anyMatch(e -> e.type() == type && Arrays.equals(e.id(), id));
    }

    boolean full() {
        return entries.size() >= CAPACITY;
    }

    void add(SecretType type, byte[] id, byte[] value) {
        entries.add(new Entry(entries.size(), type, id.clone(), value.clone()));
    }
}
