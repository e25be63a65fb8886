package dev.duplex.scan;

import java.util.List;

/**
 * What a scan found.
 *
 * @param staleTemps duplex temp files found in the destinations, left by an interrupted run
 * @param typeConflicts destination entries of another kind in the way of source entries
 * @param unreadableSourceEntries source directories that could not be listed and entries that could not be read:
 *     their files are left out of this run, which therefore cannot call the job synced
 * @param excluded what the filters left out of the source
 */
public record ScanOutcome(long sourceFiles, long sourceBytes, long pendingFiles, long pendingBytes,
                          long upToDateFiles, long skippedSpecial, long symlinks, long extras, List<StaleTemp> staleTemps,
                          List<TypeConflict> typeConflicts, long unreadableSourceEntries, Excluded excluded) {

    /**
     * What the filters left out of the source: files (and their bytes), and directories the walk did not enter
     * (whose content is not counted).
     */
    public record Excluded(long files, long bytes, long directories) {
        public static final Excluded NONE = new Excluded(0, 0, 0);

        public boolean isEmpty() {
            return files == 0 && directories == 0;
        }
    }

    /** Every source directory and entry was read (mirror cleanup and dropping vanished rows need it). */
    public boolean clean() {
        return unreadableSourceEntries == 0;
    }
}
