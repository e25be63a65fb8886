package dev.duplex.remote.server;

import dev.duplex.tree.RelPath;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The temp files of a module that clients have written and not yet committed or given up: removed when the
 * daemon stops, so a stop leaves no temp file behind (a client's next run would sweep them anyway). Thread-safe.
 */
final class TempRegistry {
    private final Set<RelPath> pending = ConcurrentHashMap.newKeySet();

    void add(RelPath finalPath) {
        pending.add(finalPath);
    }

    void remove(RelPath finalPath) {
        pending.remove(finalPath);
    }

    Set<RelPath> pending() {
        return Set.copyOf(pending);
    }
}
