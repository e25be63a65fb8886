package dev.duplex.transfer;

import java.time.Clock;
import java.time.Duration;

/**
 * How the pipeline runs: number of destinations, block size and queue capacity (seed 001 §2.3), the checksum,
 * the bandwidth limit, and the per-file options.
 */
public record PipelineSettings(int destinations, int blockSizeBytes, int queueCapacity, HashAlgorithm algorithm,
                               BandwidthLimiter limiter, boolean verify, boolean fsync, Duration stableFor,
                               Clock clock) {}
