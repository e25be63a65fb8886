package dev.duplex.job;

import dev.duplex.commit.Markers;
import dev.duplex.filter.PathFilter;
import dev.duplex.digest.HashAlgorithm;
import dev.duplex.transfer.SourceAccess;
import dev.duplex.remote.ClientOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything one sync run was asked to do, validated and immutable. Built by the command line, read by
 * {@link SyncJob} and the phases it drives.
 *
 * @param destinations one or two destination roots (absolute, normalised)
 * @param bandwidthBytesPerSecond 0 = unlimited
 * @param retries extra attempts to open a source file that fails for a transient reason, waiting
 *     {@code retryWait}, then twice as long each time
 * @param sidecar write {@code NAME.<algo>} checksum files beside each copied file
 * @param maxDestinationFailuresInARow stop the run after this many destination failures in a row; 0 = never
 * @param allowEmptySource let mirror cleanup run when the source root is empty (an unmounted share looks empty)
 * @param maxDelete mirror cleanup deletes nothing when it would delete more than this; negative = no cap
 * @param transfers files copied at once (each has its own reader and writers), at least 1
 * @param mmap whether large source files are read through memory maps ({@code --mmap})
 * @param scanThreads threads reading metadata ahead of the scan's walks ({@code --scan-threads}); 0 = auto (a
 *     pool for trees on shares only)
 * @param filter what the job leaves out ({@code --exclude}, {@code --include}, {@code --min-size}, ...)
 * @param deleteExcluded {@code --delete-excluded}: mirror cleanup also deletes what the filters exclude
 * @param markers the ready markers and success marker to write
 * @param allowFsChange accept a root found on another file system than the job recorded
 * @param remote how endpoints on daemons are reached (token, TLS trust, retries, small-file batches)
 * @param shared the PostgreSQL database of a job shared by several hosts ({@code --db postgresql://...}); then
 *     {@code dbPath} only names the local files (audit and diagnostic logs) beside where a SQLite db would be
 */
public record SyncOptions(
        Location source,
        List<Location> destinations,
        Path dbPath,
        Path auditLogPath,
        long bandwidthBytesPerSecond,
        HashAlgorithm checksum,
        boolean deleteExtras,
        boolean rescan,
        int blockSizeBytes,
        int queueCapacity,
        boolean dryRun,
        boolean verify,
        Duration stableFor,
        boolean fsync,
        int retries,
        Duration retryWait,
        boolean sidecar,
        int maxDestinationFailuresInARow,
        boolean allowEmptySource,
        long maxDelete,
        int transfers,
        SourceAccess.Choice mmap,
        int scanThreads,
        PathFilter filter,
        boolean deleteExcluded,
        Markers markers,
        boolean allowFsChange,
        ClientOptions remote,
        java.util.Optional<SharedDb> shared) {

    public SyncOptions {
        destinations = List.copyOf(destinations);
        if (destinations.isEmpty() || destinations.size() > 2) {
            throw new IllegalArgumentException("one or two destinations, not " + destinations.size());
        }
    }

    public boolean isDualTarget() {
        return destinations.size() == 2;
    }
}
