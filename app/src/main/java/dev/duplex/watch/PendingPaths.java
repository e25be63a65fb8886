package dev.duplex.watch;

import dev.duplex.tree.RelPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The paths a watch has seen change and not yet synced, each with the time of its last event (any clock in
 * nanoseconds). Events for one path are coalesced; a path is ready once it has been quiet for the debounce, so a
 * file still being written (each write an event) waits until it is stable. Not thread-safe: the watch guards it.
 */
final class PendingPaths {
    private final long debounceNanos;
    private static final long MAX_PAUSE = 300_000_000_000L;
    private static final long GRACE = 250_000_000L;
    private final Map<RelPath, Long> lastEvent = new HashMap<>();
    private final Map<RelPath, Integer> failures = new HashMap<>();

    PendingPaths(long debounceNanos) {
        this.debounceNanos = debounceNanos;
    }

    void touch(RelPath path, long now) {
        lastEvent.put(path, now);
    }

    int size() {
        return lastEvent.size();
    }

    /**
     * Takes the paths quiet since {@code now - debounce}, leaving waiting those {@code busy} (being synced) and
     * those above or below a busy path (reading a folder would read the file in flight).
     */
    List<RelPath> takeReady(long now, Set<RelPath> busy) {
        List<RelPath> ready = new ArrayList<>();
        // paths whose quiet time ends within the grace come along: one burst (rm -r, a copy of a folder) is one
        // pass, not a pass per path timer, so both ends of a rename and --max-delete see all of it
        long grace = Math.min(GRACE, debounceNanos / 4);
        lastEvent.forEach((path, at) -> {
            if (now - at >= debounceNanos - grace && !blocked(path, busy)) {
                ready.add(path);
            }
        });
        ready.forEach(lastEvent::remove);
        return ready;
    }

    /**
     * When the next path becomes ready (its last event plus the debounce); empty when none waits. Paths held back by
     * a {@code busy} one do not count: the lane's end wakes the loop for them.
     */
    OptionalLong nextReady(Set<RelPath> busy) {
        return lastEvent.entrySet().stream().filter(e -> !blocked(e.getKey(), busy))
                .mapToLong(e -> e.getValue() + debounceNanos).min();
    }

    private static boolean blocked(RelPath path, Set<RelPath> busy) {
        return busy.stream().anyMatch(b -> b.startsWith(path) || path.startsWith(b));
    }

    /** A full reconcile that started at {@code start} saw every change made before it: those need no pass. */
    void forgetBefore(long start) {
        lastEvent.values().removeIf(at -> at < start);
    }

    /**
     * Puts paths back after a failed pass: each waits the debounce times 2, 4, 8, ... (at most five minutes) after
     * {@code at}, by how often it failed in a row; a path that syncs is forgotten here.
     */
    void retry(List<RelPath> paths, long at) {
        for (RelPath p : paths) {
            int n = failures.merge(p, 1, Integer::sum);
            long pause = Math.min(MAX_PAUSE, debounceNanos * (1L << Math.min(n, 20)));
            lastEvent.merge(p, at + pause - debounceNanos, Math::max);
        }
    }

    /** Paths that synced: their failure counts start again. */
    void succeeded(List<RelPath> paths) {
        if (!failures.isEmpty()) {
            paths.forEach(failures::remove);
        }
    }
}
