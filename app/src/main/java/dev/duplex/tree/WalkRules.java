package dev.duplex.tree;

import dev.duplex.filter.PathFilter;
import java.util.Optional;

/**
 * What one walk leaves out and looks for besides the entries themselves.
 *
 * @param filter the job's filters
 * @param excluded what happens to an entry the rules exclude
 * @param sizeFilter whether the size bounds apply (the source's files)
 * @param warnReserved whether an entry named like the success marker is content the user may miss (the source)
 * @param markerSuffix with {@code --ready-suffix}: look for each file's marker beside it (destinations)
 * @param companionSuffixes the suffixes of the files duplex writes beside a file (sidecars, markers): a source file
 *     named like one of them beside a file is not content (the source)
 * @param reservedRootName with {@code --success-marker}: an entry of this name at the root is the marker, never
 *     content
 */
public record WalkRules(PathFilter filter, Excluded excluded, boolean sizeFilter, boolean warnReserved,
                        Optional<String> markerSuffix, java.util.List<String> companionSuffixes,
                        Optional<String> reservedRootName) {
    /** What a walk does with an entry the rules exclude. */
    public enum Excluded {
        /** not reported; an excluded directory is not entered (a destination: its excluded entries are not ours) */
        SKIP,
        /** reported with its excluded flag, an excluded directory not entered (the source) */
        REPORT,
        /** reported, and an excluded directory entered with all it holds reported excluded (--delete-excluded) */
        REPORT_AND_ENTER
    }

    /** A walk that leaves nothing out. */
    public static final WalkRules ALL = new WalkRules(PathFilter.NONE, Excluded.SKIP, false, false, Optional.empty(),
            java.util.List.of(), Optional.empty());
}
