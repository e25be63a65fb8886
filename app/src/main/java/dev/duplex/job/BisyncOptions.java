package dev.duplex.job;

import dev.duplex.bisync.ReconcileOptions;
import dev.duplex.digest.HashAlgorithm;
import dev.duplex.filter.PathFilter;
import dev.duplex.remote.ClientOptions;
import dev.duplex.tree.RelPath;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A two-way run's settings, from the command line.
 *
 * @param conflicts the conflict modes (the first-run flag and the zone are set by the job)
 * @param maxDelete the most files a run may delete on one side: a count, or with {@code maxDeletePercent} a
 *     percentage of the files recorded for that side
 * @param only {@code --path}: reconcile only this file or folder
 * @param keepTombstones how long a path deleted on both sides is remembered
 * @param allowFsChange the mount guard accepts a root now on another file system, and records it
 */
public record BisyncOptions(Location left, Location right, Path dbPath, Path logPath, boolean dryRun,
                            ReconcileOptions conflicts, long softDeleteMax, long maxDelete, boolean maxDeletePercent,
                            boolean force, HashAlgorithm checksum, long bwlimit, PathFilter filter,
                            Optional<RelPath> only, Duration keepTombstones, ClientOptions remote,
                            boolean verbose, boolean allowFsChange) {
}
