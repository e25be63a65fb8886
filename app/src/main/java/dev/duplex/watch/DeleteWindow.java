package dev.duplex.watch;

import dev.duplex.bisync.Side;
import java.util.EnumMap;
import java.util.Map;

/**
 * {@code --max-delete} for a watch. A mass delete (rm -r of a folder) reaches a watch as a stream of events and so
 * as several passes; each alone may be under the limit. The window sums the files deleted on each side since the
 * last full reconcile and holds them against the files recorded at its end, so the sum is what the limit sees.
 * Shared by the loop and the large-file lane.
 */
final class DeleteWindow {
    private final Map<Side, Long> recorded = new EnumMap<>(Side.class);
    private final Map<Side, Long> deleted = new EnumMap<>(Side.class);

    /** A full reconcile ended: {@code files} per side is the new base, nothing deleted since. */
    synchronized void reset(Side side, long files) {
        recorded.put(side, files);
        deleted.put(side, 0L);
    }

    /** The files recorded at the window's start ({@code now} before the first full reconcile ends). */
    synchronized long files(Side side, long now) {
        return recorded.getOrDefault(side, now);
    }

    synchronized long deleted(Side side) {
        return deleted.getOrDefault(side, 0L);
    }

    synchronized void add(Side side, long files) {
        deleted.merge(side, files, Long::sum);
    }
}
