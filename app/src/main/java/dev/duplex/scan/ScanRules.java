package dev.duplex.scan;

import dev.duplex.tree.WalkRules;
import dev.duplex.filter.PathFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a scan leaves out and which destination files belong to duplex rather than to the tree.
 *
 * @param filter the job's filters: the source is walked through them, and the destinations too, so that an
 *     excluded destination entry is never an extra
 * @param deleteExcluded {@code --delete-excluded}: destinations are walked whole and the entries the filters
 *     exclude are recorded as extras, for mirror cleanup to delete
 * @param sidecarSuffix with {@code --sidecar}, ".sha256" etc.: such files beside a source file are not extras
 * @param readySuffix with {@code --ready-suffix}: each file's marker; a file without its marker is not up to date
 * @param successMarker with {@code --success-marker}: the name at each destination root that is the marker
 */
public record ScanRules(PathFilter filter, boolean deleteExcluded, Optional<String> sidecarSuffix,
                        Optional<String> readySuffix, Optional<String> successMarker) {
    /** Everything is content; nothing is left out. */
    public static final ScanRules NONE = new ScanRules(PathFilter.NONE, false, Optional.empty(), Optional.empty(),
            Optional.empty());

    /** The source: excluded entries reported (their companions are no extras), excluded directories not entered. */
    public WalkRules sourceWalk() {
        return new WalkRules(filter, WalkRules.Excluded.REPORT, true, true, Optional.empty(), companionSuffixes(),
                successMarker);
    }

    /** A destination: excluded entries are not ours (skipped), unless --delete-excluded is to delete them. */
    public WalkRules destinationWalk() {
        return new WalkRules(filter, deleteExcluded ? WalkRules.Excluded.REPORT_AND_ENTER : WalkRules.Excluded.SKIP,
                false, false, readySuffix, List.of(), successMarker);
    }

    /** Suffixes of files duplex writes beside a copied file (sidecars, ready markers): never extras of their own. */
    public List<String> companionSuffixes() {
        List<String> suffixes = new ArrayList<>(2);
        sidecarSuffix.ifPresent(suffixes::add);
        readySuffix.ifPresent(suffixes::add);
        return suffixes;
    }
}
