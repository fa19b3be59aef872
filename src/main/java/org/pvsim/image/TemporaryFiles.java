package org.pvsim.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Temporary files pvsim owns while it runs (partly written images, copies of piped inputs): removed when
 * done, and by a shutdown hook when the JVM ends early (SIGTERM, SIGINT, System.exit), so an interrupted
 * create leaves no hidden gigabyte behind. SIGKILL cannot be caught; the next create cleans that up.
 */
public final class TemporaryFiles {
    private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();
    private static volatile boolean hooked;

    private TemporaryFiles() {
    }

    public static void register(Path p) {
        hook();
        LIVE.add(p.toAbsolutePath());
    }

    /** Done with it: it was moved into place or is to be deleted by the caller. */
    public static void forget(Path p) {
        LIVE.remove(p.toAbsolutePath());
    }

    /** Deletes it now (best effort) and forgets it. */
    public static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: whatever is being reported matters more
        }
        forget(p);
    }

    private static synchronized void hook() {
        if (!hooked) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(TemporaryFiles::delete),
                    "pvsim-temporary-files"));
            hooked = true;
        }
    }
}
