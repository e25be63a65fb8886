package dev.duplex.watch;

import dev.duplex.tree.RelPath;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Orders a pass's paths smallest first and sets the large files apart (they go to the large-file lane). */
final class Sizes {
    private Sizes() {
    }

    /**
     * Fills {@code small} with the paths below {@code largeFile} (folders and vanished paths count as small),
     * smallest first, and returns the large ones, smallest first; with no lane everything is small.
     */
    static List<RelPath> smallestFirst(PassRunner runner, List<RelPath> paths, long largeFile, LargeLane lane,
                                       List<RelPath> small) {
        record Sized(RelPath path, long size) {
        }
        List<Sized> sized = new ArrayList<>();
        for (RelPath p : paths) {
            sized.add(new Sized(p, runner.largestSize(p)));
        }
        sized.sort(Comparator.comparingLong(Sized::size).thenComparing(Sized::path));
        List<RelPath> large = new ArrayList<>();
        for (Sized s : sized) {
            (lane.available() && s.size() >= largeFile ? large : small).add(s.path());
        }
        return large;
    }
}
