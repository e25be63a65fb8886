package dev.duplex.scan;

import dev.duplex.filter.PathFilter;
import java.util.Optional;

/**
 * What one walk leaves out and looks for besides the entries themselves.
 *
 * @param filter the job's filters
 * @param excluded what happens to an entry the rules exclude: left out (and an excluded directory not entered), or
 *     reported with its {@code excluded} flag, its directory entered (a destination under {@code --delete-excluded})
 * @param sizeFilter whether the size bounds apply (the source's files)
 * @param markerSuffix with {@code --ready-suffix}: look for each file's marker beside it (destinations)
 * @param reservedRootName with {@code --success-marker}: an entry of this name at the root is the marker, never
 *     content
 */
record WalkRules(PathFilter filter, Excluded excluded, boolean sizeFilter, Optional<String> markerSuffix,
                 Optional<String> reservedRootName) {
    /** What a walk does with an entry the rules exclude. */
    enum Excluded { LEAVE_OUT, REPORT }

    /** A walk that leaves nothing out. */
    static final WalkRules ALL = new WalkRules(PathFilter.NONE, Excluded.LEAVE_OUT, false, Optional.empty(),
            Optional.empty());
}
