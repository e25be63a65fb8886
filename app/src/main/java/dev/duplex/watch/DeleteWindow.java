package dev.duplex.watch;

import dev.duplex.bisync.Side;
import java.util.EnumMap;
import java.util.Map;

/**
 * {@code --max-delete} for a watch. A mass delete (rm -r of a folder) reaches a watch as a stream of events and so
 * as several passes; each alone may be under the limit. The window sums the files deleted on each side since the
 * last full reconcile, and a pass is held against the files there would be without them (those recorded now plus
 * those deleted in the window), so the sum is what the limit sees. Shared by the loop and the large-file lane.
 */
final class DeleteWindow {
    private final Map<Side, Long> deleted = new EnumMap<>(Side.class);

    /** A full reconcile passed the guard: a new window. */
    synchronized void reset(Side side) {
        deleted.put(side, 0L);
    }

    /** Files deleted on {@code side} in this window. */
    synchronized long deleted(Side side) {
        return deleted.getOrDefault(side, 0L);
    }

    /** What the limit is a share of: the files recorded now and those this window deleted. */
    synchronized long files(Side side, long recordedNow) {
        return recordedNow + deleted(side);
    }

    synchronized void add(Side side, long files) {
        deleted.merge(side, files, Long::sum);
    }
}
