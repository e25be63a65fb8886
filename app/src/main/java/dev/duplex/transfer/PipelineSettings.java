package dev.duplex.transfer;

import dev.duplex.digest.HashAlgorithm;
import java.time.Clock;
import java.time.Duration;

/**
 * How the pipeline runs: number of destinations, block size and queue capacity (seed 001 §2.3), how many files are
 * in flight at once ({@code transfers}: one reader with its own writers per file in flight), the checksum,
 * the bandwidth limit, and the per-file options: --verify, --fsync (always on with two destinations, whose commit
 * protocol needs both temp files on stable storage before the first rename), --stable-for, open retries, and
 * --sidecar (the algorithm whose checksum file to write beside each committed file), --ready-suffix (the marker
 * written beside each file once it is committed on every destination), and how large source files are read
 * ({@link SourceAccess}).
 */
public record PipelineSettings(int destinations, int blockSizeBytes, int queueCapacity, HashAlgorithm algorithm,
                               BandwidthLimiter limiter, boolean verify, boolean fsync, Duration stableFor,
                               Clock clock, RetryPolicy retry, java.util.Optional<HashAlgorithm> sidecar,
                               java.util.Optional<String> readySuffix, int transfers,
                               SourceAccess sourceAccess) {
    public PipelineSettings {
        if (transfers < 1) {
            throw new IllegalArgumentException("transfers must be at least 1, not " + transfers);
        }
    }
}
