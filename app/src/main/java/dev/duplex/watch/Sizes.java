package dev.duplex.watch;

import dev.duplex.tree.RelPath;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Sets a pass's large files apart for the large-file lane. A file goes there only when nothing else in the batch
 * could touch it: no folder above it is in the batch (its pass would read the file too), and no path in the batch
 * is gone from a side (a delete there may be the other end of its rename, which must be decided in one pass).
 */
final class Sizes {
    private Sizes() {
    }

    /** A path's state on both sides now: the larger size (0 for a folder), and whether it is missing on a side. */
    record Sized(RelPath path, long size, boolean goneSomewhere) {
    }

    /**
     * Fills {@code main} with the paths for the main pass and returns the files for the lane (smallest first);
     * with no lane, or when the batch holds a deletion, everything goes to the main pass.
     */
    static List<RelPath> split(List<Sized> batch, long largeFile, boolean laneAvailable, List<RelPath> main) {
        List<Sized> sorted = new ArrayList<>(batch);
        sorted.sort(Comparator.comparingLong(Sized::size).thenComparing(Sized::path));
        boolean anyGone = sorted.stream().anyMatch(Sized::goneSomewhere);
        List<RelPath> large = new ArrayList<>();
        for (Sized s : sorted) {
            boolean alone = batch.stream().noneMatch(o -> o != s && s.path().startsWith(o.path()));
            (laneAvailable && !anyGone && alone && s.size() >= largeFile ? large : main).add(s.path());
        }
        return large;
    }
}
