package dev.duplex.watch;

import dev.duplex.bisync.Action;
import dev.duplex.bisync.BisyncCounts;
import dev.duplex.tree.RelPath;
import java.util.List;
import java.util.Optional;

/** What one pass did: its counts, its conflicts, the paths that failed, or the reason it could not run. */
record LaneResult(List<RelPath> paths, boolean full, BisyncCounts counts, List<Action.Conflict> conflicts,
                  List<RelPath> failed, Optional<String> refused) {
}
